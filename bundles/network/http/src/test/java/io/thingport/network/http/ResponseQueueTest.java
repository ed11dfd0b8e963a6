package io.thingport.network.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-order response queue of one connection, without a socket or an event loop. */
class ResponseQueueTest {
    private static final HttpReply OK = HttpReply.error(HttpResponseStatus.OK, "ok", "");

    private static HttpExchange read() {
        HttpExchange ex = new HttpExchange(HttpVersion.HTTP_1_1, HttpMethod.POST, new DefaultHttpHeaders());
        ex.bodyComplete = true;
        return ex;
    }

    /** Starts like the handler when the platform has not answered yet. */
    private static void startPending(HttpExchange ex) {
        ex.started = true;
    }

    @Test
    void responsesAreDueInArrivalOrderWhateverOrderTheyAreAnswered() {
        // Verifies that a later answer waits until every earlier request is answered (HTTP/1.1 pipelining).
        // GIVEN three started requests
        ResponseQueue queue = new ResponseQueue(8);
        HttpExchange first = read();
        HttpExchange second = read();
        HttpExchange third = read();
        List.of(first, second, third).forEach(queue::add);
        queue.startDue(ResponseQueueTest::startPending);

        // WHEN the third and then the second are answered
        third.respond(OK);
        second.respond(OK);

        // THEN nothing is due until the first is answered; then all three come out in order
        assertThat(queue.pollDue()).isNull();
        first.respond(OK);
        assertThat(queue.pollDue()).isSameAs(first);
        assertThat(queue.pollDue()).isSameAs(second);
        assertThat(queue.pollDue()).isSameAs(third);
        assertThat(queue.pollDue()).isNull();
        assertThat(queue.size()).isZero();
    }

    @Test
    void atMostMaxInflightRequestsAreInProgress() {
        // Verifies that only maxInflight requests are started at once, and the next starts when one is answered.
        // GIVEN maxInflight 2 and three read requests
        ResponseQueue queue = new ResponseQueue(2);
        List<HttpExchange> all = List.of(read(), read(), read());
        all.forEach(queue::add);
        List<HttpExchange> started = new ArrayList<>();

        // WHEN what is due starts
        queue.startDue(ex -> {
            startPending(ex);
            started.add(ex);
        });

        // THEN the first two started; once the first is answered and again what is due starts, the third does
        assertThat(started).containsExactly(all.get(0), all.get(1));
        assertThat(queue.waiting()).isTrue();
        all.get(0).respond(OK);
        queue.startDue(ex -> {
            startPending(ex);
            started.add(ex);
        });
        assertThat(started).containsExactly(all.get(0), all.get(1), all.get(2));
    }

    @Test
    void requestsAnsweredAtOnceDoNotCountAsInProgress() {
        // Verifies that a request the start answers at once (e.g. missing credentials) leaves room for the next one.
        // GIVEN maxInflight 1 and two read requests, the first answered at once when started
        ResponseQueue queue = new ResponseQueue(1);
        HttpExchange refused = read();
        HttpExchange next = read();
        queue.add(refused);
        queue.add(next);

        // WHEN what is due starts
        queue.startDue(ex -> {
            ex.started = true;
            if (ex == refused) {
                ex.respond(OK);
            }
        });

        // THEN both started, and only the second waits for the platform
        assertThat(refused.started).isTrue();
        assertThat(next.started).isTrue();
        assertThat(next.inProgress()).isTrue();
        assertThat(refused.inProgress()).isFalse();
    }

    @Test
    void aRequestStartsOnlyOnceItsBodyIsRead() {
        // Verifies that a request whose body is still being read neither starts nor counts as waiting.
        // GIVEN a request whose body is not complete
        ResponseQueue queue = new ResponseQueue(4);
        HttpExchange reading = new HttpExchange(HttpVersion.HTTP_1_1, HttpMethod.POST, new DefaultHttpHeaders());
        queue.add(reading);

        // WHEN what is due starts
        queue.startDue(ResponseQueueTest::startPending);

        // THEN it did not start and nothing waits for the platform
        assertThat(reading.started).isFalse();
        assertThat(queue.waiting()).isFalse();
    }

