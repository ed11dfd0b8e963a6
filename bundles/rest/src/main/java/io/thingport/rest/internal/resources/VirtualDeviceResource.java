package io.thingport.rest.internal.resources;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.device.DeviceService;
import io.thingport.api.simulation.VirtualDeviceInfo;
import io.thingport.api.simulation.VirtualDeviceOptions;
import io.thingport.api.simulation.VirtualDeviceService;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
 * Virtual devices, what {@code iot:virtual-device-*} manage: devices the platform runs itself over its own MQTT server
 * (seed 000, 虚拟设备). Operators start, drive and stop them; viewers list them.
 */
@Path("/virtual-devices")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class VirtualDeviceResource {
    /** A running virtual device; {@code intervalMs} 0 when it reports only when values are set. */
    public record VirtualDeviceView(String deviceId, String productId, String state, String detail, String network,
                                    long intervalMs, Instant started, long sent, long acked, long commands,
                                    Map<String, Object> values) {
        static VirtualDeviceView of(VirtualDeviceInfo i) {
            return new VirtualDeviceView(i.deviceId(), i.productId(), i.state(), i.detail(), i.network(), i.interval().toMillis(),
                    i.started(), i.sent(), i.acked(), i.commands(), i.values());
        }
    }

    /**
     * How to start one: seconds between reports (default 10, 0 for none) and property values it reports instead of
     * generated ones.
     */
    public record StartBody(Double intervalSeconds, Map<String, Object> values) {
    }

    /** An event's data; left out, it is generated from the event's output type. */
    public record EventBody(Object data) {
    }

    /** {@code null} while the thingport-simulator feature is not running. */
    private final VirtualDeviceService virtualDevices;
    private final DeviceService devices;

    @Context
    private SecurityContext security;

    private VirtualDeviceService service() {
        if (virtualDevices == null) {
            throw new ThingportException(ErrorCode.UNAVAILABLE, "virtual devices and simulations need the thingport-simulator"
                    + " feature, which is not running (feature:install thingport-simulator)");
        }
        return virtualDevices;
    }

    public VirtualDeviceResource(VirtualDeviceService virtualDevices, DeviceService devices) {
        this.virtualDevices = virtualDevices;
        this.devices = devices;
    }

    @GET
    public Page<VirtualDeviceView> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        Caller caller = CallerPrincipal.of(security);
        return Pages.of(service().list().stream().filter(d -> caller.mayAccessProduct(d.productId()))
                .map(VirtualDeviceView::of).toList(), VirtualDeviceView::deviceId, cursor, limit);
    }

    @GET
    @Path("/{id}")
    public VirtualDeviceView get(@PathParam("id") String deviceId) {
        Access.device(devices, CallerPrincipal.of(security), deviceId);
        return VirtualDeviceView.of(service().find(deviceId).orElseThrow(() -> ThingportException.notFound("virtual device",
                deviceId)));
    }

    /** Starts simulating the device (201, its address in Location); 409 when it is virtual already. */
    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response start(@PathParam("id") String deviceId, StartBody body) {
        Access.device(devices, CallerPrincipal.of(security), deviceId);
        Duration interval = null;
        if (body != null && body.intervalSeconds() != null) {
            double s = body.intervalSeconds();
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new FieldException("intervalSeconds", "intervalSeconds must be 0 or more");
            }
            interval = Duration.ofMillis(Math.round(s * 1000));
        }
        VirtualDeviceInfo info = service().start(deviceId, new VirtualDeviceOptions(interval, body == null ? null : body.values()));
        return Response.created(URI.create("virtual-devices/" + deviceId)).entity(VirtualDeviceView.of(info)).build();
    }

    /** Stops it (it disconnects). */
    @DELETE
    @Path("/{id}")
    @Allow(Role.OPERATOR)
    public Response stop(@PathParam("id") String deviceId) {
        Access.device(devices, CallerPrincipal.of(security), deviceId);
        service().stop(deviceId);
        return Response.noContent().build();
    }

    /** Sets property values (checked against the thing model), reported at once and held in later reports. */
    @POST
    @Path("/{id}/properties")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public VirtualDeviceView set(@PathParam("id") String deviceId, Map<String, Object> values) {
        Access.device(devices, CallerPrincipal.of(security), deviceId);
        if (values == null || values.isEmpty()) {
            throw new FieldException("body", "send the values as a JSON object: {\"temp\":21.5}");
        }
        return VirtualDeviceView.of(service().set(deviceId, values));
    }

    /** Raises an event. */
    @POST
    @Path("/{id}/events/{eventId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public VirtualDeviceView event(@PathParam("id") String deviceId, @PathParam("eventId") String eventId, EventBody body) {
        Access.device(devices, CallerPrincipal.of(security), deviceId);
        return VirtualDeviceView.of(service().raiseEvent(deviceId, eventId, body == null ? null : body.data()));
    }
}
