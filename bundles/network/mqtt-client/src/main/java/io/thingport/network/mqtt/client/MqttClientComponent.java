package io.thingport.network.mqtt.client;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running MQTT client: one Paho connection to the broker ({@link BrokerLink}), and one virtual
 * {@link TransportConnection} ({@link BrokeredConnection}) per device seen in the topics ({@link BrokeredDevices}).
 * This class wires them and runs the lifecycle. All of them log under this class's name.
 *
 * <p>Threading: Paho's threads only copy what arrives and hand it to the component's single-threaded loop
 * ({@link EventLoop}), which owns all link and device state and makes every {@link TransportListener} call; Paho's
 * callback thread never waits for the platform.
 *
 * <p>Acknowledgements (QoS 1): Paho runs with manual acks. A message is acknowledged to the broker when its stage has
 * completed normally or with {@code FORBIDDEN}, or when it is skipped for good (topic not matching
 * {@code deviceTopic}, too large, device refused). It is not acknowledged when the platform could not store it (or
 * could not check its device): the component then drops the broker connection and reconnects after
 * {@code reconnectDelay}, and the broker (persistent session, {@code cleanSession=false}) resends every message it has
 * not had an acknowledgement for. Acknowledgements are only sent on the connection the message arrived on
 * ({@link AckLedger}), so a message completing after its connection was lost is not acknowledged either and comes
 * again (at least once).
 *
 * <p>Back-pressure: at most {@value BrokeredDevices#MAX_INFLIGHT_PER_DEVICE} messages per device are with the platform
 * at a time; the rest wait in order. Unacknowledged QoS 1 messages are bounded by the broker's in-flight window
 * (mosquitto's {@code max_inflight_messages}, 20 by default); QoS 0 messages are dropped (and logged) while more than
 * {@value BrokeredDevices#MAX_PENDING} messages wait for the platform. A message the platform did not take because it
 * is at its bound ({@code UNAVAILABLE}) is not acknowledged and does not drop the broker connection: its device pauses
 * and the message goes again after the pause ({@link BrokeredDevices}), so the broker's window stays full meanwhile.
 */
final class MqttClientComponent implements NetworkComponent {
    private static final Logger LOG = LoggerFactory.getLogger(MqttClientComponent.class);
    private static final long CLOSE_GRACE_MILLIS = 3000;

    private final NetworkComponentConfig config;
    private final MqttClientSettings settings;
    private final EventLoop loop;
    private final BrokerLink link;
    private final BrokeredDevices devices;

    private MqttClientComponent(NetworkComponentConfig config, MqttClientSettings settings, TransportListener listener,
                                EventLoop loop, BrokerLink link) {
        this.config = config;
        this.settings = settings;
        this.loop = loop;
        this.link = link;
        this.devices = new BrokeredDevices(config.id(), settings, listener, link, loop);
    }

    /**
     * Sets the client up and makes the first connection attempt, waiting at most {@code connectTimeout} + 5 s for it;
     * a bad configuration is refused ({@code INVALID_ARGUMENT}), an unreachable broker is not.
     */
    static MqttClientComponent start(NetworkComponentConfig config, MqttClientSettings settings, TransportListener listener,
                                     Path sessionsDir) {
        EventLoop loop = new EventLoop(config.id());
        BrokerLink link;
        try {
            link = new BrokerLink(config, settings, loop);
        } catch (RuntimeException e) {
            loop.shutdown();
            throw e;
        }
        BrokerSessions.Record now = new BrokerSessions.Record(settings.serverUri(), settings.clientId(), settings.filters());
        link.cleanUpAfterSubscribing(new BrokerSessions(config.id(), sessionsDir).pending(now, settings.cleanSession()));
        MqttClientComponent component = new MqttClientComponent(config, settings, listener, loop, link);
        component.begin();
        return component;
    }

    private void begin() {
        link.start(devices);
        long sweep = settings.idleTimeout() == 0 ? 30 : Math.max(1, Math.min(30, settings.idleTimeout() / 2));
        loop.every(devices::sweep, sweep);
        link.awaitFirstAttempt();
    }

    @Override
    public NetworkComponentConfig config() {
        return config;
    }

    /** The broker's address (a client binds nothing). */
    @Override
    public InetSocketAddress boundAddress() {
        return link.broker();
    }

    /** Devices currently known: logged in or being checked. */
    @Override
    public int connectionCount() {
        return devices.count();
    }

    @Override
    public String status() {
        return link.status();
    }

    /** The state of the broker connection: {@code CONNECTED} once subscribed. */
    BrokerLink.LinkState linkState() {
        return link.linkState();
    }

    boolean brokerConnected() {
        return linkState() == BrokerLink.LinkState.CONNECTED;
    }

    /** Why the last connection attempt failed or the connection was lost, or {@code null} while connected. */
    String lastError() {
        return link.lastError();
    }

    /** Connection attempts so far (1 + retries). */
    int connectAttempts() {
        return link.connectAttempts();
    }

    /** Messages received from the broker whose stage has not completed yet (waiting or with the platform). */
    int pendingMessages() {
        return devices.pendingMessages();
    }

    /**
     * Stops reading, reports every device disconnected, waits up to {@value #CLOSE_GRACE_MILLIS} ms for the messages
     * the platform is storing (acknowledging them), then disconnects from the broker and stops its threads.
     */
    @Override
    public void close() {
        if (!link.beginClose()) {
            return;
        }
        loop.await(() -> {
            link.cancelReconnect();
            devices.dropAll("network component " + config.id() + " stopped");
        });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
        while (devices.inflight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        loop.await(link::stopAcknowledging);
        link.disconnect();
        loop.shutdown();
        LOG.info("Network component {}: disconnected from the broker {}", config.id(), settings.serverUri());
    }
}
