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
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
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
    private volatile boolean closed;

    private CoapServerComponent(NetworkComponentConfig config, CoapServer server, CoapEndpoint endpoint, RequestSessions sessions,
                                ScheduledExecutorService dtlsExecutor, RefusedHandshakes refused) {
        this.config = config;
        this.server = server;
        this.endpoint = endpoint;
        this.sessions = sessions;
        this.dtlsExecutor = dtlsExecutor;
        this.refused = refused;
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
            CoapEndpoint endpoint = CoapEndpoint.builder().setConfiguration(configuration).setConnector(connector)
                    .setOptionRegistry(CoapOptions.REGISTRY).setLoggingTag(name).build();
            endpoint.addInterceptor(new BareInternalErrors(config.id()));
            sessions = new RequestSessions(config.id(), Transport.COAP, listener, settings.idleTimeout() * 1000L,
                    settings.sessionLifetime() * 1000L, settings.maxQueued());
            server = new CoapServer(configuration);
            server.setTag(name);
            server.setExecutors(main, secondary, false);
            server.setMessageDeliverer(new CoapRequestHandler(config.id(), settings, sessions, listener));
            server.addEndpoint(endpoint);
            try {
                endpoint.start();
            } catch (IOException e) {
                throw DatagramBind.error(config, settings.host(), settings.port(), e);
            }
            server.start();
            LOG.info("network component {}: CoAP server listening on {} ({})", config.id(), endpoint.getAddress(),
                    settings.dtls().on() ? "coaps" : "coap");
            return new CoapServerComponent(config, server, endpoint, sessions, dtlsExecutor, refused);
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

    /** Californium's configuration for this component: defaults without any properties file, plus our limits. */
    private static Configuration configuration(CoapServerSettings settings) {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
        Configuration configuration = new Configuration(Configuration.createStandardWithoutFile());
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
