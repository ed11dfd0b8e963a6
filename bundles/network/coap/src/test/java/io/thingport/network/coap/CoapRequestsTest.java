package io.thingport.network.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.network.testkit.TestPki;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.californium.core.coap.OptionSet;
import org.junit.jupiter.api.Test;

/** How a request identifies its device, from its options, without a socket. */
class CoapRequestsTest {
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 5000);

    private static OptionSet options(String clientId, String username, String password, String token) {
        OptionSet o = new OptionSet();
        if (clientId != null) {
            o.addOption(CoapOptions.CLIENT_ID.create(clientId));
        }
        if (username != null) {
            o.addOption(CoapOptions.USERNAME.create(username));
        }
        if (password != null) {
            o.addOption(CoapOptions.PASSWORD.create(password));
        }
        if (token != null) {
            o.addOption(CoapOptions.SESSION_TOKEN.create(token));
        }
        return o;
    }

    @Test
    void credentialsLogInATokenAloneResumesAndACertificateAloneLogsIn() {
        // Verifies the decision: credential options make a login (with a token too: credentials always log in again),
        // option 2112 alone presents a session, a verified certificate alone logs in, and the rest is Missing.
        List<X509Certificate> chain = List.of(TestPki.get().ca());
        assertThat(CoapRequests.presented(options("d1", "d1|1", "p", null), List.of(), REMOTE))
                .isInstanceOfSatisfying(CoapRequests.Login.class, l -> {
                    assertThat(l.request().clientId()).isEqualTo("d1");
                    assertThat(new String(l.request().password(), StandardCharsets.UTF_8)).isEqualTo("p");
                    assertThat(l.request().certificates()).isEmpty();
                });
        assertThat(CoapRequests.presented(options("d1", "d1|1", "p", "tok"), List.of(), REMOTE)).isInstanceOf(CoapRequests.Login.class);
        assertThat(CoapRequests.presented(options(null, null, null, "tok-1"), List.of(), REMOTE))
                .isEqualTo(new CoapRequests.Token("tok-1"));
        assertThat(CoapRequests.presented(options(null, null, null, "tok-1"), chain, REMOTE)).isEqualTo(new CoapRequests.Token("tok-1"));
        assertThat(CoapRequests.presented(options(null, null, null, null), chain, REMOTE))
                .isInstanceOfSatisfying(CoapRequests.Login.class, l -> assertThat(l.request().certificates()).isEqualTo(chain));
        assertThat(CoapRequests.presented(options(null, null, null, ""), List.of(), REMOTE))
                .isEqualTo(new CoapRequests.Missing(List.of("2100 (client id)", "2104 (user name)", "2108 (password)")));
        assertThat(CoapRequests.presented(options("d1", "u", null, "tok-1"), List.of(), REMOTE))
                .isEqualTo(new CoapRequests.Missing(List.of("2108 (password)")));
    }
}
