package io.thingport.core.internal.queue;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandQueue;
import io.thingport.api.device.CommandQueueSettings;
import io.thingport.api.device.CommandState;
import io.thingport.api.device.QueuedCommand;
import io.thingport.api.message.DeviceCommand;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.DeviceReply;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.InvokeFunctionReply;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.queue.QueueRules.Plan;
import io.thingport.core.internal.queue.QueueRules.Waiting;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.storage.IdBlocks;
import io.thingport.core.internal.storage.Storage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code command_queue} table: a sleepy device's commands, queued, claimed in order when the device makes contact,
 * and finished. Each change of a device's rows runs in that device's storage partition, so two contacts of one device
 * never claim a command twice; each transition is published on the event bus once it committed. Delivery itself
 * (encoding, writing, waiting for the reply) is the {@link io.thingport.core.internal.downlink.DeviceMessageSenderImpl}'s.
 */
@Component(service = {CommandQueueImpl.class, CommandQueue.class})
public final class CommandQueueImpl implements CommandQueue {
    private static final String COLUMNS = "id, command_id, device_id, product_id, type, body, timeout_ms, expires_at, state,"
            + " updated_at, code, message, result, ts";
    private static final int MAX_MESSAGE = 1000;
    private static final int MAX_SWEEP = 1000;

    private final Storage storage;
    private final DeviceServiceImpl devices;
    private final DeviceEventBusImpl events;
    private final IdBlocks ids;
    private final Clock clock;

    /** A row: its id (queue order), the command as callers see it, and how long a reply may take once it is sent. */
    public record Entry(long id, QueuedCommand command, long timeoutMs) {
    }

    @Activate
    public CommandQueueImpl(@Reference Storage storage, @Reference DeviceServiceImpl devices, @Reference DeviceEventBusImpl events) {
        this(storage, devices, events, Clock.systemUTC());
    }

    CommandQueueImpl(Storage storage, DeviceServiceImpl devices, DeviceEventBusImpl events, Clock clock) {
        this.storage = storage;
        this.devices = devices;
        this.events = events;
        this.clock = clock;
        this.ids = new IdBlocks(storage, "command_queue", 100);
    }

    /**
     * Queues a checked command behind the device's waiting ones.
     *
     * @throws ThingportException {@code CONFLICT} when the queue is full or a waiting command has the same id
     */
    public QueuedCommand enqueue(DeviceCommand command, CommandQueueSettings settings, Duration replyTimeout) {
        long now = clock.millis();
        long expiresAt = QueueRules.expiresAt(now, settings);
        String deviceId = command.deviceId();
        long id = ids.next();
        storage.transaction(deviceId, c -> {
            List<String> waiting = Storage.query(c, "SELECT command_id FROM command_queue WHERE device_id = ? AND state = ?",
                    rs -> rs.getString(1), deviceId, CommandState.QUEUED.wireName());
            if (waiting.contains(command.messageId())) {
                throw new ThingportException(ErrorCode.CONFLICT, "a command with messageId " + command.messageId()
                        + " is already queued for device " + deviceId);
            }
            QueueRules.admit(deviceId, waiting.size(), settings);
            return Storage.update(c, "INSERT INTO command_queue (id, ts, command_id, device_id, product_id, type, body, timeout_ms,"
                    + " expires_at, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, now, command.messageId(),
                    deviceId, command.productId(), command.type().topicSuffix(), Json.write(body(command)), replyTimeout.toMillis(),
                    expiresAt, CommandState.QUEUED.wireName(), now);
        });
        QueuedCommand queued = new QueuedCommand(command.messageId(), deviceId, command.productId(), command.type().topicSuffix(),
                command, CommandState.QUEUED, null, null, null, Instant.ofEpochMilli(now), Instant.ofEpochMilli(expiresAt),
                Instant.ofEpochMilli(now));
        publish(queued);
        return queued;
    }

    /** Whether the device has commands waiting (a new one must queue behind them to keep the order). */
    public boolean hasWaiting(String deviceId) {
        return !storage.query("SELECT id FROM command_queue WHERE device_id = ? AND state = ? LIMIT 1", rs -> rs.getLong(1),
                deviceId, CommandState.QUEUED.wireName()).isEmpty();
    }

