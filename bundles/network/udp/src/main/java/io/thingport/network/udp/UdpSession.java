package io.thingport.network.udp;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One device address of a UDP component: first its login (the first datagram), then, once accepted, a connection
 * whose datagrams are uplinks and whose downlinks are datagrams to the address. All state changes happen under the
 * session's lock, so datagrams reach the platform in the order they arrived.
 */
final class UdpSession implements TransportConnection {
    private static final AtomicLong IDS = new AtomicLong();

    private enum State { LOGIN, OPEN, CLOSED }

    private final UdpComponent component;
    private final String id = "udp-" + IDS.incrementAndGet();
    private final InetSocketAddress remote;
    private final List<Object> association;
    private final int maxInflight;
    /** Datagrams that arrived while the login was being checked, delivered in order once it is accepted. */
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private State state = State.LOGIN;
    private int inflight;
    private volatile long lastSeen = System.nanoTime();

    UdpSession(UdpComponent component, InetSocketAddress remote, List<Object> association, int maxInflight) {
        this.component = component;
        this.remote = remote;
        this.association = association;
        this.maxInflight = maxInflight;
    }

    /**
     * A datagram after the login datagram.
     *
     * @return {@code false} when the session is closed (the datagram then starts a new login)
     */
    synchronized boolean datagram(byte[] bytes) {
        if (state == State.CLOSED) {
            return false;
        }
        lastSeen = System.nanoTime();
        if (bytes.length == 0) {
            // A keep-alive: it refreshes the idle timer and is not delivered.
            return true;
        }
        if (state == State.LOGIN) {
            if (held.size() >= maxInflight) {
                component.dropped(remote, bytes.length, maxInflight + " datagrams already wait for the login check (maxInflight)");
            } else {
                held.add(bytes);
            }
            return true;
        }
        if (inflight >= maxInflight) {
            component.dropped(remote, bytes.length, maxInflight + " datagrams of this address are still being stored (maxInflight)");
            return true;
        }
        deliver(bytes);
        return true;
    }

    /**
     * The login check finished. Accepted: write the reply, report the connection, deliver the held datagrams in order.
     * Refused: forget the address (held datagrams are discarded) and write the reply.
     */
    /** The platform's answer to the login datagram of {@code loginBytes} bytes. */
    void loginChecked(AuthResult result, Throwable error, int loginBytes) {
        component.loginDone();
        if (error != null) {
            component.loginFailed(this, unwrap(error));
            forget();
            return;
        }
        if (!result.accepted()) {
            // Forget first, so a datagram the device sends as soon as it reads the reply starts a new login.
            forget();
            component.loginRefused(this, result);
            if (result.reply() != null) {
                byte[] reply = result.reply().payload();
                if (UdpComponent.mayAnswerRefusal(loginBytes, reply.length)) {
                    component.write(remote, reply);
                } else {
                    component.refusalNotAnswered(this, loginBytes, reply.length);
                }
            }
            return;
        }
        if (result.reply() != null) {
            component.write(remote, result.reply().payload());
        }
        synchronized (this) {
            if (state != State.LOGIN) {
                return;
            }
            state = State.OPEN;
            component.listener().connected(this, result);
            while (!held.isEmpty() && state == State.OPEN && inflight < maxInflight) {
                deliver(held.poll());
            }
            held.clear();
        }
    }

    /** Called with the lock held. */
    private void deliver(byte[] bytes) {
        inflight++;
        CompletionStage<Void> stored;
        try {
            stored = component.listener().received(this, new EncodedMessage("", bytes, Map.of()));
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        stored.whenComplete((ignored, error) -> stored(bytes.length, error));
    }

    private void stored(int length, Throwable error) {
        synchronized (this) {
            inflight--;
        }
        if (error == null) {
            return;
        }
        Throwable cause = unwrap(error);
        if (cause instanceof ThingportException te && te.code() == ErrorCode.FORBIDDEN) {
            close("forbidden: " + te.getMessage());
        } else if (cause instanceof ThingportException te && te.code() == ErrorCode.UNAVAILABLE) {
            // The platform is at its bound and took nothing: dropped unanswered like any datagram beyond a bound (UDP
            // cannot slow a sender down); the session stays, the device resends as it must for any lost datagram.
            component.dropped(remote, length, "the platform is at its bound: " + te.getMessage());
        } else {
            close("the platform could not store a message: " + cause.getMessage());
        }
    }

    /** The DTLS association the login came with (empty for plain UDP). */
    List<Object> association() {
        return association;
    }

    /** No datagram since {@code nanos} (System.nanoTime). */
    boolean idleSince(long nanos) {
        return lastSeen - nanos < 0;
    }

    /** Forgets the address without reporting anything (a login that was refused or could not be checked). */
    private void forget() {
        synchronized (this) {
            state = State.CLOSED;
            held.clear();
        }
        component.forget(this);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Transport transport() {
        return Transport.UDP;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public CompletionStage<Void> send(EncodedMessage message) {
        synchronized (this) {
            if (state != State.OPEN) {
                return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                        "the UDP session " + id + " of " + remote + " is closed"));
            }
        }
        return component.write(remote, message.payload());
    }

    /** Closes the session; a session that was connected is reported disconnected once. Idempotent. */
    @Override
    public void close(String reason) {
        boolean wasOpen;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            wasOpen = state == State.OPEN;
            state = State.CLOSED;
            held.clear();
        }
        component.forget(this);
        if (wasOpen) {
            component.closed(this, reason);
        }
    }

    @Override
    public synchronized boolean isOpen() {
        return state == State.OPEN;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public String toString() {
        return id + " " + remote;
    }
}
