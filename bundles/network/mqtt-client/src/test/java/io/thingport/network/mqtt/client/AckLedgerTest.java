package io.thingport.network.mqtt.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.network.mqtt.client.AckLedger.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The acknowledgement ledger alone: no broker, no threads. */
class AckLedgerTest {
    private final AckLedger ledger = new AckLedger();

    /** A message as Paho's callback thread stamps it: with the ledger's current connection. */
    private Inbound arriving(int id, int qos) {
        return new Inbound("/p1/d1/properties/report", ("m" + id).getBytes(StandardCharsets.UTF_8), id, qos, false,
                ledger.connection());
    }

    /** A message stamped and handed to the loop at once. */
    private Inbound received(int id, int qos) {
        Inbound in = arriving(id, qos);
        ledger.arrived(in);
        return in;
    }

    @Test
    void aQos1MessageIsAcknowledgedOnTheConnectionItArrivedOn() {
        // Verifies that a QoS 1 message waits once it has arrived and is acknowledged when settled on the same connection.
        // GIVEN a QoS 1 message that arrived on the current connection
        Inbound in = received(7, 1);
        assertThat(ledger.waiting()).isEqualTo(1);

        // WHEN its fate is settled
        Outcome outcome = ledger.settle(in);

        // THEN it is acknowledged and no longer waits
        assertThat(outcome).isEqualTo(Outcome.ACKNOWLEDGE);
        assertThat(ledger.waiting()).isZero();
    }

    @Test
    void aMessageOfAnEndedConnectionIsNotAcknowledgedOnANewerOne() {
        // Verifies that a message settled after its connection ended is not acknowledged, while one of the new connection is.
        // GIVEN a QoS 1 message of the first connection, then a new connection and a message on it
        Inbound old = received(1, 1);
        ledger.connectionEnded();
        Inbound fresh = received(1, 1);

        // WHEN both are settled
        Outcome oldOutcome = ledger.settle(old);
        Outcome freshOutcome = ledger.settle(fresh);

        // THEN only the message of the current connection is acknowledged
        assertThat(oldOutcome).isEqualTo(Outcome.CONNECTION_GONE);
        assertThat(freshOutcome).isEqualTo(Outcome.ACKNOWLEDGE);
        assertThat(ledger.isCurrent(old)).isFalse();
        assertThat(ledger.isCurrent(fresh)).isTrue();
    }

    @Test
    void aMessageStampedBeforeTheConnectionEndedDoesNotWaitOnTheNewOne() {
        // Verifies that a message stamped on Paho's thread but reaching the loop after its connection ended is never tracked.
        // GIVEN a message stamped with the first connection whose hand-over to the loop comes after the connection ended
        Inbound late = arriving(3, 1);
        ledger.connectionEnded();

        // WHEN it reaches the loop and is settled
        ledger.arrived(late);
        Outcome outcome = ledger.settle(late);

        // THEN it does not wait and is not acknowledged
        assertThat(ledger.waiting()).isZero();
        assertThat(outcome).isEqualTo(Outcome.CONNECTION_GONE);
    }

    @Test
    void endingTheConnectionForgetsEverythingThatWaited() {
        // Verifies that connectionEnded reports how many QoS 1 messages were waiting, forgets them and moves the stamp on.
        // GIVEN three QoS 1 messages waiting on the current connection
        int before = ledger.connection();
        received(1, 1);
        received(2, 1);
        received(3, 1);

        // WHEN the connection ends
        int forgotten = ledger.connectionEnded();

        // THEN all three were forgotten and new messages get a new stamp
        assertThat(forgotten).isEqualTo(3);
        assertThat(ledger.waiting()).isZero();
        assertThat(ledger.connection()).isNotEqualTo(before);
    }

    @Test
    void aQos0MessageNeedsNoAcknowledgement() {
        // Verifies that QoS 0 messages are not tracked and settle without an acknowledgement.
        // GIVEN a QoS 0 message that arrived on the current connection
        Inbound in = received(0, 0);

        // WHEN it is settled
        Outcome outcome = ledger.settle(in);

        // THEN nothing waited and nothing is acknowledged
        assertThat(ledger.waiting()).isZero();
        assertThat(outcome).isEqualTo(Outcome.NO_ACK_NEEDED);
    }

    @Test
    void aMessageIsAcknowledgedAtMostOnce() {
        // Verifies that settling the same message twice acknowledges it only the first time.
        // GIVEN a QoS 1 message that was settled and acknowledged
        Inbound in = received(9, 1);
        assertThat(ledger.settle(in)).isEqualTo(Outcome.ACKNOWLEDGE);

        // WHEN it is settled again
        Outcome again = ledger.settle(in);

        // THEN it is not acknowledged a second time
        assertThat(again).isEqualTo(Outcome.NOT_WAITING);
    }

    @Test
    void aMessageThatNeverArrivedIsNotAcknowledged() {
        // Verifies that only messages handed to the ledger on arrival can be acknowledged.
        // GIVEN a QoS 1 message of the current connection that was never reported as arrived
        Inbound in = arriving(4, 1);

        // WHEN it is settled
        Outcome outcome = ledger.settle(in);

        // THEN it is not acknowledged
        assertThat(outcome).isEqualTo(Outcome.NOT_WAITING);
    }

    @Test
    void twoMessagesWithTheSamePacketIdAreEachAcknowledgedOnce() {
        // Verifies that the ledger tracks each arrival, not the packet id: two arrivals with one id give two acknowledgements.
        // GIVEN two distinct QoS 1 messages with the same packet id on the current connection
        Inbound first = received(5, 1);
        Inbound second = received(5, 1);
        assertThat(ledger.waiting()).isEqualTo(2);

        // WHEN both are settled, the first one twice
        List<Outcome> outcomes = List.of(ledger.settle(first), ledger.settle(first), ledger.settle(second));

        // THEN each is acknowledged exactly once
        assertThat(outcomes).containsExactly(Outcome.ACKNOWLEDGE, Outcome.NOT_WAITING, Outcome.ACKNOWLEDGE);
        assertThat(ledger.waiting()).isZero();
    }

    @Test
    void acknowledgementsFollowTheOrderOfSettlingNotOfArrival() {
        // Verifies that a message is acknowledged when it is settled, even before messages that arrived earlier.
        // GIVEN three QoS 1 messages that arrived in the order 1, 2, 3
        Inbound one = received(1, 1);
        Inbound two = received(2, 1);
        Inbound three = received(3, 1);

        // WHEN they are settled in the order 3, 1, 2
        List<Integer> acknowledged = new ArrayList<>();
        for (Inbound in : List.of(three, one, two)) {
            if (ledger.settle(in) == Outcome.ACKNOWLEDGE) {
                acknowledged.add(in.id());
            }
        }

        // THEN each is acknowledged at its settling, in that order
        assertThat(acknowledged).containsExactly(3, 1, 2);
        assertThat(ledger.waiting()).isZero();
    }
}
