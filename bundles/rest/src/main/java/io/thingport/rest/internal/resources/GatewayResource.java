package io.thingport.rest.internal.resources;

import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.network.GatewayInfo;
import io.thingport.api.network.GatewayManager;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import java.net.URI;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * Device access gateways, network components bound to a protocol: what {@code iot:gateway-*} manages, through the same
 * {@link GatewayManager} calls. Admin only; a caller limited to some products is refused (403).
 *
 * <p>{@code GET /gateways/types} lists the gateway types: a gateway named {@code types} is read through the list.
 */
@Path("/gateways")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.ADMIN)
public class GatewayResource {
    /** A new gateway: type {@code official} or {@code custom} (then {@code protocol} names an installed protocol). */
    public record GatewayBody(String name, String type, String network, String protocol, String description) {
    }

    /** A change of the component, protocol or description: each one left out stays; a description of "" clears it. */
    public record GatewayChange(String network, String protocol, String description) {
    }

    private final GatewayManager gateways;

    @Context
    private SecurityContext security;

    public GatewayResource(GatewayManager gateways) {
        this.gateways = gateways;
    }

    @GET
    public Page<GatewayInfo> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        platformWide();
        return Pages.of(gateways.gateways(), GatewayInfo::id, cursor, limit);
    }

    @GET
    @Path("/types")
    public List<String> types() {
        platformWide();
        return gateways.types();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(GatewayBody body) {
        platformWide();
        if (body == null) {
            throw new FieldException("body", "send the gateway as {\"name\", \"type\", \"network\", \"protocol\", \"description\"}");
        }
        if (body.name() == null || body.name().isBlank()) {
            throw new FieldException("name", "name is required");
        }
        if (body.type() == null || body.type().isBlank()) {
            throw new FieldException("type", "type is required: official or custom");
        }
        if (body.network() == null || body.network().isBlank()) {
            throw new FieldException("network", "network is required: the network component the gateway uses");
        }
        GatewayInfo g = gateways.create(body.name(), body.type(), body.network(), body.protocol(), body.description());
        return Response.created(URI.create("gateways/" + g.id())).entity(g).build();
    }

    @GET
    @Path("/{name}")
    public GatewayInfo get(@PathParam("name") String name) {
        platformWide();
        return gateways.gateway(name).orElseThrow(() -> ThingportException.notFound("gateway", name));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public GatewayInfo update(@PathParam("name") String name, GatewayChange body) {
        platformWide();
        if (body == null || body.network() == null && body.protocol() == null && body.description() == null) {
            throw new FieldException("body", "send the change as {\"network\", \"protocol\", \"description\"}, at least one");
        }
        return gateways.update(name, body.network(), body.protocol(), body.description());
    }

    @POST
    @Path("/{name}/enable")
    public GatewayInfo enable(@PathParam("name") String name) {
        platformWide();
        return gateways.setEnabled(name, true);
    }

    @POST
    @Path("/{name}/disable")
    public GatewayInfo disable(@PathParam("name") String name) {
        platformWide();
        return gateways.setEnabled(name, false);
    }

    /** Refused (409) while a product references the gateway. */
    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        platformWide();
        gateways.delete(name);
        return Response.noContent().build();
    }

    private void platformWide() {
        Access.allProducts(CallerPrincipal.of(security), "manage gateways (they serve every product)");
    }
}
