package io.thingport.rest.internal.auth;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.rest.internal.http.ErrorMapper;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;

/** Refuses with 403 a caller whose role is below what the matched resource method {@link Allow}s. */
@Priority(Priorities.AUTHORIZATION)
public final class RoleFilter implements ContainerRequestFilter {
    private final ErrorMapper errors = new ErrorMapper();

    @Context
    private ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        Role needed = needed(resource);
        Object caller = request.getProperty(AuthFilter.CALLER);
        if (!(caller instanceof Caller c)) {
            request.abortWith(errors.toResponse(new ThingportException(ErrorCode.UNAUTHENTICATED, "not authenticated")));
            return;
        }
        if (!c.role().includes(needed)) {
            request.abortWith(errors.toResponse(new ThingportException(ErrorCode.FORBIDDEN, "this needs the role "
                    + needed.wireName() + "; " + c.kind() + " " + c.name() + " has " + c.role().wireName())));
        }
    }

    /** The role a resource method needs: its own {@link Allow}, else its class's, else admin. */
    public static Role needed(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) {
            return Role.ADMIN;
        }
        Allow onMethod = resource.getResourceMethod().getAnnotation(Allow.class);
        if (onMethod != null) {
            return onMethod.value();
        }
        Allow onClass = resource.getResourceClass().getAnnotation(Allow.class);
        return onClass != null ? onClass.value() : Role.ADMIN;
    }
}
