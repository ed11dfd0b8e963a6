package io.thingport.network.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.Exchange.Origin;
import org.eclipse.californium.core.network.KeyMID;
import org.junit.jupiter.api.Test;

/** The bounded duplicate detection as a pure data structure, on a fake clock. */
class BoundedDeduplicatorTest {
    private static final long WINDOW = TimeUnit.SECONDS.toNanos(30);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private int port = 40_000;

    @Test
    void aRetransmissionWithinTheWindowFindsTheFirstExchange() {
        // Verifies the duplicate detection itself: the same message id from the same source within dedupSeconds is
        // answered by the first exchange; from another source it is a new request.
        BoundedDeduplicator dedup = dedup(10);
        KeyMID key = key(7, source(1));
        Exchange first = exchange(10);

        assertThat(dedup.findPrevious(key, first)).isNull();
        now.addAndGet(WINDOW - 1);
        assertThat(dedup.findPrevious(key, exchange(10))).isSameAs(first);
        assertThat(dedup.findPrevious(key(7, source(2)), exchange(10))).isNull();
        assertThat(dedup.size()).isEqualTo(2);
    }

    @Test
    void aRequestIsForgottenWhenItsWindowEnds() {
        // Verifies dedupSeconds: at the end of the window the request is gone, even without further traffic (sweep),
        // and the same message id again is a new request.
        BoundedDeduplicator dedup = dedup(10);
        KeyMID key = key(7, source(1));
        Exchange first = exchange(10);
        dedup.findPrevious(key, first);

        now.addAndGet(WINDOW);
        assertThat(dedup.find(key)).isNull();
        dedup.sweep();
        assertThat(dedup.size()).isZero();
        assertThat(dedup.bytes()).isZero();
        Exchange again = exchange(10);
        assertThat(dedup.findPrevious(key, again)).isNull();
        assertThat(dedup.find(key)).isSameAs(again);
    }

    @Test
    void atMaxRequestsTheOldestIsForgotten() {
        // Verifies maxPeers: one request more than the bound forgets the oldest, whatever its age; the others stay.
        BoundedDeduplicator dedup = dedup(3);
        KeyMID[] keys = new KeyMID[4];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(i, source(i));
            assertThat(dedup.findPrevious(keys[i], exchange(10))).isNull();
            now.addAndGet(1);
        }

        assertThat(dedup.size()).isEqualTo(3);
        assertThat(dedup.find(keys[0])).isNull();
        assertThat(dedup.find(keys[1])).isNotNull();
        assertThat(dedup.find(keys[3])).isNotNull();
    }

    @Test
    void theDatagramsTogetherAreBoundedToo() {
        // Verifies the byte bound (2 KiB per remembered request on average): large datagrams make the oldest go
        // before the count is reached; a single datagram larger than the whole bound is still remembered alone.
        BoundedDeduplicator dedup = dedup(4);
        for (int i = 0; i < 3; i++) {
            dedup.findPrevious(key(i, source(i)), exchange(4_000));
        }
        assertThat(dedup.size()).isEqualTo(2);
        assertThat(dedup.bytes()).isEqualTo(8_000);

        dedup.findPrevious(key(9, source(9)), exchange(65_507));
        assertThat(dedup.size()).isEqualTo(1);
        assertThat(dedup.bytes()).isEqualTo(65_507);
    }

    @Test
    void replacingAPreviousExchangeNeedsTheSameOne() {
        // Verifies replacePrevious as Californium's matcher uses it (a retransmission from a new DTLS session): the
        // previous exchange is replaced only when it is the one the caller saw; an unknown key is simply added.
        BoundedDeduplicator dedup = dedup(10);
        KeyMID key = key(7, source(1));
        Exchange first = exchange(10);
        dedup.findPrevious(key, first);

        assertThat(dedup.replacePrevious(key, exchange(10), exchange(10))).isFalse();
        Exchange second = exchange(10);
        assertThat(dedup.replacePrevious(key, first, second)).isTrue();
        assertThat(dedup.find(key)).isSameAs(second);
        KeyMID other = key(8, source(1));
        assertThat(dedup.replacePrevious(other, first, second)).isTrue();
        assertThat(dedup.size()).isEqualTo(2);
    }

    private BoundedDeduplicator dedup(int max) {
        return new BoundedDeduplicator("test", max, WINDOW, now::get);
    }

    private InetSocketAddress source(int i) {
        return new InetSocketAddress("192.0.2.7", port + i);
    }

    private static KeyMID key(int mid, InetSocketAddress source) {
        return new KeyMID(mid, source);
    }

    /** An exchange of a received request whose datagram has {@code bytes} bytes. */
    private static Exchange exchange(int bytes) {
        Request request = new Request(Code.POST);
        request.setBytes(new byte[bytes]);
        return new Exchange(request, "peer", Origin.REMOTE, Runnable::run);
    }
}
