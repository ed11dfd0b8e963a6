package io.thingport.rest.internal.resources;

import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.device.CommandQueue;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.commands.CommandState;
import io.thingport.rest.internal.commands.CommandTracker;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

/**
 * Where a command sent through the API is: {@code GET /commands/{commandId}} (see {@link CommandResource}): a command
 * sent at once from the API's memory (bounded, lost at a restart), a queued one from the device's command queue.
 */
@Path("/commands")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class CommandStatusResource {
    private final CommandTracker tracker;
    private final CommandQueue queues;

    @Context
    private SecurityContext security;

    public CommandStatusResource(CommandTracker tracker, CommandQueue queues) {
        this.tracker = tracker;
        this.queues = queues;
    }

    @GET
    @Path("/{commandId}")
    public CommandState get(@PathParam("commandId") String commandId) {
        Caller caller = CallerPrincipal.of(security);
        return tracker.get(commandId).or(() -> queues.find(commandId).map(CommandState::of))
                .filter(s -> caller.mayAccessProduct(s.productId()))
                .orElseThrow(() -> ThingportException.notFound("command", commandId));
    }

    /** Cancels a queued command that still waits: its state becomes {@code cancelled} (409 once it was delivered). */
    @DELETE
    @Path("/{commandId}")
    @Allow(Role.OPERATOR)
    public CommandState cancel(@PathParam("commandId") String commandId) {
        Caller caller = CallerPrincipal.of(security);
        queues.find(commandId).filter(q -> caller.mayAccessProduct(q.productId()))
                .orElseThrow(() -> ThingportException.notFound("queued command", commandId));
        return CommandState.of(queues.cancel(commandId));
    }
}
