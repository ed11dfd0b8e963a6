package io.thingport.rest.internal.resources;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.device.CommandQueue;
import io.thingport.api.device.CommandTicket;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceMessageSender;
import io.thingport.api.device.DeviceService;
import io.thingport.api.message.DeviceCommand;
import io.thingport.api.message.DeviceReply;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.InvokeFunctionReply;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.commands.CommandState;
import io.thingport.rest.internal.commands.CommandTracker;
import io.thingport.rest.internal.http.FieldException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * Commands to devices, what {@code iot:device-invoke/-read/-write} send: synchronous (the answer is the device's reply,
 * or the error that ended it) or asynchronous ({@code "async":true}: answered 202 at once with the command's id, whose
 * state {@link CommandStatusResource} shows). A command the platform could not send at all (a value the thing model
 * refuses, an offline device) is answered with that error either way. The class's path is the whole of
 * {@code /devices/{id}/commands}: CXF tries only the root resource with the longest literal path, and a root of
 * {@code /} would lose to {@code /devices}. A command for a sleepy (PSM, eDRX, DRX) device that is not connected is
 * queued: answered 202 at once with its id and state {@code queued}, sync or async (a full queue is a 409).
 */
@Path("/devices/{id}/commands")
@Produces(MediaType.APPLICATION_JSON)
public class CommandResource {
    /**
     * A command: {@code type} invoke (with {@code function} and {@code inputs}), read (with {@code properties} as a
     * list of ids) or write (with {@code values}, property id to value); {@code timeoutSeconds} bounds the wait for the
     * reply (default and longest: the platform's command timeout).
     */
    public record CommandBody(String type, String function, Map<String, Object> inputs, List<String> properties,
            Map<String, Object> values, Integer timeoutSeconds, Boolean async) {
    }

    private final DeviceService devices;
    private final DeviceMessageSender sender;
    private final CommandQueue queues;
    private final CommandTracker tracker;
    private final Duration maxTimeout;
    private final Clock clock;

    @Context
    private SecurityContext security;

    public CommandResource(DeviceService devices, DeviceMessageSender sender, CommandQueue queues, CommandTracker tracker,
            Duration maxTimeout, Clock clock) {
        this.devices = devices;
        this.sender = sender;
        this.queues = queues;
        this.tracker = tracker;
        this.maxTimeout = maxTimeout;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response send(@PathParam("id") String deviceId, CommandBody body) throws InterruptedException {
        Caller caller = CallerPrincipal.of(security);
        Device device = Access.device(devices, caller, deviceId);
        if (body == null) {
            throw new FieldException("body", "send the command as a JSON object");
        }
        Duration timeout = timeout(body.timeoutSeconds());
        MessageHeader header = MessageHeader.of(sender.newMessageId(), device.productId(), deviceId, clock.millis());
        DeviceCommand command = command(body, header);
        String type = body.type();
        CommandState sent = new CommandState(header.messageId(), deviceId, device.productId(), type, CommandState.SENT,
                null, null, null, null, clock.instant(), null);
        CommandTicket ticket = sender.submit(command, timeout);
        CompletableFuture<DeviceReply> reply = ticket.reply().toCompletableFuture();
        refusedAtOnce(reply);
        if (ticket.queued()) {
            // a sleepy device's command waits for its next contact: its state is read from storage (GET /commands/{id})
            CommandState queued = new CommandState(header.messageId(), deviceId, device.productId(), type, CommandState.QUEUED,
                    null, null, null, null, null, null, clock.instant(), null);
            return Response.accepted(queues.find(header.messageId()).map(CommandState::of).orElse(queued))
                    .location(URI.create("commands/" + header.messageId())).build();
        }
        tracker.put(sent); // only once the platform took it: a refused command is answered, not tracked
        CompletableFuture<CommandState> done = reply.handle((r, e) -> {
            CommandState s = complete(sent, r, e);
            tracker.update(s);
            return s;
        });
        if (Boolean.TRUE.equals(body.async())) {
            return Response.accepted(sent).location(URI.create("commands/" + sent.commandId())).build();
        }
        try {
            // the sender ends the reply at the timeout; the extra second only covers its own scheduling
            return Response.ok(done.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)).build();
        } catch (ExecutionException | TimeoutException e) {
            return Response.ok(tracker.get(sent.commandId()).orElse(sent)).build();
        }
    }

