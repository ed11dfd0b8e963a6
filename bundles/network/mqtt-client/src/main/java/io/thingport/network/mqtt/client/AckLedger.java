package io.thingport.network.mqtt.client;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Which QoS 1 messages from the broker wait for their acknowledgement, and whether one may be acknowledged now.
 *
 * <p>Broker connections are numbered; every message is stamped with the number of the connection it arrived on
 * ({@link #connection()}). A message is acknowledged at most once, and only on the connection it arrived on: once that
 * connection has ended ({@link #connectionEnded()}) nothing that waited on it is ever acknowledged, not even on a
 * newer connection, so the broker sends it again (at least once). Acknowledgements follow the order in which the
 * messages are settled, not the order in which they arrived. The ledger does not bound itself: the broker's in-flight
 * window bounds the QoS 1 messages it has sent and not had an acknowledgement for.
 *
 * <p>Pure: no Paho, no threads, no clock. Threading: {@link #connection()} may be read on any thread (Paho's callback
 * thread stamps each message with it); every other method is called on the component's loop only.
 */
final class AckLedger {

    /** What to do with a settled message. */
    enum Outcome {
        /** Acknowledge it now, on the connection it arrived on (the current one). */
        ACKNOWLEDGE,
        /** Nothing: a QoS 0 message has no acknowledgement. */
        NO_ACK_NEEDED,
        /** Nothing: its connection has ended, the broker sends it again on a newer one. */
        CONNECTION_GONE,
        /** Nothing: it was already settled, or never arrived on this ledger. */
        NOT_WAITING
    }

    private final Set<Inbound> waiting = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile int connection;

    /** The number of the current broker connection: the stamp of a message arriving now. */
    int connection() {
        return connection;
    }

    /** Whether {@code in} arrived on the current broker connection. */
    boolean isCurrent(Inbound in) {
        return in.connection() == connection;
    }

    /** {@code in} reached the loop: a QoS 1 message of the current connection now waits for its fate. */
    void arrived(Inbound in) {
        if (in.qos() > 0 && isCurrent(in)) {
            waiting.add(in);
        }
    }

    /** The fate of {@code in} is settled (stored, refused or skipped for good): whether to acknowledge it now. */
    Outcome settle(Inbound in) {
        if (in.qos() == 0) {
            return Outcome.NO_ACK_NEEDED;
        }
        if (!isCurrent(in)) {
            return Outcome.CONNECTION_GONE;
        }
        return waiting.remove(in) ? Outcome.ACKNOWLEDGE : Outcome.NOT_WAITING;
    }

    /**
     * The current connection has ended (lost, dropped on purpose, closing): what waited on it is never acknowledged,
     * and messages arriving from now on belong to the next connection.
     *
     * @return how many QoS 1 messages were still waiting
     */
    int connectionEnded() {
        int forgotten = waiting.size();
        waiting.clear();
        connection++;
        return forgotten;
    }

    /** QoS 1 messages of the current connection that wait for their acknowledgement. */
    int waiting() {
        return waiting.size();
    }
}
