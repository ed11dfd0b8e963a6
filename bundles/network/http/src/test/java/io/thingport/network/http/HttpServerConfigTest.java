package io.thingport.network.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.protocol.Transport;
import io.thingport.network.testkit.RecordingListener;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Configuration checks of the http-server type: clear errors naming the component and the key. */
class HttpServerConfigTest {
    private final RecordingListener listener = new RecordingListener();
    private final HttpServerProvider provider = new HttpServerProvider();

    private ThingportException refused(ThrowingCallable start, ErrorCode code) {
        Throwable t = catchThrowable(start);
        assertThat(t).isInstanceOf(ThingportException.class);
        assertThat(((ThingportException) t).code()).isEqualTo(code);
        return (ThingportException) t;
    }

    private void start(String id, Map<String, String> properties) {
        provider.start(new NetworkComponentConfig(id, "http-server", properties), listener).close();
    }

    @Test
    void typeAndTransport() {
        assertThat(provider.type()).isEqualTo("http-server");
        assertThat(provider.transport()).isEqualTo(Transport.HTTP);
    }

    @Test
    void portIsRequired() {
        // Verifies that an http-server has no default port.
        assertThat(refused(() -> start("noport", Map.of("host", "127.0.0.1")), ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith("network component noport: port is required");
    }

    @Test
    void unknownKeyIsRefused() {
        assertThat(refused(() -> start("typo", Map.of("port", "0", "prot", "8080")), ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("network component typo: unknown key 'prot'")
                .hasMessageContaining("http-server knows [clientAuth, host, idleTimeout, ioThreads, maxInflight, maxMessageLength,"
                        + " maxQueued, path, port, sessionLifetime]");
    }

    @Test
    void badValuesNameTheKey() {
        // Verifies the error of each checked key.
        assertThat(refused(() -> start("v", Map.of("port", "70000")), ErrorCode.INVALID_ARGUMENT))
                .hasMessage("network component v: port 70000 is out of range 0..65535");
        assertThat(refused(() -> start("v", Map.of("port", "0", "maxMessageLength", "big")), ErrorCode.INVALID_ARGUMENT))
                .hasMessage("network component v: maxMessageLength 'big' is not a whole number");
        assertThat(refused(() -> start("v", Map.of("port", "0", "maxInflight", "0")), ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("maxInflight 0 is out of range");
        assertThat(refused(() -> start("v", Map.of("port", "0", "idleTimeout", "-1")), ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("idleTimeout -1 is out of range");
        assertThat(refused(() -> start("v", Map.of("port", "0", "sessionLifetime", "0")), ErrorCode.INVALID_ARGUMENT))
                .hasMessage("network component v: sessionLifetime 0 is out of range 1..604800");
        assertThat(refused(() -> start("v", Map.of("port", "0", "sessionLifetime", "1h")), ErrorCode.INVALID_ARGUMENT))
                .hasMessage("network component v: sessionLifetime '1h' is not a whole number");
        assertThat(refused(() -> start("v", Map.of("port", "0", "maxQueued", "x")), ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("maxQueued 'x' is not a whole number");
        assertThat(refused(() -> start("v", Map.of("port", "0", "ioThreads", "0")), ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("ioThreads 0 is out of range");
        assertThat(refused(() -> start("v", Map.of("port", "0", "path", "api")), ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("network component v: path 'api' must start with /");
        assertThat(refused(() -> start("v", Map.of("port", "0", "clientAuth", "maybe")), ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("network component v: clientAuth 'maybe' is not one of");
        assertThat(refused(() -> start("v", Map.of("port", "0", "clientAuth", "require")), ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("network component v: clientAuth = require needs TLS");
    }

    @Test
    void commonKeysAreAccepted() {
        start("common", Map.of("port", "0", "host", "127.0.0.1", "name", "common", "type", "http-server",
                "description", "d", "enabled", "true", "publicHost", "example.org", "publicPort", "80"));
    }

    @Test
    void portInUseIsAConflictAndLeavesNothingRunning() {
        // Verifies CONFLICT naming host:port, and that the failed start stopped its threads.
        NetworkComponent first = provider.start(new NetworkComponentConfig("first", "http-server",
                Map.of("host", "127.0.0.1", "port", "0")), listener);
        try {
            int port = first.boundAddress().getPort();
            assertThat(refused(() -> start("dup", Map.of("host", "127.0.0.1", "port", Integer.toString(port))), ErrorCode.CONFLICT))
                    .hasMessageContaining("network component dup: cannot listen on 127.0.0.1:" + port)
                    .hasMessageContaining("already in use");
            await().atMost(10, TimeUnit.SECONDS).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive)
                    .noneMatch(t -> t.getName().startsWith("http-dup-") || t.getName().equals("thingport-dup-sessions")));
        } finally {
            first.close();
        }
    }
}