    /**
     * The device made contact: expires its waiting commands that are past their time to live and marks the others sent,
     * returning those in queue order for the caller to write to the device (and to {@link #finish} each).
     */
    public List<Entry> claim(String deviceId) {
        long now = clock.millis();
        List<Entry> expired = new ArrayList<>();
        List<Entry> claimed = storage.transaction(deviceId, c -> {
            List<Entry> waiting = select(c, "WHERE device_id = ? AND state = ? ORDER BY id", deviceId, CommandState.QUEUED.wireName());
            if (waiting.isEmpty()) {
                return List.<Entry>of();
            }
            Plan plan = QueueRules.onContact(waiting.stream().map(e -> new Waiting(e.id(),
                    e.command().expiresAt().toEpochMilli())).toList(), now);
            List<Entry> deliver = new ArrayList<>();
            for (Entry e : waiting) {
                if (plan.expire().contains(e.id())) {
                    expired.add(transition(c, e, CommandState.QUEUED, CommandState.EXPIRED, now, ErrorCode.TIMEOUT.wireName(),
                            expiredMessage(e), null));
                } else {
                    deliver.add(transition(c, e, CommandState.QUEUED, CommandState.SENT, now, null, null, null));
                }
            }
            return deliver;
        });
        expired.forEach(e -> publish(e.command()));
        return claimed;
    }

    /** Publishes that a claimed command was written to the device. */
    public void sent(Entry entry) {
        publish(entry.command());
    }

    /**
     * Ends a sent command with the device's reply ({@code error == null}) or the failure that ended it; does nothing
     * when it is no longer sent (the sweep failed it first).
     */
    public void finish(Entry entry, DeviceReply reply, Throwable error) {
        long now = clock.millis();
        CommandState state;
        String code;
        String message;
        Object result = null;
        if (error != null) {
            state = CommandState.FAILED;
            code = error instanceof ThingportException t ? t.code().wireName() : ErrorCode.INTERNAL.wireName();
            message = error instanceof ThingportException ? error.getMessage() : "the command failed: " + error;
        } else {
            state = reply.success() ? CommandState.REPLIED : CommandState.FAILED;
            code = reply.code();
            message = reply.message();
            result = reply instanceof ReadPropertiesReply r ? r.properties() : reply instanceof WritePropertiesReply w ? w.properties()
                    : reply instanceof InvokeFunctionReply i ? i.output() : null;
        }
        Object stored = result;
        Optional<Entry> done = storage.transaction(entry.command().deviceId(), c -> {
            Optional<Entry> now1 = select(c, "WHERE id = ?", entry.id()).stream().findFirst();
            if (now1.isEmpty() || now1.get().command().state() != CommandState.SENT) {
                return Optional.<Entry>empty();
            }
            return Optional.of(transition(c, now1.get(), CommandState.SENT, state, now, code, message, stored));
        });
        done.ifPresent(e -> publish(e.command()));
    }

    /**
     * Expires the commands past their time to live that no contact took, and fails the sent ones whose reply is surely
     * overdue (their node stopped before it came): the rows a device that never comes back would otherwise keep waiting.
     */
    public int sweep() {
        long now = clock.millis();
        List<Entry> changed = storage.transaction(c -> {
            List<Entry> out = new ArrayList<>();
            for (Entry e : select(c, "WHERE state = ? AND expires_at <= ? ORDER BY id LIMIT " + MAX_SWEEP,
                    CommandState.QUEUED.wireName(), now)) {
                out.add(transition(c, e, CommandState.QUEUED, CommandState.EXPIRED, now, ErrorCode.TIMEOUT.wireName(),
                        expiredMessage(e), null));
            }
            for (Entry e : select(c, "WHERE state = ? AND updated_at <= ? ORDER BY id LIMIT " + MAX_SWEEP,
                    CommandState.SENT.wireName(), now - QueueRules.SENT_GRACE_MS)) {
                if (QueueRules.replyOverdue(e.command().updatedAt().toEpochMilli(), e.timeoutMs(), now)) {
                    out.add(transition(c, e, CommandState.SENT, CommandState.FAILED, now, ErrorCode.TIMEOUT.wireName(),
                            "device " + e.command().deviceId() + " did not reply within " + e.timeoutMs() + " ms", null));
                }
            }
            return out;
        });
        changed.forEach(e -> publish(e.command()));
        return changed.size();
    }

