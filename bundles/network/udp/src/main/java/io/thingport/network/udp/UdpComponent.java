package io.thingport.network.udp;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.RefusedHandshakes;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.Transport;
import io.thingport.network.dtls.DatagramBind;
import io.thingport.network.dtls.DtlsSupport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.Connector;
import org.eclipse.californium.elements.DtlsEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.MessageCallback;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.RawDataChannel;
import org.eclipse.californium.elements.UDPConnector;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.util.DaemonThreadFactory;
import org.eclipse.californium.elements.util.ExecutorsUtil;
import org.eclipse.californium.elements.util.NamedThreadFactory;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running UDP component: one Californium {@link Connector} ({@link UDPConnector}, or Scandium's DTLSConnector when
 * DTLS is on) and one {@link UdpSession} per device address. Datagrams arrive on the connector's threads; the
 * platform's stages complete on any thread; nothing here blocks.
 */
final class UdpComponent implements NetworkComponent, RawDataChannel {
    private static final Logger LOG = LoggerFactory.getLogger(UdpComponent.class);
    /** Largest UDP payload: every datagram is read whole, so an oversized one is seen (and logged), not truncated. */
    private static final int MAX_DATAGRAM = 65_507;
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Addresses whose login the platform is still checking: beyond this, datagrams from new addresses are dropped. */
    static final int MAX_PENDING_LOGINS = 1024;

    private final NetworkComponentConfig config;
    private final UdpSettings settings;
    private final TransportListener listener;
    private final Connector connector;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService dtlsExecutor;
    private final RefusedHandshakes refused;
    private final Map<InetSocketAddress, UdpSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private final AtomicInteger pendingLogins = new AtomicInteger();
    private volatile boolean closed;

    private UdpComponent(NetworkComponentConfig config, UdpSettings settings, TransportListener listener, Connector connector,
                         ScheduledExecutorService timer, ScheduledExecutorService dtlsExecutor, RefusedHandshakes refused) {
        this.config = config;
        this.settings = settings;
        this.listener = listener;
        this.connector = connector;
        this.timer = timer;
        this.dtlsExecutor = dtlsExecutor;
        this.refused = refused;
    }

    static UdpComponent start(NetworkComponentConfig config, UdpSettings settings, TransportListener listener) {
        String name = "udp-" + config.id();
        InetSocketAddress bind = new InetSocketAddress(settings.host(), settings.port());
        if (bind.isUnresolved()) {
            throw ThingportException.invalidArgument("network component " + config.id() + ": host '" + settings.host()
                    + "' is not a known address of this machine");
        }
        Configuration configuration = configuration();
        ScheduledExecutorService timer = ExecutorsUtil.newSingleThreadScheduledExecutor(new DaemonThreadFactory(name + "-timer#",
                NamedThreadFactory.COAP_THREAD_GROUP));
        ScheduledExecutorService dtlsExecutor = null;
        Connector connector = null;
        RefusedHandshakes refused = new RefusedHandshakes(config.id(), LOG::warn);
        try {
            if (settings.dtls().on()) {
                dtlsExecutor = DtlsSupport.executor(name);
                connector = DtlsSupport.serverConnector(config, settings.dtls(), configuration, bind, name, dtlsExecutor, refused);
            } else {
                connector = new UDPConnector(bind, configuration);
            }
            UdpComponent component = new UdpComponent(config, settings, listener, connector, timer, dtlsExecutor, refused);
            connector.setRawDataReceiver(component);
            try {
                connector.start();
            } catch (IOException e) {
                throw DatagramBind.error(config, settings.host(), settings.port(), e);
            }
            long period = Math.max(50, Math.min(1000, settings.idleTimeout() * 1000L / 4));
            timer.scheduleWithFixedDelay(component::sweep, period, period, TimeUnit.MILLISECONDS);
            LOG.info("network component {}: UDP listening on {} ({})", config.id(), connector.getAddress(),
                    settings.dtls().on() ? "DTLS" : "plain");
            return component;
        } catch (RuntimeException e) {
            if (connector != null) {
                connector.destroy();
            }
            timer.shutdownNow();
            DtlsSupport.stop(dtlsExecutor);
            throw e;
        }
    }