    @Test
    void anEarlyRefusalIsDueBeforeItsBodyOnlyWhenTheConnectionCloses() {
        // Verifies that an answer given before the body is read is due at once only when the connection closes after it.
        // GIVEN a request refused while its body is still coming, first kept open, then marked to close
        ResponseQueue queue = new ResponseQueue(4);
        HttpExchange refused = new HttpExchange(HttpVersion.HTTP_1_1, HttpMethod.PUT, new DefaultHttpHeaders());
        refused.respond(HttpReply.methodNotAllowed(HttpMethod.PUT));
        queue.add(refused);

        // WHEN the due response is asked for
        // THEN it waits for its body while the connection stays open, and is due once the connection closes after it
        assertThat(queue.pollDue()).isNull();
        refused.closeAfter = true;
        assertThat(queue.pollDue()).isSameAs(refused);
    }

    @Test
    void aContinueIsOwedOnlyToTheFirstUnansweredRequestThatAskedForIt() {
        // Verifies that 100 Continue is due for the head request that expects it, once, and never after an answer.
        // GIVEN a request with Expect: 100-continue behind one still waiting
        ResponseQueue queue = new ResponseQueue(4);
        HttpExchange earlier = read();
        HttpExchange expecting = new HttpExchange(HttpVersion.HTTP_1_1, HttpMethod.POST, new DefaultHttpHeaders());
        expecting.needsContinue = true;
        queue.add(earlier);
        queue.add(expecting);
        queue.startDue(ResponseQueueTest::startPending);

        // WHEN the earlier request is answered and written
        assertThat(queue.continueDue()).isNull();
        earlier.respond(OK);
        assertThat(queue.pollDue()).isSameAs(earlier);

        // THEN the continue is owed to the expecting request until it is sent; an answered request is owed none
        assertThat(queue.continueDue()).isSameAs(expecting);
        expecting.continueSent = true;
        assertThat(queue.continueDue()).isNull();
        HttpExchange answered = new HttpExchange(HttpVersion.HTTP_1_1, HttpMethod.POST, new DefaultHttpHeaders());
        answered.needsContinue = true;
        answered.respond(HttpReply.tooLarge("Content-Length 9", 1));
        ResponseQueue other = new ResponseQueue(4);
        other.add(answered);
        assertThat(other.continueDue()).isNull();
    }

    @Test
    void theConnectionReadsOnlyWithRoomForAnotherRequest() {
        // Verifies that the queue has room while fewer than maxInflight requests are unanswered.
        // GIVEN maxInflight 2
        ResponseQueue queue = new ResponseQueue(2);

        // WHEN requests arrive
        // THEN there is room for the first two, none after
        assertThat(queue.hasRoom()).isTrue();
        queue.add(read());
        assertThat(queue.hasRoom()).isTrue();
        queue.add(read());
        assertThat(queue.hasRoom()).isFalse();
    }

    @Test
    void clearReleasesTheBodiesBeingRead() {
        // Verifies that dropping the queue (the connection closed) releases the buffers of half-read bodies.
        // GIVEN a request with a half-read body
        ResponseQueue queue = new ResponseQueue(4);
        HttpExchange reading = new HttpExchange(HttpVersion.HTTP_1_1, HttpMethod.POST, new DefaultHttpHeaders());
        ByteBuf body = Unpooled.buffer(16).writeByte(1);
        reading.body = body;
        queue.add(reading);

        // WHEN the queue is cleared
        queue.clear();

        // THEN the body is released and the queue is empty
        assertThat(body.refCnt()).isZero();
        assertThat(reading.body).isNull();
        assertThat(queue.size()).isZero();
    }
}