    @Override
    public List<QueuedCommand> list(String deviceId, int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw ThingportException.invalidArgument("limit must be between 1 and " + MAX_LIST);
        }
        devices.record(deviceId).orElseThrow(() -> ThingportException.notFound("device", deviceId));
        List<QueuedCommand> newest = new ArrayList<>(storage.read(c -> select(c, "WHERE device_id = ? ORDER BY id DESC LIMIT " + limit,
                deviceId)).stream().map(Entry::command).toList());
        Collections.reverse(newest);
        return newest;
    }

    @Override
    public Optional<QueuedCommand> find(String commandId) {
        return storage.read(c -> select(c, "WHERE command_id = ? ORDER BY id DESC LIMIT 1", commandId)).stream().findFirst()
                .map(Entry::command);
    }

    /** The newest entry with this id. */
    public Optional<Entry> entry(String commandId) {
        return storage.read(c -> select(c, "WHERE command_id = ? ORDER BY id DESC LIMIT 1", commandId)).stream().findFirst();
    }

    @Override
    public QueuedCommand cancel(String commandId) {
        Entry entry = entry(commandId).orElseThrow(() -> ThingportException.notFound("queued command", commandId));
        long now = clock.millis();
        Entry cancelled = storage.transaction(entry.command().deviceId(), c -> {
            Entry current = select(c, "WHERE id = ?", entry.id()).get(0);
            if (current.command().state() != CommandState.QUEUED) {
                throw new ThingportException(ErrorCode.CONFLICT, "command " + commandId + " is " + current.command().state().wireName()
                        + ", not queued: only a waiting command can be cancelled");
            }
            return transition(c, current, CommandState.QUEUED, CommandState.CANCELLED, now, null, "cancelled by an operator", null);
        });
        publish(cancelled.command());
        return cancelled.command();
    }

    private static String expiredMessage(Entry e) {
        return "device " + e.command().deviceId() + " made no contact before the command expired at " + e.command().expiresAt();
    }

    private static Entry transition(Connection c, Entry e, CommandState from, CommandState to, long now, String code, String message,
                                    Object result) throws SQLException {
        String clipped = message == null || message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE);
        Storage.update(c, "UPDATE command_queue SET state = ?, updated_at = ?, code = ?, message = ?, result = ?"
                + " WHERE id = ? AND state = ?",
                to.wireName(), now, code, clipped, result == null ? null : Json.write(result), e.id(), from.wireName());
        QueuedCommand q = e.command();
        return new Entry(e.id(), new QueuedCommand(q.commandId(), q.deviceId(), q.productId(), q.type(), q.command(), to, code, clipped,
                result, q.queuedAt(), q.expiresAt(), Instant.ofEpochMilli(now)), e.timeoutMs());
    }

    private static List<Entry> select(Connection c, String where, Object... params) throws SQLException {
        return Storage.query(c, "SELECT " + COLUMNS + " FROM command_queue " + where, CommandQueueImpl::entry, params);
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        String commandId = rs.getString(2);
        String deviceId = rs.getString(3);
        String productId = rs.getString(4);
        String type = rs.getString(5);
        long queuedAt = rs.getLong(14);
        DeviceCommand command = command(type, rs.getString(6), MessageHeader.of(commandId, productId, deviceId, queuedAt));
        String result = rs.getString(13);
        return new Entry(rs.getLong(1), new QueuedCommand(commandId, deviceId, productId, type, command,
                CommandState.parse(rs.getString(9)), rs.getString(11), rs.getString(12), result == null ? null : Json.toJava(result),
                Instant.ofEpochMilli(queuedAt), Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(10))),
                rs.getLong(7));
    }

    static Map<String, Object> body(DeviceCommand command) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (command instanceof InvokeFunction invoke) {
            body.put("function", invoke.functionId());
            body.put("inputs", invoke.inputs());
        } else if (command instanceof ReadProperties read) {
            body.put("properties", read.properties());
        } else if (command instanceof WriteProperties write) {
            body.put("values", write.properties());
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    static DeviceCommand command(String type, String bodyJson, MessageHeader header) {
        Map<String, Object> body = (Map<String, Object>) Json.toJava(bodyJson);
        return switch (type) {
            case "function/invoke" -> new InvokeFunction(header, (String) body.get("function"), (Map<String, Object>) body.get("inputs"));
            case "properties/read" -> new ReadProperties(header, (List<String>) body.get("properties"));
            case "properties/write" -> new WriteProperties(header, (Map<String, Object>) body.get("values"));
            default -> throw new ThingportException(ErrorCode.INTERNAL, "unknown queued command type " + type);
        };
    }

    private void publish(QueuedCommand q) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("commandId", q.commandId());
        data.put("type", q.type());
        data.put("state", q.state().wireName());
        if (q.code() != null) {
            data.put("code", q.code());
        }
        if (q.message() != null) {
            data.put("message", q.message());
        }
        if (q.result() != null) {
            data.put("result", q.result());
        }
        data.put("queuedAt", q.queuedAt().toEpochMilli());
        data.put("expiresAt", q.expiresAt().toEpochMilli());
        events.publish(new DeviceEvent(MessageHeader.of(q.commandId() + "-" + q.state().wireName(), q.productId(), q.deviceId(),
                q.updatedAt().toEpochMilli()), q.state().eventId(), data));
    }
}
