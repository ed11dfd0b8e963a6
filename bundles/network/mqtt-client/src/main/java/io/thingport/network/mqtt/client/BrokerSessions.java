package io.thingport.network.mqtt.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent broker sessions a component leaves behind when its {@code clientId} or its topic filters change.
 *
 * <p>With {@code cleanSession = false} the broker keeps a session per client id, with its subscriptions, after the
 * client goes: a component given another client id would leave its old session subscribed (under a shared
 * subscription the broker keeps handing it part of the traffic, queued for a client that never comes back: lost), and
 * a component given fewer filters would keep receiving the old ones. So each component remembers, in
 * {@code <dir>/<component id, URL-encoded>.properties}, the broker, client id and filters it last subscribed with; once connected
 * with new ones it unsubscribes the filters it no longer wants and ends the old client id's session (it connects with
 * that id and a clean session, then disconnects). The record is written once that is done, so a cleanup that fails
 * (broker down, ACL) is tried again on the next connection.
 */
final class BrokerSessions {
    private static final Logger LOG = LoggerFactory.getLogger(MqttClientComponent.class);

    /** What a component last subscribed with. */
    record Record(String server, String clientId, List<String> filters) {
        Record {
            filters = List.copyOf(filters);
        }
    }

    /**
     * What to clean up on the broker.
     *
     * @param discardClientId the client id whose session to end, or {@code null}
     * @param unsubscribe     filters of this client id's session that are no longer wanted
     */
    record Cleanup(String discardClientId, List<String> unsubscribe) {
        static final Cleanup NONE = new Cleanup(null, List.of());

        Cleanup {
            unsubscribe = List.copyOf(unsubscribe);
        }

        boolean isNone() {
            return discardClientId == null && unsubscribe.isEmpty();
        }
    }

    private final String componentId;
    private final Path file;

    /** @param dir where the records are kept; {@code null} keeps none (and cleans nothing up) */
    BrokerSessions(String componentId, Path dir) {
        this.componentId = componentId;
        // The id comes from configuration; encoded, it names a file inside dir whatever it holds ("../x", "a/b").
        this.file = dir == null ? null : dir.resolve(URLEncoder.encode(componentId, StandardCharsets.UTF_8) + ".properties");
    }

    /**
     * What a component moving from {@code previous} to {@code now} leaves on the broker. Nothing when there is no
     * previous record or it was for another broker (its sessions are out of reach).
     */
    static Cleanup plan(Record previous, Record now, boolean cleanSession) {
        if (previous == null || !previous.server().equals(now.server())) {
            return Cleanup.NONE;
        }
        if (!previous.clientId().equals(now.clientId())) {
            return new Cleanup(previous.clientId(), List.of());
        }
        if (cleanSession) {
            return Cleanup.NONE; // a clean session starts without the old subscriptions
        }
        List<String> stale = new ArrayList<>(previous.filters());
        stale.removeAll(now.filters());
        return new Cleanup(null, stale);
    }

    Optional<Record> read() {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Network component {}: cannot read {} ({}); old broker sessions are not cleaned up", componentId, file,
                    e.toString());
            return Optional.empty();
        }
        String server = p.getProperty("server");
        String clientId = p.getProperty("clientId");
        String filters = p.getProperty("filters", "");
        if (server == null || clientId == null) {
            return Optional.empty();
        }
        return Optional.of(new Record(server, clientId, filters.isEmpty() ? List.of() : Arrays.asList(filters.split("\n"))));
    }

    void write(Record record) {
        if (file == null) {
            return;
        }
        Properties p = new Properties();
        p.setProperty("server", record.server());
        p.setProperty("clientId", record.clientId());
        p.setProperty("filters", String.join("\n", record.filters()));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "broker session of network component " + componentId + " (thingport mqtt-client)");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("Network component {}: cannot write {}: {}", componentId, file, e.toString());
        }
    }

    /**
     * Carries out a cleanup once the component is connected and subscribed: unsubscribes the stale filters on
     * {@code client} and ends the old client id's session with a client of its own. Blocking: never on Paho's or the
     * link's thread. {@code discardOptions} connect with a clean session. Returns whether everything was done.
     */
    boolean clean(Cleanup cleanup, MqttAsyncClient client, String serverUri, MqttConnectOptions discardOptions) {
        boolean done = true;
        if (!cleanup.unsubscribe().isEmpty()) {
            try {
                client.unsubscribe(cleanup.unsubscribe().toArray(new String[0]))
                        .waitForCompletion(discardOptions.getConnectionTimeout() * 1000L);
                LOG.info("Network component {}: unsubscribed from {}, which it no longer uses", componentId, cleanup.unsubscribe());
            } catch (MqttException | RuntimeException e) {
                LOG.warn("Network component {}: cannot unsubscribe from {}: {}; trying again at the next connection", componentId,
                        cleanup.unsubscribe(), e.toString());
                done = false;
            }
        }
        if (cleanup.discardClientId() != null) {
            try (MqttClient old = new MqttClient(serverUri, cleanup.discardClientId(), new MemoryPersistence())) {
                old.connect(discardOptions);
                old.disconnect();
                LOG.info("Network component {}: ended the broker session of its former client id {}", componentId,
                        cleanup.discardClientId());
            } catch (MqttException | RuntimeException e) {
                LOG.warn("Network component {}: cannot end the broker session of its former client id {}: {}; trying again at the"
                        + " next connection", componentId, cleanup.discardClientId(), e.toString());
                done = false;
            }
        }
        return done;
    }

    /**
     * The cleanup a component owes once it is connected and subscribed, and the record to write after it. Confined to
     * the component's loop; the cleanup itself runs on a thread of its own (it connects a client of its own).
     */
    final class Pending {
        private final Record now;
        private Cleanup owed;
        private boolean running;

        Pending(Record now, Cleanup owed) {
            this.now = now;
            this.owed = owed;
        }

        /** Called on the loop after every successful subscription: does what is left to do, once. */
        void subscribed(MqttAsyncClient client, String serverUri, MqttConnectOptions discardOptions, EventLoop loop) {
            if (owed == null || running) {
                return;
            }
            if (owed.isNone()) {
                owed = null;
                write(now);
                return;
            }
            running = true;
            Cleanup cleanup = owed;
            Thread t = new Thread(() -> {
                boolean done = clean(cleanup, client, serverUri, discardOptions);
                loop.run(() -> {
                    running = false;
                    if (done) {
                        owed = null;
                        write(now);
                    }
                });
            }, "mqtt-client-" + componentId + "-cleanup");
            t.setDaemon(true);
            t.start();
        }
    }

    /** What a component subscribing with {@code now} owes, from the record of its previous subscription. */
    Pending pending(Record now, boolean cleanSession) {
        return new Pending(now, plan(read().orElse(null), now, cleanSession));
    }
}
