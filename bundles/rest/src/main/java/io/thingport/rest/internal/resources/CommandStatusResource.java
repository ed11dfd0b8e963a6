package io.thingport.rest.internal.resources;

import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.commands.CommandState;
import io.thingport.rest.internal.commands.CommandTracker;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

/** Where a command sent through the API is: {@code GET /commands/{commandId}} (see {@link CommandResource}). */
@Path("/commands")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class CommandStatusResource {
    private final CommandTracker tracker;

    @Context
    private SecurityContext security;

    public CommandStatusResource(CommandTracker tracker) {
        this.tracker = tracker;
    }

    @GET
    @Path("/{commandId}")
    public CommandState get(@PathParam("commandId") String commandId) {
        Caller caller = CallerPrincipal.of(security);
        return tracker.get(commandId).filter(s -> caller.mayAccessProduct(s.productId()))
                .orElseThrow(() -> ThingportException.notFound("command", commandId));
    }
}