    /** Californium's configuration: defaults without any properties file, one receiver thread (datagram order). */
    private static Configuration configuration() {
        UdpConfig.register();
        DtlsConfig.register();
        Configuration configuration = new Configuration(Configuration.createStandardWithoutFile());
        configuration.set(UdpConfig.UDP_DATAGRAM_SIZE, MAX_DATAGRAM);
        configuration.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
        configuration.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
        return configuration;
    }

    // ---- inbound ----

    @Override
    public void receiveData(RawData raw) {
        if (closed) {
            return;
        }
        InetSocketAddress from = raw.getInetSocketAddress();
        byte[] bytes = raw.getBytes();
        if (bytes.length > settings.maxMessageLength()) {
            dropped(from, bytes.length, "longer than maxMessageLength " + settings.maxMessageLength());
            return;
        }
        List<Object> association = association(raw.getEndpointContext());
        for (int attempt = 0; attempt < 3; attempt++) {
            UdpSession existing = sessions.get(from);
            if (existing != null && !existing.association().equals(association)) {
                // Another DTLS association (a new handshake) at this address: maybe another device; log in again.
                existing.close("a new DTLS handshake from " + from);
                sessions.remove(from, existing);
                continue;
            }
            if (existing == null && bytes.length == 0) {
                // Not a login: an empty frame would read as a handshake login without credentials (AuthRequest).
                LOG.debug("network component {}: ignored an empty datagram from {} (no session)", config.id(), from);
                return;
            }
            if (existing == null) {
                if (pendingLogins.get() >= MAX_PENDING_LOGINS) {
                    // A flood of logins from many (perhaps spoofed) addresses: no state for more of them.
                    dropped(from, bytes.length, MAX_PENDING_LOGINS + " logins are being checked already");
                    return;
                }
                UdpSession session = new UdpSession(this, from, association, settings.maxInflight());
                if (sessions.putIfAbsent(from, session) == null) {
                    pendingLogins.incrementAndGet();
                    login(session, raw.getEndpointContext(), bytes);
                    return;
                }
            } else if (existing.datagram(bytes)) {
                return;
            } else {
                sessions.remove(from, existing);
            }
        }
        dropped(from, bytes.length, "its session keeps closing");
    }

    /**
     * What a session is bound to besides its address: the DTLS association (session id and handshake time) the login
     * came with; empty for plain UDP.
     */
    private static List<Object> association(EndpointContext context) {
        if (context == null) {
            return List.of();
        }
        return Arrays.asList(context.get(DtlsEndpointContext.KEY_SESSION_ID), context.get(DtlsEndpointContext.KEY_HANDSHAKE_TIMESTAMP));
    }

    private void login(UdpSession session, EndpointContext context, byte[] frame) {
        AuthRequest request = AuthRequest.ofFrame(Transport.UDP, frame, session.remoteAddress(), DtlsSupport.peerCertificates(context));
        CompletionStage<AuthResult> check;
        try {
            check = listener.authenticate(request);
        } catch (RuntimeException e) {
            check = CompletableFuture.failedFuture(e);
        }
        check.whenComplete((result, error) -> session.loginChecked(result, error, frame.length));
    }

    /**
     * Whether a refused login may be answered with a reply of {@code replyBytes}: only when it is no larger than the
     * login datagram, so that a peer spoofing someone else's address cannot use the component to amplify traffic.
     */
    static boolean mayAnswerRefusal(int loginBytes, int replyBytes) {
        return replyBytes <= loginBytes;
    }

    void loginDone() {
        pendingLogins.decrementAndGet();
    }

    void refusalNotAnswered(UdpSession session, int loginBytes, int replyBytes) {
        LOG.debug("network component {}: the refusal of the {}-byte login from {} is not answered: its {}-byte reply would be"
                + " larger", config.id(), loginBytes, session.remoteAddress(), replyBytes);
    }

