package io.thingport.rest.internal.resources;

import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.device.AlarmPage;
import io.thingport.api.device.AlarmQuery;
import io.thingport.api.device.AlarmService;
import io.thingport.api.device.DeviceAlarm;
import io.thingport.api.device.DeviceService;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import java.time.Instant;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

/** Device alarms and faults: what {@code iot:alarm-list} and {@code iot:alarm-ack} show and do. */
@Path("/alarms")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class AlarmResource {
    /**
     * An alarm: {@code kind} alarm or fault, {@code value} the JSON value that raised it, {@code active} until a report
     * cleared it ({@code clearedAt}); {@code acknowledgedBy} the user or application that acknowledged it.
     */
    public record AlarmView(long id, String deviceId, String productId, String property, String kind, String value, boolean active,
            Instant raisedAt, Instant clearedAt, Instant acknowledgedAt, String acknowledgedBy) {
        static AlarmView of(DeviceAlarm a) {
            return new AlarmView(a.id(), a.deviceId(), a.productId(), a.property(), a.kind().name().toLowerCase(), a.value(), a.active(),
                    a.raisedAt(), a.clearedAt(), a.acknowledgedAt(), a.acknowledgedBy());
        }
    }

    private final AlarmService alarms;
    private final DeviceService devices;

    @Context
    private SecurityContext security;

    public AlarmResource(AlarmService alarms, DeviceService devices) {
        this.alarms = alarms;
        this.devices = devices;
    }

    /**
     * Alarms newest first, by device, product, state ({@code active=true}: not cleared) and the time they were raised;
     * a caller limited to some products names a device or a product of theirs.
     */
    @GET
    public Page<AlarmView> list(@QueryParam("deviceId") String deviceId, @QueryParam("productId") String productId,
            @QueryParam("active") boolean active, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        Caller caller = CallerPrincipal.of(security);
        if (deviceId != null) {
            Access.device(devices, caller, deviceId);
        }
        if (productId != null) {
            Access.productGranted(caller, productId);
        } else if (deviceId == null) {
            Access.allProducts(caller, "list the alarms of every product (name a productId or deviceId)");
        }
        AlarmPage page = alarms.listAlarms(new AlarmQuery(deviceId, productId, active, Bodies.instant("from", from),
                Bodies.instant("to", to), Bodies.idCursor(cursor), Pages.limit(limit)));
        return new Page<>(page.alarms().stream().map(AlarmView::of).toList(), page.next() == null ? null : page.next().toString());
    }

    @GET
    @Path("/{id}")
    public AlarmView get(@PathParam("id") long id) {
        return AlarmView.of(granted(id));
    }

    /** Records that the caller acknowledged the alarm; 409 when it was acknowledged before. */
    @POST
    @Path("/{id}/ack")
    @Allow(Role.OPERATOR)
    public AlarmView acknowledge(@PathParam("id") long id) {
        granted(id);
        return AlarmView.of(alarms.acknowledge(id, CallerPrincipal.of(security).name()));
    }

    /** The alarm, answered as one that does not exist when it is of a product outside the caller's. */
    private DeviceAlarm granted(long id) {
        DeviceAlarm a = alarms.getAlarm(id);
        if (!CallerPrincipal.of(security).mayAccessProduct(a.productId())) {
            throw ThingportException.notFound("alarm", Long.toString(id));
        }
        return a;
    }
}