    /**
     * The device's queued commands (sleepy products only have some), waiting and finished, oldest first: the newest
     * {@code limit} (default 100, at most 1000).
     */
    @GET
    @Allow(Role.VIEWER)
    public List<CommandState> queue(@PathParam("id") String deviceId, @QueryParam("limit") Integer limit) {
        Access.device(devices, CallerPrincipal.of(security), deviceId);
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > CommandQueue.MAX_LIST) {
            throw new FieldException("limit", "limit must be between 1 and " + CommandQueue.MAX_LIST);
        }
        return queues.list(deviceId, n).stream().map(CommandState::of).toList();
    }

    /**
     * A command the platform did not send (a value the thing model refuses, an offline device) is answered with that
     * error and its status, not as a command's state: nothing went to the device.
     */
    private static void refusedAtOnce(CompletableFuture<DeviceReply> reply) {
        if (reply.isCompletedExceptionally()) {
            try {
                reply.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof ThingportException t) {
                    throw t;
                }
            }
        }
    }

    private CommandState complete(CommandState sent, DeviceReply reply, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String code = cause instanceof ThingportException t ? t.code().wireName() : ErrorCode.INTERNAL.wireName();
            String message = cause instanceof ThingportException ? cause.getMessage() : "the command failed";
            return new CommandState(sent.commandId(), sent.deviceId(), sent.productId(), sent.type(), CommandState.FAILED,
                    code, message, null, null, sent.sentAt(), clock.instant());
        }
        Map<String, Object> properties = reply instanceof ReadPropertiesReply r ? r.properties()
                : reply instanceof WritePropertiesReply w ? w.properties() : null;
        Object output = reply instanceof InvokeFunctionReply i ? i.output() : null;
        return new CommandState(sent.commandId(), sent.deviceId(), sent.productId(), sent.type(),
                reply.success() ? CommandState.REPLIED : CommandState.FAILED, reply.code(), reply.message(), properties,
                output, sent.sentAt(), clock.instant());
    }

    private Duration timeout(Integer seconds) {
        if (seconds == null) {
            return maxTimeout;
        }
        if (seconds < 1 || seconds > maxTimeout.toSeconds()) {
            throw new FieldException("timeoutSeconds", "timeoutSeconds must be between 1 and " + maxTimeout.toSeconds());
        }
        return Duration.ofSeconds(seconds);
    }

    static DeviceCommand command(CommandBody body, MessageHeader header) {
        if (body.type() == null) {
            throw new FieldException("type", "type is required: invoke, read or write");
        }
        return switch (body.type()) {
            case "invoke" -> {
                if (body.function() == null) {
                    throw new FieldException("function", "an invoke command needs function");
                }
                yield new InvokeFunction(header, body.function(), body.inputs() == null ? Map.of() : body.inputs());
            }
            case "read" -> {
                if (body.properties() == null || body.properties().isEmpty()
                        || body.properties().stream().anyMatch(Objects::isNull)) {
                    throw new FieldException("properties", "a read command needs properties: a list of property ids");
                }
                yield new ReadProperties(header, body.properties());
            }
            case "write" -> {
                if (body.values() == null || body.values().isEmpty()) {
                    throw new FieldException("values", "a write command needs values: property id to value");
                }
                yield new WriteProperties(header, body.values());
            }
            default -> throw new FieldException("type", "type must be invoke, read or write, not " + body.type());
        };
    }
}
