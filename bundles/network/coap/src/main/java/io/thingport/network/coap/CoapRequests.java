package io.thingport.network.coap;

import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.Transport;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.californium.core.coap.Option;
import org.eclipse.californium.core.coap.OptionSet;
import org.eclipse.californium.core.coap.option.StringOptionDefinition;

/**
 * How a CoAP request identifies its device: a login (the credential options 2100/2104/2108, or a client certificate
 * the DTLS handshake verified), the session token of option 2112, or nothing usable. A pure function of the options.
 */
final class CoapRequests {
    private CoapRequests() {
    }

    /** How a request identifies its device: {@link Login}, {@link Token} or {@link Missing}. */
    sealed interface Presented permits Login, Token, Missing {
    }

    /** A login: the credential options, or a verified client certificate without a token. */
    record Login(AuthRequest request) implements Presented {
    }

    /** A session token (from a login's response) and no credential option. */
    record Token(String token) implements Presented {
    }

    /** Neither complete credentials nor a token: answered 4.01 naming the missing options, without the platform. */
    record Missing(List<String> missing) implements Presented {
    }

    /**
     * Any credential option makes the request a login (credentials always log in again: the platform refuses a
     * replayed one); without a verified client certificate all three are then required (an empty value counts as
     * missing). Without any, a non-empty token option presents a session; without either, a verified client
     * certificate logs in; otherwise nothing usable was sent.
     */
    static Presented presented(OptionSet options, List<X509Certificate> certificates, InetSocketAddress remote) {
        Option clientId = first(options, CoapOptions.CLIENT_ID);
        Option username = first(options, CoapOptions.USERNAME);
        Option password = first(options, CoapOptions.PASSWORD);
        Option token = first(options, CoapOptions.SESSION_TOKEN);
        boolean credentials = clientId != null || username != null || password != null;
        if (!credentials && token != null) {
            return new Token(token.getStringValue());
        }
        if (certificates.isEmpty()) {
            List<String> missing = new ArrayList<>();
            if (clientId == null) {
                missing.add(CoapOptions.CLIENT_ID_NUMBER + " (client id)");
            }
            if (username == null) {
                missing.add(CoapOptions.USERNAME_NUMBER + " (user name)");
            }
            if (password == null) {
                missing.add(CoapOptions.PASSWORD_NUMBER + " (password)");
            }
            if (!missing.isEmpty()) {
                return new Missing(List.copyOf(missing));
            }
        }
        AuthRequest auth = new AuthRequest(Transport.COAP, clientId == null ? "" : clientId.getStringValue(),
                username == null ? "" : username.getStringValue(), password == null ? new byte[0] : password.getValue(), remote);
        return new Login(certificates.isEmpty() ? auth : auth.withCertificates(certificates));
    }

    /** The first non-empty value of an option, or {@code null}. */
    private static Option first(OptionSet options, StringOptionDefinition definition) {
        for (Option option : options.getOthers(definition)) {
            if (option.getLength() > 0) {
                return option;
            }
        }
        return null;
    }
}
