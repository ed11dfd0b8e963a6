package io.thingport.rest.internal.resources;

import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceCertificate;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.ImportFormat;
import io.thingport.api.device.LogQuery;
import io.thingport.api.device.LogType;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.ProductService;
import io.thingport.api.device.PropertyBucket;
import io.thingport.api.device.PropertyPage;
import io.thingport.api.device.PropertyValue;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.ETags;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import io.thingport.rest.internal.imports.DeviceImports;
import io.thingport.rest.internal.imports.ImportJobs.JobView;
import io.thingport.rest.internal.imports.ImportJobs.Owner;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

/** Devices, their state, properties, logs and certificates: what {@code iot:device-*} manages. */
@Path("/devices")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class DeviceResource {
    /** A device as the API shows it: never its secret (shown once at creation and at a reset). */
    public record DeviceView(String id, String productId, String name, boolean enabled, DeviceState state,
            Instant createdAt) {
        static DeviceView of(Device d) {
            return new DeviceView(d.id(), d.productId(), d.name(), d.enabled(), d.state(), d.createdAt());
        }
    }

    public record NewDeviceBody(String id, String productId, String name, String secret) {
    }

    /** A new device with its secret, shown this once. */
    public record CreatedDeviceView(DeviceView device, String secret) {
        static CreatedDeviceView of(CreatedDevice c) {
            return new CreatedDeviceView(DeviceView.of(c.device()), c.secret());
        }
    }

    public record SecretView(String deviceId, String secret) {
    }

    /** A property's value: canonical JSON value and when it was reported. */
    public record PropertyView(String property, Object value, Instant timestamp) {
        static PropertyView of(PropertyValue v) {
            return new PropertyView(v.property(), v.value(), v.timestamp());
        }
    }

    public record CertificateBody(String pem, String fingerprint) {
    }

    private final DeviceService devices;
    private final ProductService products;
    private final DeviceLogService logs;
    private final DeviceImports imports;

    @Context
    private SecurityContext security;

    public DeviceResource(DeviceService devices, ProductService products, DeviceLogService logs, DeviceImports imports) {
        this.devices = devices;
        this.products = products;
        this.logs = logs;
        this.imports = imports;
    }

    @GET
    public Page<DeviceView> list(@QueryParam("product") String productId, @QueryParam("enabled") Boolean enabled,
            @QueryParam("online") Boolean online, @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        Caller caller = CallerPrincipal.of(security);
        if (productId != null) {
            Access.product(products, caller, productId);
        }
        return Pages.of(devices.listDevices(productId).stream().filter(d -> caller.mayAccessProduct(d.productId()))
                .filter(d -> enabled == null || d.enabled() == enabled)
                .filter(d -> online == null || d.state().online() == online).map(DeviceView::of).toList(),
                DeviceView::id, cursor, limit);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response create(NewDeviceBody body) {
        if (body == null) {
            throw new FieldException("body", "send the device as a JSON object");
        }
        if (body.productId() == null) {
            throw new FieldException("productId", "productId is required");
        }
        Access.product(products, CallerPrincipal.of(security), body.productId());
        CreatedDevice created = devices.createDevice(new NewDevice(body.id(), body.productId(), body.name(), body.secret()));
        return Response.created(URI.create("devices/" + created.device().id())).entity(CreatedDeviceView.of(created))
                .build();
    }

    /**
     * Creates many devices of one product from CSV ({@code id,name[,secret]} lines) or a JSON array; every row is
     * checked first and nothing is created when any row is wrong (the error lists each wrong row by line). Answers the
     * created devices with their secrets; with {@code async=true}, 202 at once with the import's job (and its address
     * in Location), which {@code GET /devices/imports/{jobId}} follows.
     */
    @POST
    @Path("/import")
    @Consumes({ MediaType.APPLICATION_JSON, "text/csv", MediaType.TEXT_PLAIN })
    @Allow(Role.OPERATOR)
    public Response importDevices(@QueryParam("product") String productId, @QueryParam("format") String format,
            @QueryParam("async") String async, byte[] body) {
        if (productId == null) {
            throw new FieldException("product", "product is required");
        }
        Caller caller = CallerPrincipal.of(security);
        Access.product(products, caller, productId);
        ImportFormat f;
        try {
            f = format == null ? ImportFormat.CSV : ImportFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FieldException("format", "format must be csv or json, not " + format);
        }
        boolean later = async != null && !"false".equals(async);
        if (later && !"true".equals(async)) {
            throw new FieldException("async", "async must be true or false, not " + async);
        }
        String content = Bodies.text(body);
        if (later) {
            JobView job = imports.submit(owner(caller), productId, content, f);
            return Response.accepted(job).location(URI.create("devices/imports/" + job.jobId())).build();
        }
        return Response.ok(devices.importDevices(productId, content, f).stream().map(CreatedDeviceView::of).toList())
                .build();
    }

    /**
     * Where an asynchronous import is ({@code queued}, {@code running}, {@code done} or {@code failed}), with the created
     * devices and their secrets once done. Only its caller sees it, for 10 minutes after it ended. The job id is lower-case
     * hex: the path does not hide the sub-resources of a device named {@code imports} ({@code /devices/imports/state}).
     */
    @GET
    @Path("/imports/{jobId: [0-9a-f]+}")
    @Allow(Role.OPERATOR)
    public JobView importJob(@PathParam("jobId") String jobId) {
        Caller caller = CallerPrincipal.of(security);
        return imports.get(jobId, owner(caller)).filter(j -> caller.mayAccessProduct(j.productId()))
                .orElseThrow(() -> ThingportException.notFound("device import", jobId));
    }

    private static Owner owner(Caller caller) {
        return new Owner(caller.name(), caller.kind());
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        DeviceView view = DeviceView.of(device(id));
        return Response.ok(view).tag(ETags.of(view)).build();
    }

    @DELETE
    @Path("/{id}")
    @Allow(Role.OPERATOR)
    public Response delete(@PathParam("id") String id) {
        device(id);
        devices.deleteDevice(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/enable")
    @Allow(Role.OPERATOR)
    public DeviceView enable(@PathParam("id") String id) {
        device(id);
        return DeviceView.of(devices.setEnabled(id, true));
    }

    @POST
    @Path("/{id}/disable")
    @Allow(Role.OPERATOR)
    public DeviceView disable(@PathParam("id") String id) {
        device(id);
        return DeviceView.of(devices.setEnabled(id, false));
    }

    /** Replaces the device's secret: the old one stops working at once; the new one is shown this once. */
    @POST
    @Path("/{id}/secret")
    @Allow(Role.OPERATOR)
    public SecretView resetSecret(@PathParam("id") String id) {
        device(id);
        return new SecretView(id, devices.rotateSecret(id));
    }

    @GET
    @Path("/{id}/state")
    public DeviceState state(@PathParam("id") String id) {
        return device(id).state();
    }

    @GET
    @Path("/{id}/properties")
    public Map<String, PropertyView> properties(@PathParam("id") String id) {
        device(id);
        Map<String, PropertyView> out = new TreeMap<>();
        devices.latestProperties(id).forEach((k, v) -> out.put(k, PropertyView.of(v)));
        return out;
    }

    @GET
    @Path("/{id}/properties/{property}/history")
    public Page<PropertyView> history(@PathParam("id") String id, @PathParam("property") String property,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        device(id);
        PropertyPage page = devices.propertyHistory(id, property, Bodies.instant("from", from), Bodies.instant("to", to),
                cursor, Pages.limit(limit));
        return new Page<>(page.values().stream().map(PropertyView::of).toList(), page.next());
    }

    @GET
    @Path("/{id}/properties/{property}/series")
    public List<PropertyBucket> series(@PathParam("id") String id, @PathParam("property") String property,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("interval") String interval) {
        device(id);
        if (interval == null) {
            throw new FieldException("interval", "interval is required (an ISO-8601 duration such as PT1M)");
        }
        return devices.propertySeries(id, property, Bodies.instant("from", from), Bodies.instant("to", to),
                Bodies.duration("interval", interval));
    }

    /** The device's log, newest first; {@code type} and {@code messageType} may repeat. */
    @GET
    @Path("/{id}/logs")
    public Page<DeviceLogEntry> logs(@PathParam("id") String id, @QueryParam("type") List<String> types,
            @QueryParam("messageType") List<String> messageTypes, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        device(id);
        int max = Pages.limit(limit);
        List<DeviceLogEntry> entries = logs.query(new LogQuery(id, null, logTypes(types), Set.copyOf(messageTypes),
                Bodies.instant("from", from), Bodies.instant("to", to), null, Bodies.idCursor(cursor), max));
        String next = entries.size() < max ? null : String.valueOf(entries.get(entries.size() - 1).id());
        return new Page<>(entries, next);
    }

    @GET
    @Path("/{id}/certificates")
    public List<DeviceCertificate> certificates(@PathParam("id") String id) {
        device(id);
        return devices.listCertificates(id);
    }

    /** Binds a client certificate, given as PEM or as the SHA-256 fingerprint of one. */
    @POST
    @Path("/{id}/certificates")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public DeviceCertificate bindCertificate(@PathParam("id") String id, CertificateBody body) {
        device(id);
        if (body == null || (body.pem() == null) == (body.fingerprint() == null)) {
            throw new FieldException("pem", "send either pem or fingerprint");
        }
        return body.pem() != null ? devices.bindCertificate(id, body.pem())
                : devices.bindCertificateFingerprint(id, body.fingerprint());
    }

    @DELETE
    @Path("/{id}/certificates/{fingerprint}")
    @Allow(Role.OPERATOR)
    public Response unbindCertificate(@PathParam("id") String id, @PathParam("fingerprint") String fingerprint) {
        device(id);
        devices.unbindCertificate(id, fingerprint);
        return Response.noContent().build();
    }

    /** Log entry types named as the API takes them (any case). */
    static Set<LogType> logTypes(List<String> names) {
        Set<LogType> out = EnumSet.noneOf(LogType.class);
        for (String n : names) {
            try {
                out.add(LogType.valueOf(n.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new FieldException("type", "type must be one of " + EnumSet.allOf(LogType.class).toString()
                        .toLowerCase(Locale.ROOT) + ", not " + n);
            }
        }
        return out;
    }

    private Device device(String id) {
        return Access.device(devices, CallerPrincipal.of(security), id);
    }
}
