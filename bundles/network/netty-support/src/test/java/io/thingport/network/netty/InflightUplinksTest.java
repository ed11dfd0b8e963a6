package io.thingport.network.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The in-flight bound of one connection alone, as MQTT and the frame transports use it: no channel, no event loop. */
class InflightUplinksTest {
    private final InflightUplinks<String> uplinks = new InflightUplinks<>(2);

    /** Admits an uplink and, if it may go now, counts it as handed to the platform; returns whether reading must stop. */
    private boolean send(String uplink) {
        assertThat(uplinks.admit(uplink)).as("%s may go now", uplink).isTrue();
        return uplinks.started();
    }

    @Test
    void readingStopsWhenTheBoundIsReached() {
        // Verifies that reading stops exactly when maxInflight uplinks are with the platform, QoS 0 or 1 alike.
        // GIVEN an empty window of two

        // WHEN two uplinks are handed to the platform
        boolean stopAfterFirst = send("a");
        boolean stopAfterSecond = send("b");

        // THEN reading stops after the second, not the first
        assertThat(stopAfterFirst).isFalse();
        assertThat(stopAfterSecond).isTrue();
        assertThat(uplinks.inflight()).isEqualTo(2);
        assertThat(uplinks.mayRead()).isFalse();
    }

    @Test
    void uplinksBeyondTheBoundWaitInOrderAndGoAsAnswersCome() {
        // Verifies that uplinks read beyond the bound are queued and released oldest first, one per answer.
        // GIVEN a full window and two more uplinks read off the wire
        send("a");
        send("b");
        boolean cAdmitted = uplinks.admit("c");
        boolean dAdmitted = uplinks.admit("d");

        // WHEN the platform answers one uplink
        uplinks.finished();

        // THEN only the oldest queued uplink may go; the other waits for the next answer
        assertThat(cAdmitted).isFalse();
        assertThat(dAdmitted).isFalse();
        assertThat(uplinks.nextReady()).isEqualTo("c");
        uplinks.started();
        assertThat(uplinks.nextReady()).isNull();
        assertThat(uplinks.queued()).isEqualTo(1);
        uplinks.finished();
        assertThat(uplinks.nextReady()).isEqualTo("d");
    }

    @Test
    void aNewUplinkDoesNotOvertakeQueuedOnes() {
        // Verifies that while uplinks are queued a new one queues behind them even if there is room in the window.
        // GIVEN a full window with one queued uplink, then one answer (room for one)
        send("a");
        send("b");
        uplinks.admit("c");
        uplinks.finished();

        // WHEN a new uplink is read before the queued one was released
        boolean admitted = uplinks.admit("d");

        // THEN the new one is queued behind the older one
        assertThat(admitted).isFalse();
        assertThat(uplinks.nextReady()).isEqualTo("c");
    }

    @Test
    void readingResumesOnlyWithRoomAndAnEmptyQueue() {
        // Verifies that reading may resume only once there is room below the bound and nothing is queued.
        // GIVEN a full window with one queued uplink
        send("a");
        send("b");
        uplinks.admit("c");

        // WHEN one answer comes, the queued uplink goes, then another answer comes
        uplinks.finished();
        boolean withQueued = uplinks.mayRead();
        uplinks.nextReady();
        uplinks.started();
        boolean fullAgain = uplinks.mayRead();
        uplinks.finished();

        // THEN reading resumes only at the end
        assertThat(withQueued).isFalse();
        assertThat(fullAgain).isFalse();
        assertThat(uplinks.mayRead()).isTrue();
    }

    @Test
    void aCloseWithNothingInFlightClosesAtOnce() {
        // Verifies that a close asked for with nothing in flight may happen at once and marks nothing.
        // GIVEN an idle window

        // WHEN a close is asked for
        boolean now = uplinks.closeWhenIdle();

        // THEN the connection may close now
        assertThat(now).isTrue();
        assertThat(uplinks.closing()).isFalse();
    }

    @Test
    void aCloseWaitsForTheUplinksInFlightAndReleasesNoQueuedOne() {
        // Verifies that a close waits for the answers in flight and that queued uplinks no longer go.
        // GIVEN a full window with one queued uplink
        send("a");
        send("b");
        uplinks.admit("c");

        // WHEN a close is asked for and the answers come
        boolean now = uplinks.closeWhenIdle();
        uplinks.finished();
        boolean idleAfterOne = uplinks.idle();
        uplinks.finished();

        // THEN the connection closes only after the last answer, reading never resumes, the queued uplink never goes
        assertThat(now).isFalse();
        assertThat(uplinks.closing()).isTrue();
        assertThat(idleAfterOne).isFalse();
        assertThat(uplinks.idle()).isTrue();
        assertThat(uplinks.nextReady()).isNull();
        assertThat(uplinks.mayRead()).isFalse();
    }

    @Test
    void uplinksHeldDuringTheLoginGoFirstInOrderUpToTheBound() {
        // Verifies that uplinks held while the login is decided are queued whatever the room and go first, in order.
        // GIVEN an empty window of two and three uplinks held during the login
        uplinks.hold("a");
        uplinks.hold("b");
        uplinks.hold("c");
        boolean mayReadWhileHeld = uplinks.mayRead();

        // WHEN the login is accepted, the held ones are released up to the bound and a new uplink is read
        String first = uplinks.nextReady();
        uplinks.started();
        String second = uplinks.nextReady();
        uplinks.started();
        String beyondTheBound = uplinks.nextReady();
        boolean newAdmitted = uplinks.admit("d");

        // THEN two go in order, the third waits for an answer, and the new one queues behind it
        assertThat(mayReadWhileHeld).isFalse();
        assertThat(first).isEqualTo("a");
        assertThat(second).isEqualTo("b");
        assertThat(beyondTheBound).isNull();
        assertThat(newAdmitted).isFalse();
        uplinks.finished();
        assertThat(uplinks.nextReady()).isEqualTo("c");
    }

    @Test
    void aCloseAtOnceDropsTheQueuedUplinksAndStillCountsTheOnesInFlight() {
        // Verifies that a close that waits for nothing drops the queue, releases nothing and never reads again.
        // GIVEN a full window with one queued uplink
        send("a");
        send("b");
        uplinks.admit("c");

        // WHEN the connection closes at once and then one answer comes
        uplinks.closeAtOnce();
        uplinks.finished();

        // THEN nothing is queued or released, reading never resumes, and the uplink still in flight is counted
        assertThat(uplinks.closing()).isTrue();
        assertThat(uplinks.queued()).isZero();
        assertThat(uplinks.nextReady()).isNull();
        assertThat(uplinks.mayRead()).isFalse();
        assertThat(uplinks.inflight()).isEqualTo(1);
        assertThat(uplinks.idle()).isFalse();
    }

    @Test
    void aBoundBelowOneIsRefused() {
        // Verifies that a window without room is refused when it is made, not when the first uplink hangs.
        // GIVEN / WHEN a window of zero is made
        // THEN it is refused
        assertThatThrownBy(() -> new InflightUplinks<String>(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxInflight must be at least 1");
    }
}
