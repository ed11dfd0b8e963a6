package io.thingport.rest.internal.resources;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.device.DeviceService;
import io.thingport.api.shadow.ShadowDocument;
import io.thingport.api.shadow.ShadowService;
import io.thingport.api.shadow.ShadowUpdate;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * A device's shadow, what {@code iot:shadow-*} manage, in the AWS IoT document form. The {@code ETag} of a shadow is
 * its version: an update with {@code If-Match} goes ahead only at that version (else 412), one with a {@code version}
 * member in its body likewise (else 409, as AWS answers). The class's path is the whole of {@code /devices/{id}/shadow}
 * (see {@link CommandResource} for why).
 */
@Path("/devices/{id}/shadow")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class ShadowResource {
    private static final Pattern VERSION_TAG = Pattern.compile("(?:W/)?\"([0-9]{1,18})\"");

    private final DeviceService devices;
    private final ShadowService shadows;

    @Context
    private SecurityContext security;

    public ShadowResource(DeviceService devices, ShadowService shadows) {
        this.devices = devices;
        this.shadows = shadows;
    }

    @GET
    public Response get(@PathParam("id") String deviceId) {
        Access.device(devices, CallerPrincipal.of(security), deviceId);
        return answer(shadows.get(deviceId), null);
    }

    /** Merges an update ({@code {"state":{"desired":{..},"reported":{..}},"clientToken","version"}}) into the shadow. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response update(@PathParam("id") String deviceId, @HeaderParam("If-Match") String ifMatch, Map<String, Object> body) {
        Access.device(devices, CallerPrincipal.of(security), deviceId);
        if (body == null) {
            throw new FieldException("body", "send the update as a JSON object: {\"state\":{\"desired\":{...}}}");
        }
        ShadowUpdate update;
        try {
            update = ShadowUpdate.parse(body);
        } catch (ThingportException e) {
            throw new FieldException(e.code(), "state", e.getMessage());
        }
        Long expected = ifMatchVersion(ifMatch);
        if (expected == null) {
            return answer(shadows.update(deviceId, update), update.clientToken());
        }
        if (update.version() != null && !update.version().equals(expected)) {
            throw new FieldException("version", "the body's version " + update.version() + " and If-Match's " + expected + " differ");
        }
        try {
            return answer(shadows.update(deviceId, new ShadowUpdate(update.desired(), update.clearDesired(), update.reported(),
                    update.clearReported(), update.clientToken(), expected)), update.clientToken());
        } catch (ThingportException e) {
            if (e.code() == ErrorCode.CONFLICT) {
                throw new FieldException(ErrorCode.PRECONDITION_FAILED, "If-Match", "the shadow changed since it was read: "
                        + e.getMessage());
            }
            throw e;
        }
    }

    /** Empties the shadow; the answer is the empty document with its new version. */
    @DELETE
    @Allow(Role.OPERATOR)
    public Response delete(@PathParam("id") String deviceId) {
        Access.device(devices, CallerPrincipal.of(security), deviceId);
        return answer(shadows.delete(deviceId), null);
    }

    private static Response answer(ShadowDocument document, String clientToken) {
        return Response.ok(document.body(clientToken)).tag(new EntityTag(Long.toString(document.version()))).build();
    }

    /** The version an {@code If-Match} names ({@code "7"}), {@code null} without one or for {@code *}. */
    static Long ifMatchVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        Matcher m = VERSION_TAG.matcher(ifMatch.trim());
        if (!m.matches()) {
            throw new FieldException("If-Match", "If-Match must be one shadow version as its ETag shows it, e.g. \"7\"");
        }
        return Long.parseLong(m.group(1));
    }
}
