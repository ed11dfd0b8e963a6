package io.thingport.network.netty;

import io.netty.channel.Channel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TlsMaterial;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS for Netty servers from a component's managed certificate. Keys read: {@code clientAuth} = {@code none}
 * (default), {@code optional} or {@code require}: whether devices present a client certificate, verified against
 * {@link NetworkComponentConfig#trusted()}.
 */
public final class NettyTls {
    /** The key this class reads, for {@link NetworkComponentConfig#checkKeys}. */
    public static final String CLIENT_AUTH = "clientAuth";

    private NettyTls() {
    }

    /**
     * The server SslContext, or empty when the component has no certificate.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} for a certificate without a key, client authentication
     *                            without trusted certificates, or {@code clientAuth} without a certificate
     */
    public static Optional<SslContext> serverContext(NetworkComponentConfig config) {
        String clientAuth = config.choice(CLIENT_AUTH, "none", Set.of("none", "optional", "require"));
        if (!config.tls()) {
            if (!clientAuth.equals("none")) {
                throw ThingportException.invalidArgument("network component " + config.id() + ": clientAuth = " + clientAuth
                        + " needs TLS: set certificate = <name of a managed certificate>");
            }
            return Optional.empty();
        }
        TlsMaterial tls = config.certificate();
        if (tls.key() == null) {
            throw ThingportException.invalidArgument("network component " + config.id() + ": certificate " + tls.name()
                    + " has no private key, so it cannot identify a server");
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(tls.key(), tls.chain().toArray(new X509Certificate[0]));
            if (!clientAuth.equals("none")) {
                if (config.trusted().isEmpty()) {
                    throw ThingportException.invalidArgument("network component " + config.id() + ": clientAuth = " + clientAuth
                            + " needs certificates to trust: set trust = <managed CA certificate>,"
                            + " or add the certificate with its CA chain");
                }
                builder.trustManager(config.trusted().toArray(new X509Certificate[0]))
                        .clientAuth(clientAuth.equals("require") ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            return Optional.of(builder.build());
        } catch (SSLException e) {
            throw ThingportException.invalidArgument("network component " + config.id() + ": certificate " + tls.name()
                    + " cannot be used for TLS: " + e.getMessage());
        }
    }

    /** The verified client certificate chain of a channel with a completed TLS handshake (empty without one). */
    public static List<X509Certificate> peerCertificates(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return List.of();
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }
}
