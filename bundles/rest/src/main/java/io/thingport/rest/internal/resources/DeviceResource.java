package io.thingport.rest.internal.resources;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceCertificate;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.DevicePage;
import io.thingport.api.device.DeviceQuery;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.DeviceStatus;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
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

/** Devices, their state, properties, logs and certificates: what {@code iot:device-*} manages. */
@Path("/devices")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class DeviceResource {
    /**
     * A device as the API shows it: never its secret (shown once at creation and at a reset). {@code status} is one of
     * {@code online}, {@code offline} (connected before), {@code never-connected}, {@code disabled}; {@code mac} is
     * {@code aa:bb:cc:dd:ee:ff} or absent.
     */
    public record DeviceView(String id, String productId, String name, boolean enabled, String status, String mac,
            Map<String, String> tags, DeviceState state, Instant createdAt) {
        static DeviceView of(Device d) {
            return new DeviceView(d.id(), d.productId(), d.name(), d.enabled(), d.status().label(), d.mac(), d.tags(), d.state(),
                    d.createdAt());
        }
    }

    /** A new device; {@code mac} is optional (aa:bb:cc:dd:ee:ff, with - or as aabb.ccdd.eeff or 12 hex digits). */
    public record NewDeviceBody(String id, String productId, String name, String secret, String mac) {
    }

    /** How many devices have each status ({@code online}, {@code offline}, {@code never-connected}, {@code disabled}). */
    public record CountsView(long total, Map<String, Long> byStatus) {
    }

    /** A device's tags, key to value. */
    public record TagsView(String deviceId, Map<String, String> tags) {
    }

    /** A device's MAC address, or {@code null} to clear it. */
    public record MacBody(String mac) {
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

    /**
     * One page of devices by id, read from the database: of a product, with a status ({@code online}, {@code offline},
     * {@code never-connected}, {@code disabled}), carrying every {@code tag} given ({@code key=value}, repeatable), whose
     * id starts with {@code prefix}, sub-devices of {@code gateway}. {@code online=true} is {@code status=online} and {@code enabled=false}
     * {@code status=disabled} (as before statuses). A caller limited to some products sees theirs only.
     */
    @GET
    public Page<DeviceView> list(@QueryParam("product") String productId, @QueryParam("status") String status,
            @QueryParam("tag") List<String> tags, @QueryParam("prefix") String prefix, @QueryParam("enabled") Boolean enabled,
            @QueryParam("online") Boolean online, @QueryParam("gateway") String gateway, @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        DeviceQuery query = query(productId, status(status, enabled, online), tags, prefix, gateway, cursor, Pages.limit(limit));
        DevicePage page;
        try {
            page = devices.queryDevices(query);
        } catch (ThingportException e) {
            if (e.code() == ErrorCode.INVALID_ARGUMENT && e.getMessage().startsWith("cursor ")) {
                throw new FieldException("cursor", e.getMessage()); // the one part of the request at fault
            }
            throw e;
        }
        return new Page<>(page.devices().stream().map(DeviceView::of).toList(), page.next());
    }

    /**
     * How many devices of the filters have each status ({@code status} and paging aside). This path hides only
     * {@code GET} of a device named {@code counts}: {@code GET /devices?prefix=counts} lists it; its other methods and
     * sub-resources reach it.
     */
    @GET
    @Path("/counts")
    public CountsView counts(@QueryParam("product") String productId, @QueryParam("tag") List<String> tags,
            @QueryParam("prefix") String prefix, @QueryParam("gateway") String gateway) {
        Map<DeviceStatus, Long> counts = devices.countByStatus(query(productId, null, tags, prefix, gateway, null, 1));
        Map<String, Long> byStatus = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> byStatus.put(e.getKey().label(), e.getValue()));
        return new CountsView(byStatus.values().stream().mapToLong(Long::longValue).sum(), byStatus);
    }

    /** The query of the list's parameters, limited to the caller's products. */
    private DeviceQuery query(String productId, DeviceStatus status, List<String> tags, String prefix, String gateway, String cursor,
            int limit) {
        Caller caller = CallerPrincipal.of(security);
        Set<String> scope = caller.products();
        if (productId != null) {
            Access.product(products, caller, productId);
            scope = Set.of(productId);
        }
        try {
            return new DeviceQuery(scope, status, DeviceQuery.parseTags(tags), prefix, gateway, cursor, limit);
        } catch (ThingportException e) {
            throw new FieldException("tag", e.getMessage());
        }
    }

    /** The status asked for, by name or by the older {@code online}/{@code enabled} flags (not both). */
    static DeviceStatus status(String status, Boolean enabled, Boolean online) {
        DeviceStatus byFlags = null;
        if (Boolean.TRUE.equals(online) && !Boolean.FALSE.equals(enabled)) {
            byFlags = DeviceStatus.ONLINE;
        } else if (Boolean.FALSE.equals(enabled) && online == null) {
            byFlags = DeviceStatus.DISABLED;
        } else if (enabled != null || online != null) {
            throw new FieldException("status", "online=" + online + " and enabled=" + enabled + " name no status: ask by status"
                    + " (online, offline, never-connected, disabled)");
        }
        if (status == null) {
            return byFlags;
        }
        if (byFlags != null) {
            throw new FieldException("status", "give status or the online/enabled flags, not both");
        }
        try {
            return DeviceStatus.parse(status);
        } catch (ThingportException e) {
            throw new FieldException("status", e.getMessage());
        }
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
        CreatedDevice created = devices.createDevice(new NewDevice(body.id(), body.productId(), body.name(), body.secret(),
                body.mac()));
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

    /** The device's tags, with an ETag for {@code PUT}. */
    @GET
    @Path("/{id}/tags")
    public Response tags(@PathParam("id") String id) {
        TagsView view = new TagsView(id, device(id).tags());
        return Response.ok(view).tag(ETags.of(view)).build();
    }

    /**
     * Replaces the device's tags with the body's object of {@code key: value} ({@code {}} removes them all): at most 32,
     * keys a letter then letters, digits and _ (at most 64), values at most 256 characters. With {@code If-Match} only
     * while the tags are as read (else 412).
     */
    @PUT
    @Path("/{id}/tags")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response setTags(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, Map<String, String> body) {
        Device d = device(id);
        if (body == null) {
            throw new FieldException("body", "send the tags as a JSON object of key: value");
        }
        ETags.check(ifMatch, new TagsView(id, d.tags()));
        TagsView view = new TagsView(id, devices.setTags(id, body).tags());
        return Response.ok(view).tag(ETags.of(view)).build();
    }

    /**
     * Sets the device's MAC address ({@code {"mac": null}} clears it); a device may also report it as the property
     * {@code mac}. With {@code If-Match} only while the device is as read (its {@code GET} ETag).
     */
    @PUT
    @Path("/{id}/mac")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response setMac(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, MacBody body) {
        Device d = device(id);
        if (body == null) {
            throw new FieldException("body", "send {\"mac\": \"aa:bb:cc:dd:ee:ff\"} or {\"mac\": null}");
        }
        ETags.check(ifMatch, DeviceView.of(d));
        DeviceView view = DeviceView.of(devices.setMac(id, body.mac()));
        return Response.ok(view).tag(ETags.of(view)).build();
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
