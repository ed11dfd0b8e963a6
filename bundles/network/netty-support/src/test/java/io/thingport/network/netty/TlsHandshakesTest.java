package io.thingport.network.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.thingport.api.network.RefusedHandshakes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsHandshakesTest {
    private final AtomicLong now = new AtomicLong(0);
    private final List<String> warnings = new ArrayList<>();
    private final RefusedHandshakes refused = new RefusedHandshakes("mqtts", warnings::add, now::get);

    @Test
    void aRefusedHandshakeIsCountedWithItsReasonAndASuccessIsNot() {
        // Verifies the watcher: failed handshakes count, with the root cause as the last reason; good ones do not.
        // GIVEN a connection pipeline with the watcher after a (here: stand-in) TLS handler
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("tls", new ChannelInboundHandlerAdapter());
        channel.pipeline().addLast("tls-handshake", TlsHandshakes.watcher(refused));
        // WHEN one handshake succeeds and two fail
        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        SSLHandshakeException wrapped = new SSLHandshakeException("wrapped");
        wrapped.initCause(new IllegalStateException("Empty client certificate chain"));
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(wrapped));
        now.addAndGet(1);
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("no cipher suites in common")));
        // THEN
        assertThat(refused.refused()).isEqualTo(2);
        assertThat(refused.status("listening on /127.0.0.1:8883"))
                .isEqualTo("listening on /127.0.0.1:8883; 2 TLS handshakes refused (last: embedded: no cipher suites in common)");
        assertThat(warnings)
                .containsExactly("Network component mqtts: TLS handshake refused, embedded: Empty client certificate chain (1 in all)");
    }
}
