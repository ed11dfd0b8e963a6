package io.thingport.network.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsHandshakesTest {
    private final AtomicLong now = new AtomicLong(0);
    private final TlsHandshakes handshakes = new TlsHandshakes("mqtts", now::get);

    @Test
    void aRefusedHandshakeIsCountedWithItsReasonAndASuccessIsNot() {
        // Verifies the watcher: failed handshakes count, with the root cause as the last reason; good ones do not.
        // GIVEN a connection pipeline with the watcher after a (here: stand-in) TLS handler
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("tls", new ChannelInboundHandlerAdapter());
        channel.pipeline().addLast("tls-handshake", handshakes.watcher());
        // WHEN one handshake succeeds and two fail
        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        SSLHandshakeException wrapped = new SSLHandshakeException("wrapped");
        wrapped.initCause(new IllegalStateException("Empty client certificate chain"));
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(wrapped));
        now.addAndGet(1);
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("no cipher suites in common")));
        // THEN
        assertThat(handshakes.refused()).isEqualTo(2);
        assertThat(handshakes.status("listening on /127.0.0.1:8883"))
                .isEqualTo("listening on /127.0.0.1:8883; 2 TLS handshakes refused (last: embedded: no cipher suites in common)");
        assertThat(new TlsHandshakes("quiet").status("listening on /127.0.0.1:1")).isEqualTo("listening on /127.0.0.1:1");
    }

    @Test
    void aFloodOfRefusalsIsCountedInFullThoughLoggedOncePerInterval() {
        // Verifies the rate limit does not lose the count: every refusal counts, whether it was logged or not.
        for (int i = 0; i < 1000; i++) {
            handshakes.record("/10.0.0.1:" + i, new SSLHandshakeException("bad certificate"));
        }
        now.addAndGet(TlsHandshakes.LOG_INTERVAL_MS);
        handshakes.record("/10.0.0.1:1", new SSLHandshakeException("bad certificate"));
        assertThat(handshakes.refused()).isEqualTo(1001);
    }
}
