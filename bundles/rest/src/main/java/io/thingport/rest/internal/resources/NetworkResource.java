package io.thingport.rest.internal.resources;

import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.network.NetworkManager;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The platform's network components: what {@code iot:network-*} manages, through the same {@link NetworkManager} calls.
 * Admin only; a caller limited to some products is refused (403): a component serves every product. A change returns once
 * the component runs with it, or fails naming the problem with the previous configuration still running. Secret keys
 * ({@code password}, {@code pskKey}) are shown masked, as the manager returns them.
 *
 * <p>{@code GET /networks/types} lists the installed types: a component named {@code types} is read through the list.
 */
@Path("/networks")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.ADMIN)
public class NetworkResource {
    /** A network component: its state ({@code running}, {@code disabled}, {@code waiting}, {@code failed}, ...) and keys. */
    public record NetworkView(String name, String type, boolean enabled, String state, String detail, int connections,
            Map<String, String> properties, List<String> gateways) {
        static NetworkView of(NetworkComponentInfo c) {
            return new NetworkView(c.id(), c.type(), c.enabled(), c.state(), c.detail(), c.connections(), c.properties(),
                    c.gateways());
        }
    }

    /** A new component: its name, type (see {@code /networks/types}) and configuration keys (every key but type). */
    public record NetworkBody(String name, String type, Map<String, String> properties) {
    }

    /** A change: the keys to set and the keys to remove; the type cannot change. */
    public record NetworkChange(Map<String, String> set, List<String> unset) {
    }

    private final NetworkManager network;

    @Context
    private SecurityContext security;

    public NetworkResource(NetworkManager network) {
        this.network = network;
    }

    @GET
    public Page<NetworkView> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        platformWide();
        return Pages.of(network.components().stream().map(NetworkView::of).toList(), NetworkView::name, cursor, limit);
    }

    /** The installed component types and their transports, by type. */
    @GET
    @Path("/types")
    public Map<String, String> types() {
        platformWide();
        return network.types();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NetworkBody body) {
        platformWide();
        if (body == null) {
            throw new FieldException("body", "send the component as {\"name\", \"type\", \"properties\": {}}");
        }
        if (body.name() == null || body.name().isBlank()) {
            throw new FieldException("name", "name is required");
        }
        if (body.type() == null || body.type().isBlank()) {
            throw new FieldException("type", "type is required (see GET /networks/types)");
        }
        NetworkComponentInfo c = network.create(body.name(), body.type(),
                body.properties() == null ? Map.of() : body.properties());
        return Response.created(URI.create("networks/" + c.id())).entity(NetworkView.of(c)).build();
    }

    @GET
    @Path("/{name}")
    public NetworkView get(@PathParam("name") String name) {
        platformWide();
        return NetworkView.of(network.component(name).orElseThrow(() -> ThingportException.notFound("network component", name)));
    }

    /** Sets and removes keys; the component restarts with the result (a refused change is rolled back). */
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public NetworkView update(@PathParam("name") String name, NetworkChange body) {
        platformWide();
        if (body == null || (body.set() == null || body.set().isEmpty()) && (body.unset() == null || body.unset().isEmpty())) {
            throw new FieldException("set", "send the change as {\"set\": {key: value}, \"unset\": [key]}, at least one key");
        }
        Map<String, String> set = body.set() == null ? Map.of() : body.set();
        Set<String> unset = new HashSet<>(body.unset() == null ? List.of() : body.unset());
        for (String key : unset) {
            if (set.containsKey(key)) {
                throw new FieldException("unset", "key " + key + " is both set and unset");
            }
        }
        return NetworkView.of(network.update(name, set, unset));
    }

    @POST
    @Path("/{name}/enable")
    public NetworkView enable(@PathParam("name") String name) {
        platformWide();
        return NetworkView.of(network.setEnabled(name, true));
    }

    @POST
    @Path("/{name}/disable")
    public NetworkView disable(@PathParam("name") String name) {
        platformWide();
        return NetworkView.of(network.setEnabled(name, false));
    }

    /** Refused (409) while a gateway uses the component. */
    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        platformWide();
        network.delete(name);
        return Response.noContent().build();
    }

    private void platformWide() {
        Access.allProducts(CallerPrincipal.of(security), "manage network components (they serve every product)");
    }
}
