package io.thingport.rest.internal.events;

import io.thingport.api.access.Role;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerCheck;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.RestJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;

/**
 * Live device events as Server-Sent Events ({@code GET /events}, {@code Accept: text/event-stream}): filtered by
 * {@code product}, {@code device} and {@code type} (repeatable: property, event, online, offline, reply, command,
 * rejected). Each event's {@code id} is its device-log id: a client that reconnects with {@code Last-Event-ID} (or
 * {@code ?lastEventId=}) first receives what it missed from storage, within the resume window, then the live events,
 * with nothing twice. A comment line every 15 s keeps idle connections open. A client that falls behind is sent an
 * {@code event: dropped} and disconnected, as is one whose credentials were revoked or changed meanwhile (checked
 * every 15 s).
 */
@Path("/events")
@Allow(Role.VIEWER)
public class EventsResource {
    public static final String MEDIA_TYPE = "text/event-stream";
    private static final Duration KEEPALIVE = Duration.ofSeconds(15);

    private final EventHub hub;
    private final DeviceLogService logs;
    private final Duration window;
    private final int replayMax;
    private final Clock clock;
    private final CallerCheck callers;

    @Context
    private SecurityContext security;

    public EventsResource(EventHub hub, DeviceLogService logs, Duration window, int replayMax, Clock clock,
            CallerCheck callers) {
        this.callers = callers;
        this.hub = hub;
        this.logs = logs;
        this.window = window;
        this.replayMax = replayMax;
        this.clock = clock;
    }

    @GET
    @Produces(MEDIA_TYPE)
    public Response stream(@QueryParam("product") String productId, @QueryParam("device") String deviceId,
            @QueryParam("type") List<String> types, @HeaderParam("Last-Event-ID") String lastEventHeader,
            @QueryParam("lastEventId") String lastEventParam) {
        Caller caller = CallerPrincipal.of(security);
        EventFilter filter = EventFilter.of(productId, deviceId, types, caller);
        Long lastId = lastId(lastEventHeader != null ? lastEventHeader : lastEventParam);
        // opened before the replay is read, so that what commits meanwhile is queued and nothing falls in between
        EventStream stream = hub.open(filter);
        StreamingOutput body = out -> {
            try (stream) {
                write(out, "retry: 3000\n\n");
                long sent = lastId == null ? 0 : lastId;
                if (lastId != null) {
                    EventReplay.Missed missed = EventReplay.after(logs, filter, lastId, clock.instant().minus(window),
                            replayMax);
                    for (DeviceLogEntry e : missed.entries()) {
                        write(out, SseFormat.event(e));
                        sent = e.id();
                    }
                    if (missed.cut()) {
                        write(out, SseFormat.notice("gap", "more than " + replayMax + " events were missed; the stream "
                                + "goes on from the newest"));
                    }
                }
                long checked = System.nanoTime();
                while (true) {
                    DeviceLogEntry e = stream.poll(KEEPALIVE);
                    if (System.nanoTime() - checked >= KEEPALIVE.toNanos()) {
                        checked = System.nanoTime();
                        if (!callers.stillValid(caller)) {
                            write(out, SseFormat.notice("dropped", "the credentials of this stream were revoked or "
                                    + "changed"));
                            return;
                        }
                    }
                    if (stream.endedBecause() != null) {
                        write(out, SseFormat.notice("dropped", stream.endedBecause()));
                        return;
                    }
                    if (e == null) {
                        write(out, ": keep-alive\n\n");
                    } else if (e.id() > sent || lastId == null) {
                        write(out, SseFormat.event(e));
                        sent = Math.max(sent, e.id());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away: the stream is closed above
            }
        };
        return Response.ok(body, MEDIA_TYPE).header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no")
                .build();
    }

    private static Long lastId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new FieldException("Last-Event-ID", "Last-Event-ID must be the id of an event this API sent, not "
                    + value);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The text of server-sent events. */
    static final class SseFormat {
        private SseFormat() {
        }

        static String event(DeviceLogEntry e) throws IOException {
            EventView view = EventView.of(e);
            return "id: " + e.id() + "\nevent: " + view.kind() + "\ndata: " + RestJson.MAPPER.writeValueAsString(view)
                    + "\n\n";
        }

        static String notice(String event, String message) throws IOException {
            return "event: " + event + "\ndata: " + RestJson.MAPPER.writeValueAsString(Map.of("message",
                    message)) + "\n\n";
        }
    }
}
