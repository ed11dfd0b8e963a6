package io.thingport.api.network;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Device sessions for request/response transports (HTTP, CoAP), where every request carries its credentials and
 * there is no lasting connection. A device's first request authenticates and opens a virtual
 * {@link TransportConnection}; later requests with the same credentials (client id, user name, password and client
 * certificate chain) reuse it without a new login; it closes (the device goes offline) after {@code idleMillis}
 * without requests. Sessions are keyed by client id, or by the certificate's subject for a certificate-only login.
 * Downlinks sent to it wait in a bounded queue and travel in the response to the device's next request
 * ({@link Lease#drain()}).
 *
 * <p>A component creates one per running instance and {@link #close() closes} it when it stops.
 */
public final class RequestSessions implements AutoCloseable {
    private static final AtomicLong IDS = new AtomicLong();

    private final String componentId;
    private final Transport transport;
    private final TransportListener listener;
    private final long idleMillis;
    private final int maxQueued;
    private final Map<String, VirtualConnection> byClient = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private volatile boolean closed;

    /** One request's view of its session. */
    public interface Lease {
        /** The login outcome; when refused, {@link #connection()} is {@code null}. */
        AuthResult result();

        TransportConnection connection();

        /** Takes the downlinks queued for the device so far, to return in this request's response. */
        List<EncodedMessage> drain();
    }

    /**
     * @param idleMillis a session with no request for this long closes
     * @param maxQueued  downlinks held for a device between its requests; a further send fails
     */
    public RequestSessions(String componentId, Transport transport, TransportListener listener, long idleMillis, int maxQueued) {
        this.componentId = componentId;
        this.transport = transport;
        this.listener = listener;
        this.idleMillis = idleMillis;
        this.maxQueued = maxQueued;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "thingport-" + componentId + "-sessions");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(1000, idleMillis / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens or reuses the session for a request's credentials. A session is reused when the client id, user name and
     * password are exactly those that opened it; other credentials for the same client id log in again and, once
     * accepted, replace the old session.
     */
    public CompletionStage<Lease> begin(AuthRequest request) {
        if (closed) {
            return CompletableFuture.failedFuture(stopped());
        }
        String key = key(request);
        VirtualConnection existing = byClient.get(key);
        if (existing != null && existing.isOpen() && existing.sameCredentials(request)) {
            existing.touch(request.remoteAddress());
            return CompletableFuture.completedFuture(existing.lease());
        }
        return listener.authenticate(request).thenApply(result -> {
            if (!result.accepted()) {
                return new Refused(result);
            }
            VirtualConnection connection = new VirtualConnection(key, request, result);
            VirtualConnection old = byClient.put(key, connection);
            if (old != null) {
                old.close("replaced by a new login");
            }
            listener.connected(connection, result);
            if (closed) {
                connection.close("network component " + componentId + " stopped");
                throw stopped();
            }
            return connection.lease();
        });
    }

    private static String key(AuthRequest request) {
        if (!request.clientId().isEmpty() || request.certificates().isEmpty()) {
            return request.clientId();
        }
        return "certificate:" + request.certificates().get(0).getSubjectX500Principal().getName();
    }

    private ThingportException stopped() {
        return new ThingportException(ErrorCode.INTERNAL, "network component " + componentId + " stopped");
    }

    /** Open sessions. */
    public int size() {
        return byClient.size();
    }

    /** Closes every session (each reported as disconnected) and stops the idle sweeper. */
    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        new ArrayList<>(byClient.values()).forEach(c -> c.close("network component " + componentId + " stopped"));
    }

    private void sweep() {
        long now = System.currentTimeMillis();
        for (VirtualConnection c : new ArrayList<>(byClient.values())) {
            if (now - c.lastSeen > idleMillis) {
                c.close("no request for " + (idleMillis / 1000.0) + " s");
            }
        }
    }

    private record Refused(AuthResult result) implements Lease {
        @Override
        public TransportConnection connection() {
            return null;
        }

        @Override
        public List<EncodedMessage> drain() {
            return List.of();
        }
    }

    private final class VirtualConnection implements TransportConnection {
        private final String id = transport.name().toLowerCase(Locale.ROOT) + "-" + IDS.incrementAndGet();
        private final String key;
        private final String clientId;
        private final String username;
        private final byte[] password;
        private final List<X509Certificate> certificates;
        private final AuthResult result;
        private final ArrayDeque<EncodedMessage> queue = new ArrayDeque<>();
        private final AtomicBoolean open = new AtomicBoolean(true);
        private volatile InetSocketAddress remote;
        private volatile long lastSeen = System.currentTimeMillis();

        VirtualConnection(String key, AuthRequest request, AuthResult result) {
            this.key = key;
            this.clientId = request.clientId().isEmpty() ? key : request.clientId();
            this.username = request.username();
            this.password = request.password();
            this.certificates = request.certificates();
            this.result = result;
            this.remote = request.remoteAddress();
        }

        boolean sameCredentials(AuthRequest request) {
            return username.equals(request.username()) && Arrays.equals(password, request.password())
                    && certificates.equals(request.certificates());
        }

        void touch(InetSocketAddress from) {
            lastSeen = System.currentTimeMillis();
            remote = from;
        }

        Lease lease() {
            VirtualConnection self = this;
            return new Lease() {
                @Override
                public AuthResult result() {
                    return result;
                }

                @Override
                public TransportConnection connection() {
                    return self;
                }

                @Override
                public List<EncodedMessage> drain() {
                    lastSeen = System.currentTimeMillis();
                    synchronized (queue) {
                        List<EncodedMessage> out = new ArrayList<>(queue);
                        queue.clear();
                        return out;
                    }
                }
            };
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Transport transport() {
            return transport;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public CompletionStage<Void> send(EncodedMessage message) {
            if (!open.get()) {
                return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE,
                        "the " + transport + " session of " + clientId + " is closed"));
            }
            synchronized (queue) {
                if (queue.size() >= maxQueued) {
                    return CompletableFuture.failedFuture(new ThingportException(ErrorCode.TOO_LARGE, maxQueued
                            + " downlinks already wait for the next request of " + clientId));
                }
                queue.add(message);
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close(String reason) {
            if (open.compareAndSet(true, false)) {
                byClient.remove(key, this);
                listener.disconnected(this, reason);
            }
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }
    }
}