    // ---- outbound ----

    /** Sends one datagram to {@code to}; completes when the connector has written it. */
    CompletionStage<Void> write(InetSocketAddress to, byte[] payload) {
        if (payload.length > MAX_DATAGRAM) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.TOO_LARGE, "a datagram carries at most "
                    + MAX_DATAGRAM + " bytes, the downlink has " + payload.length));
        }
        if (closed) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE, "network component "
                    + config.id() + " stopped"));
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        connector.send(RawData.outbound(payload, new AddressEndpointContext(to), new MessageCallback() {
            @Override
            public void onConnecting() {
            }

            @Override
            public void onDtlsRetransmission(int flight) {
            }

            @Override
            public void onContextEstablished(EndpointContext context) {
            }

            @Override
            public void onSent() {
                sent.complete(null);
            }

            @Override
            public void onError(Throwable error) {
                LOG.debug("network component {}: datagram to {} not sent", config.id(), to, error);
                sent.completeExceptionally(new ThingportException(ErrorCode.DEVICE_OFFLINE, "the datagram to " + to
                        + " could not be sent: " + error.getMessage()));
            }
        }, false));
        return sent;
    }

    // ---- session callbacks ----

    TransportListener listener() {
        return listener;
    }

    void forget(UdpSession session) {
        sessions.remove(session.remoteAddress(), session);
    }

    void closed(UdpSession session, String reason) {
        LOG.debug("network component {}: session {} closed: {}", config.id(), session, reason);
        listener.disconnected(session, reason);
    }

    void loginRefused(UdpSession session, AuthResult result) {
        // DEBUG: anyone can send login datagrams (the device log keeps refusals, aggregated per source).
        LOG.debug("network component {}: login from {} refused: {} ({})", config.id(), session.remoteAddress(), result.failure(),
                result.detail());
    }

    void loginFailed(UdpSession session, Throwable cause) {
        LOG.warn("network component {}: the login from {} could not be checked, the address is forgotten: {}", config.id(),
                session.remoteAddress(), cause.toString());
    }

    /** Logs a dropped datagram: at most one warning per 10 s per component (with the count), the rest at debug. */
    void dropped(InetSocketAddress from, int length, String why) {
        long count = droppedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDropLog.get();
        if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLog.compareAndSet(last, now)) {
            droppedSinceLog.addAndGet(-count);
            LOG.warn("network component {}: dropped a datagram of {} bytes from {}: {} ({} dropped since the last warning)",
                    config.id(), length, from, why, count);
        } else {
            LOG.debug("network component {}: dropped a datagram of {} bytes from {}: {}", config.id(), length, from, why);
        }
    }

    private void sweep() {
        long limit = System.nanoTime() - TimeUnit.SECONDS.toNanos(settings.idleTimeout());
        for (UdpSession session : new ArrayList<>(sessions.values())) {
            if (session.idleSince(limit)) {
                session.close("no datagram for " + settings.idleTimeout() + " s");
                forget(session);
            }
        }
    }

    // ---- NetworkComponent ----

    @Override
    public NetworkComponentConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress boundAddress() {
        return connector.getAddress();
    }

    @Override
    public int connectionCount() {
        return sessions.size();
    }

    /** Where it listens, and the DTLS handshakes it refused, if any. */
    @Override
    public String status() {
        return refused.status("listening on " + boundAddress());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connector.stop();
            connector.destroy();
        } catch (RuntimeException e) {
            LOG.warn("network component {}: stopping the connector failed", config.id(), e);
        }
        timer.shutdownNow();
        DtlsSupport.stop(dtlsExecutor);
        String reason = "network component " + config.id() + " stopped";
        for (UdpSession session : new ArrayList<>(sessions.values())) {
            session.close(reason);
        }
        sessions.clear();
        LOG.info("network component {}: UDP stopped", config.id());
    }
}
