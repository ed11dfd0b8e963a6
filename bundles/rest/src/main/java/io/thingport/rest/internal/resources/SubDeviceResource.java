package io.thingport.rest.internal.resources;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.TopologyService;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import java.util.List;
import java.util.Optional;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * A gateway device's sub-devices, what {@code iot:device-bind/-unbind/-children} manage. Both devices must be visible
 * to the caller (a product-limited application sees neither side of another product). The class's path is the whole
 * of {@code /devices/{id}/children} (see {@link CommandResource} for why).
 */
@Path("/devices/{id}/children")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class SubDeviceResource {
    /** The sub-device to bind. */
    public record ChildBody(String id) {
    }

    /** A gateway's sub-devices by id. */
    public record ChildrenView(String gateway, List<String> children) {
    }

    private final DeviceService devices;
    private final TopologyService topology;

    @Context
    private SecurityContext security;

    public SubDeviceResource(DeviceService devices, TopologyService topology) {
        this.devices = devices;
        this.topology = topology;
    }

    @GET
    public ChildrenView list(@PathParam("id") String gatewayId) {
        Caller caller = CallerPrincipal.of(security);
        Access.device(devices, caller, gatewayId);
        List<String> visible = topology.children(gatewayId).stream()
                .filter(c -> devices.findDevice(c).filter(d -> caller.mayAccessProduct(d.productId())).isPresent()).toList();
        return new ChildrenView(gatewayId, visible);
    }

    /** Binds a sub-device to this gateway: 201, or 200 when it was bound to it already. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response bind(@PathParam("id") String gatewayId, ChildBody body) {
        Caller caller = CallerPrincipal.of(security);
        Access.device(devices, caller, gatewayId);
        if (body == null || body.id() == null || body.id().isBlank()) {
            throw new FieldException("id", "id (the sub-device's) is required");
        }
        Access.device(devices, caller, body.id());
        boolean already = topology.gatewayOf(body.id()).filter(gatewayId::equals).isPresent();
        topology.bind(gatewayId, body.id());
        return Response.status(already ? 200 : 201).entity(list(gatewayId)).build();
    }

    @DELETE
    @Path("/{childId}")
    @Allow(Role.OPERATOR)
    public ChildrenView unbind(@PathParam("id") String gatewayId, @PathParam("childId") String childId) {
        Caller caller = CallerPrincipal.of(security);
        Access.device(devices, caller, gatewayId);
        Access.device(devices, caller, childId);
        Optional<String> gateway = topology.gatewayOf(childId);
        if (gateway.filter(gatewayId::equals).isEmpty()) {
            throw new ThingportException(ErrorCode.NOT_FOUND, "device " + childId + " is not a sub-device of gateway " + gatewayId);
        }
        topology.unbind(childId);
        return list(gatewayId);
    }
}
