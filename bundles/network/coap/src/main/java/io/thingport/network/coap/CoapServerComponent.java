package io.thingport.network.coap;

import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.RefusedHandshakes;
import io.thingport.api.network.RequestSessions;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import io.thingport.network.dtls.DatagramBind;
import io.thingport.network.dtls.DtlsSupport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.InMemoryMessageExchangeStore;
import org.eclipse.californium.core.network.RandomTokenGenerator;
import org.eclipse.californium.core.network.deduplication.Deduplicator;
import org.eclipse.californium.elements.Connector;
import org.eclipse.californium.elements.UDPConnector;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.util.DaemonThreadFactory;
import org.eclipse.californium.elements.util.ExecutorsUtil;
import org.eclipse.californium.elements.util.NamedThreadFactory;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running CoAP server: one Californium server with one endpoint (coap or coaps) and the device sessions. */
final class CoapServerComponent implements NetworkComponent {
    private static final Logger LOG = LoggerFactory.getLogger(CoapServerComponent.class);
    /** Largest UDP payload: every datagram is read whole, so an oversized request is answered 4.13, not dropped. */
    private static final int MAX_DATAGRAM = 65_507;

    private final NetworkComponentConfig config;
    private final CoapServer server;
    private final CoapEndpoint endpoint;
    private final RequestSessions sessions;
    private final ScheduledExecutorService dtlsExecutor;
    private final RefusedHandshakes refused;
    private final Deduplicator deduplicator;
    private final CoapRequestHandler handler;
    private volatile boolean closed;

    private CoapServerComponent(NetworkComponentConfig config, CoapServer server, CoapEndpoint endpoint, RequestSessions sessions,
                                ScheduledExecutorService dtlsExecutor, RefusedHandshakes refused, Deduplicator deduplicator,
                                CoapRequestHandler handler) {
        this.config = config;
        this.server = server;
        this.endpoint = endpoint;
        this.sessions = sessions;
        this.dtlsExecutor = dtlsExecutor;
        this.refused = refused;
        this.deduplicator = deduplicator;
        this.handler = handler;
    }

    static CoapServerComponent start(NetworkComponentConfig config, CoapServerSettings settings, TransportListener listener) {
        String name = "coap-" + config.id();
        InetSocketAddress bind = new InetSocketAddress(settings.host(), settings.port());
        if (bind.isUnresolved()) {
            throw ThingportException.invalidArgument("network component " + config.id() + ": host '" + settings.host()
                    + "' is not a known address of this machine");
        }
        Configuration configuration = configuration(settings);
        ScheduledExecutorService main = ExecutorsUtil.newScheduledThreadPool(
                configuration.get(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT),
                new DaemonThreadFactory(name + "#", NamedThreadFactory.COAP_THREAD_GROUP));
        ScheduledExecutorService secondary = ExecutorsUtil.newSingleThreadScheduledExecutor(
                new DaemonThreadFactory(name + "-timer#", NamedThreadFactory.COAP_THREAD_GROUP));
        ScheduledExecutorService dtlsExecutor = null;
        CoapServer server = null;
        RequestSessions sessions = null;
        RefusedHandshakes refused = new RefusedHandshakes(config.id(), LOG::warn);
        try {
            Connector connector;
            if (settings.dtls().on()) {
                dtlsExecutor = DtlsSupport.executor(name);
                connector = DtlsSupport.serverConnector(config, settings.dtls(), configuration, bind, name, dtlsExecutor, refused);
            } else {
                connector = new UDPConnector(bind, configuration);
            }
            // Duplicate detection bounded in count and time (BoundedDeduplicator), not Californium's own.
            RandomTokenGenerator tokens = new RandomTokenGenerator(configuration);
            InMemoryMessageExchangeStore exchanges = new InMemoryMessageExchangeStore(name, configuration, tokens);
            BoundedDeduplicator deduplicator = new BoundedDeduplicator(config.id(), settings.maxPeers(), settings.dedupSeconds());
            exchanges.setDeduplicator(deduplicator);
            CoapEndpoint endpoint = CoapEndpoint.builder().setConfiguration(configuration).setConnector(connector)
                    .setTokenGenerator(tokens).setMessageExchangeStore(exchanges)
                    .setOptionRegistry(CoapOptions.REGISTRY).setLoggingTag(name).build();
            endpoint.addInterceptor(new BareInternalErrors(config.id()));
            sessions = new RequestSessions(config.id(), Transport.COAP, listener, settings.idleTimeout() * 1000L,
                    settings.sessionLifetime() * 1000L, settings.maxQueued());
            CoapRequestHandler handler = new CoapRequestHandler(config.id(), settings, sessions, listener);
            server = new CoapServer(configuration);
            server.setTag(name);
            server.setExecutors(main, secondary, false);
            server.setMessageDeliverer(handler);
            server.addEndpoint(endpoint);
            long loginSweep = Math.max(50, Math.min(1000, settings.loginTimeout() * 250L));
            secondary.scheduleWithFixedDelay(handler::expireLogins, loginSweep, loginSweep, TimeUnit.MILLISECONDS);
            try {
                endpoint.start();
            } catch (IOException e) {
                throw DatagramBind.error(config, settings.host(), settings.port(), e);
            }
            server.start();
            LOG.info("network component {}: CoAP server listening on {} ({})", config.id(), endpoint.getAddress(),
                    settings.dtls().on() ? "coaps" : "coap");
            return new CoapServerComponent(config, server, endpoint, sessions, dtlsExecutor, refused, deduplicator, handler);
        } catch (RuntimeException e) {
            if (server != null) {
                server.destroy();
            } else {
                main.shutdownNow();
                secondary.shutdownNow();
            }
            DtlsSupport.stop(dtlsExecutor);
            if (sessions != null) {
                sessions.close();
            }
            throw e;
        }
    }

