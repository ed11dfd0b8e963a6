package io.thingport.network.dtls;

import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.RefusedHandshakes;
import io.thingport.api.network.TlsMaterial;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.auth.X509CertPath;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.util.DaemonThreadFactory;
import org.eclipse.californium.elements.util.ExecutorsUtil;
import org.eclipse.californium.elements.util.NamedThreadFactory;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

/** Builds a Scandium DTLS server connector from a component's certificate, trusted certificates and PSK keys. */
public final class DtlsSupport {
    private DtlsSupport() {
    }

    /**
     * A server-only DTLS connector bound to {@code bind}, not started.
     *
     * @param configuration the component's Californium configuration (DTLS values are set on it)
     * @param executor      the connector's worker and timer threads (owned by the caller)
     * @param refused       where the handshakes the connector refuses are counted and logged
     * @throws ThingportException {@code INVALID_ARGUMENT} when Scandium refuses the certificate or keys
     */
    public static DTLSConnector serverConnector(NetworkComponentConfig config, DtlsSettings dtls, Configuration configuration,
                                                 InetSocketAddress bind, String tag, ScheduledExecutorService executor,
                                                 RefusedHandshakes refused) {
        CertificateAuthenticationMode mode = switch (dtls.clientAuth()) {
            case "require" -> CertificateAuthenticationMode.NEEDED;
            case "optional" -> CertificateAuthenticationMode.WANTED;
            default -> CertificateAuthenticationMode.NONE;
        };
        configuration.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        configuration.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, mode);
        configuration.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        DtlsHandshakes handshakes = new DtlsHandshakes(refused);
        DtlsConnectorConfig.Builder builder = DtlsConnectorConfig.builder(configuration).setAddress(bind).setLoggingTag(tag)
                .setSessionListener(handshakes).setConnectionListener(handshakes);
        try {
            if (dtls.tls()) {
                TlsMaterial material = config.certificate();
                builder.setCertificateIdentityProvider(new SingleCertificateProvider(material.key(),
                        material.chain().toArray(new X509Certificate[0]), CertificateType.X_509));
                if (mode != CertificateAuthenticationMode.NONE) {
                    builder.setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                            .setTrustedCertificates(config.trusted().toArray(new X509Certificate[0])).build());
                }
            }
            if (dtls.psk()) {
                builder.setAdvancedPskStore(new AdvancedSinglePskStore(dtls.pskIdentity(), dtls.pskKey()));
            }
            DTLSConnector connector = new DTLSConnector(builder.build());
            connector.setAlertHandler(handshakes);
            connector.setExecutor(executor);
            return connector;
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw ThingportException.invalidArgument("network component " + config.id() + ": DTLS cannot be set up"
                    + (dtls.tls() ? " with certificate " + config.certificate().name() : "") + ": " + e.getMessage());
        }
    }

    /** The client certificate chain a DTLS handshake verified (leaf first), or empty. */
    public static List<X509Certificate> peerCertificates(EndpointContext context) {
        Principal identity = context == null ? null : context.getPeerIdentity();
        if (!(identity instanceof X509CertPath path)) {
            return List.of();
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : path.getPath().getCertificates()) {
            if (c instanceof X509Certificate x) {
                out.add(x);
            }
        }
        return out;
    }

    /** The thread pool Scandium's connector of a component runs its handshakes on ({@code <name>-dtls#n}). */
    public static ScheduledExecutorService executor(String name) {
        return ExecutorsUtil.newScheduledThreadPool(2,
                new DaemonThreadFactory(name + "-dtls#",
                        NamedThreadFactory.SCANDIUM_THREAD_GROUP));
    }

    /** Stops a pool made by {@link #executor} (null-safe), waiting up to 2 s for running handshakes. */
    public static void stop(ScheduledExecutorService executor) {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
