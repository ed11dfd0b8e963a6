package io.thingport.rest.internal.resources;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.device.ProductService;
import io.thingport.api.simulation.LatencySummary;
import io.thingport.api.simulation.SimulationRequest;
import io.thingport.api.simulation.SimulationService;
import io.thingport.api.simulation.SimulationStatus;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
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
 * Load simulations, what {@code iot:simulate} runs: N virtual devices of a product reporting at a total rate for a
 * duration. Starting one answers at once (202 with its address); its progress and then its summary are at that address.
 */
@Path("/simulations")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class SimulationResource {
    /** What to run: every member but {@code create} (default false) is required. */
    public record SimulationBody(String productId, Integer devices, Double rate, Double durationSeconds, Boolean create) {
    }

    /** Progress or summary; latencies in milliseconds (publish to PUBACK). */
    public record SimulationView(String id, String productId, String state, String detail, boolean done, int devices,
                                 int connected, double targetRate, double durationSeconds, Instant started,
                                 double elapsedSeconds, long sent, long acked, long errors, double rate,
                                 LatencySummary latency, boolean createdDevices) {
        static SimulationView of(SimulationStatus s) {
            return new SimulationView(s.id(), s.productId(), s.state(), s.detail(), s.done(), s.devices(), s.connected(),
                    s.targetRate(), s.duration().toMillis() / 1000.0, s.started(), s.elapsed().toMillis() / 1000.0, s.sent(),
                    s.acked(), s.errors(), s.rate(), s.latency(), s.createdDevices());
        }
    }

    /** {@code null} while the thingport-simulator feature is not running. */
    private final SimulationService simulations;
    private final ProductService products;

    @Context
    private SecurityContext security;

    private SimulationService service() {
        if (simulations == null) {
            throw new ThingportException(ErrorCode.UNAVAILABLE, "virtual devices and simulations need the thingport-simulator"
                    + " feature, which is not running (feature:install thingport-simulator)");
        }
        return simulations;
    }

    public SimulationResource(SimulationService simulations, ProductService products) {
        this.simulations = simulations;
        this.products = products;
    }

    @GET
    public Page<SimulationView> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        Caller caller = CallerPrincipal.of(security);
        return Pages.of(service().list().stream().filter(s -> caller.mayAccessProduct(s.productId())).map(SimulationView::of)
                .toList(), SimulationView::id, cursor, limit);
    }

    @GET
    @Path("/{id}")
    public SimulationView get(@PathParam("id") String id) {
        return SimulationView.of(accessible(id));
    }

    /** Starts a simulation (202, its address in Location); 503 while another one runs. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response start(SimulationBody body) {
        if (body == null) {
            throw new FieldException("body", "send the simulation as a JSON object: {\"productId\":..,\"devices\":..,\"rate\":..,"
                    + "\"durationSeconds\":..}");
        }
        require("productId", body.productId());
        require("devices", body.devices());
        require("rate", body.rate());
        require("durationSeconds", body.durationSeconds());
        Access.product(products, CallerPrincipal.of(security), body.productId());
        if (!(body.durationSeconds() > 0) || body.durationSeconds() > Integer.MAX_VALUE) {
            throw new FieldException("durationSeconds", "durationSeconds must be more than 0");
        }
        SimulationStatus s = service().start(new SimulationRequest(body.productId(), body.devices(), body.rate(),
                Duration.ofMillis(Math.round(body.durationSeconds() * 1000)), Boolean.TRUE.equals(body.create())));
        return Response.accepted(SimulationView.of(s)).location(URI.create("simulations/" + s.id())).build();
    }

    /** Cancels a running simulation (its summary covers what ran); a finished one is answered as it is. */
    @DELETE
    @Path("/{id}")
    @Allow(Role.OPERATOR)
    public SimulationView cancel(@PathParam("id") String id) {
        accessible(id);
        return SimulationView.of(service().cancel(id));
    }

    private SimulationStatus accessible(String id) {
        SimulationStatus s = service().get(id);
        if (!CallerPrincipal.of(security).mayAccessProduct(s.productId())) {
            throw ThingportException.notFound("simulation", id);
        }
        return s;
    }

    private static void require(String field, Object value) {
        if (value == null) {
            throw new FieldException(field, field + " is required");
        }
    }
}