    /**
     * Californium's configuration for this component: defaults without any properties file, plus our limits.
     * <p>
     * What a request from an unknown (perhaps forged) source leaves behind is bounded by {@code maxPeers} entries per
     * table and lasts {@code dedupSeconds} after the source's last request, instead of Californium's 150,000 peers and
     * minutes: the remembered request ({@link BoundedDeduplicator}, instead of {@code EXCHANGE_LIFETIME}, 247 s), a
     * block-wise upload in progress ({@code BLOCKWISE_STATUS_LIFETIME}, 300 s, whose buffer of
     * {@code maxMessageLength} bytes a single first block allocates), and the message-id counter of a peer that got a
     * separate response ({@code MAX_PEER_INACTIVITY_PERIOD}, 600 s). A counter forgotten after {@code dedupSeconds}
     * restarts at a random message id ({@code USE_RANDOM_MID_START}); {@code EXCHANGE_LIFETIME} itself stays 247 s so
     * a counter never reuses an id it handed out to a peer within that time.
     * <p>
     * Why 30 s is enough to recognise retransmissions (RFC 7252 section 4.8, the defaults a client uses: ACK_TIMEOUT
     * 2 s, ACK_RANDOM_FACTOR 1.5, MAX_RETRANSMIT 4): a client that gets no ACK retransmits after 2..3 s, then after
     * twice that each time, so its third retransmission comes at most 3 + 6 + 12 = 21 s after the first transmission
     * and its fourth and last at most MAX_TRANSMIT_SPAN = 45 s after it. 30 s covers three lost ACKs in a row at the
     * slowest random factor, with 9 s to spare for the path's latency. EXCHANGE_LIFETIME adds 2 x MAX_LATENCY = 200 s
     * for the Internet's worst case on top of the 45 s, which a forged source would get for free. A retransmission
     * after the window is handled as a new request: the platform recognises a repeated uplink by its message id and
     * refuses a repeated login as a replay.
     */
    private static Configuration configuration(CoapServerSettings settings) {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
        Configuration configuration = new Configuration(Configuration.createStandardWithoutFile());
        configuration.set(CoapConfig.MAX_ACTIVE_PEERS, settings.maxPeers());
        configuration.set(CoapConfig.MAX_PEER_INACTIVITY_PERIOD, settings.dedupSeconds(), TimeUnit.SECONDS);
        configuration.set(CoapConfig.BLOCKWISE_STATUS_LIFETIME, settings.dedupSeconds(), TimeUnit.SECONDS);
        configuration.set(CoapConfig.BLOCKWISE_STATUS_INTERVAL, 1, TimeUnit.SECONDS);
        configuration.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, settings.maxMessageLength());
        configuration.set(UdpConfig.UDP_DATAGRAM_SIZE, MAX_DATAGRAM);
        configuration.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
        configuration.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
        configuration.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, Math.max(2, Runtime.getRuntime().availableProcessors()));
        return configuration;
    }

    @Override
    public NetworkComponentConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress boundAddress() {
        return endpoint.getAddress();
    }

    @Override
    public int connectionCount() {
        return sessions.size();
    }

    /** For tests: the requests remembered for duplicate detection now. */
    int rememberedRequests() {
        return deduplicator.size();
    }

    /** For tests: the logins waiting for the platform's check now. */
    int pendingLogins() {
        return handler.pendingLogins();
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
            server.stop();
            server.destroy();
        } catch (RuntimeException e) {
            LOG.warn("network component {}: stopping the CoAP server failed", config.id(), e);
        }
        DtlsSupport.stop(dtlsExecutor);
        sessions.close();
        LOG.info("network component {}: CoAP server stopped", config.id());
    }
}
