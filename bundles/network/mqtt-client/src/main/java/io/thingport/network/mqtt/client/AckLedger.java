package io.thingport.network.mqtt.client;

/**
 * Whether a message from the broker may be acknowledged now.
 *
 * <p>Broker connections are numbered; every message is stamped with the number of the connection it arrived on
 * ({@link #connection()}). A message is acknowledged only on the connection it arrived on: once that connection has
 * ended ({@link #connectionEnded()}) it is never acknowledged, not even on a newer connection, so the broker sends it
 * again (at least once). Acknowledgements follow the order in which the messages are settled, not the order in which
 * they arrived.
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
        CONNECTION_GONE
    }

    private volatile int connection;

    /** The number of the current broker connection: the stamp of a message arriving now. */
    int connection() {
        return connection;
    }

    /** Whether {@code in} arrived on the current broker connection. */
    boolean isCurrent(Inbound in) {
        return in.connection() == connection;
    }

    /** The fate of {@code in} is settled (stored, refused or skipped for good): whether to acknowledge it now. */
    Outcome settle(Inbound in) {
        if (in.qos() == 0) {
            return Outcome.NO_ACK_NEEDED;
        }
        return isCurrent(in) ? Outcome.ACKNOWLEDGE : Outcome.CONNECTION_GONE;
    }

    /**
     * The current connection has ended (lost, dropped on purpose, closing): what arrived on it is never acknowledged,
     * and messages arriving from now on belong to the next connection.
     */
    void connectionEnded() {
        connection++;
    }
}
