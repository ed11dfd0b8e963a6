package io.thingport.rest.internal.resources;

import io.thingport.api.access.Role;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import java.lang.reflect.Field;
import java.util.Set;
import javax.ws.rs.core.SecurityContext;

/** Callers for resource tests, and what the container does for a resource: inject the caller's security context. */
final class Callers {
    static final Caller ADMIN = new Caller("root", Caller.USER, Role.ADMIN, Set.of());
    static final Caller OPERATOR = new Caller("ops", Caller.USER, Role.OPERATOR, Set.of());
    /** An admin application limited to one product. */
    static final Caller LIMITED_ADMIN = new Caller("app-1", Caller.APPLICATION, Role.ADMIN, Set.of("p1"));

    private Callers() {
    }

    /** The resource, as called by {@code caller}. */
    static <T> T as(Caller caller, T resource) {
        try {
            Field f = resource.getClass().getDeclaredField("security");
            f.setAccessible(true);
            f.set(resource, (SecurityContext) CallerPrincipal.context(caller, false));
            return resource;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot inject the caller into " + resource.getClass().getSimpleName(), e);
        }
    }
}
