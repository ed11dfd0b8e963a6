package io.thingport.rest.internal.auth;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import java.security.Principal;
import javax.ws.rs.core.SecurityContext;

/** The authenticated caller as a JAX-RS principal, so that resources find it in their {@link SecurityContext}. */
public record CallerPrincipal(Caller caller) implements Principal {
    @Override
    public String getName() {
        return caller.name();
    }

    /** The caller of the current request; a request without one never reaches a resource. */
    public static Caller of(SecurityContext security) {
        if (security != null && security.getUserPrincipal() instanceof CallerPrincipal p) {
            return p.caller();
        }
        throw new ThingportException(ErrorCode.UNAUTHENTICATED, "not authenticated");
    }

    /** A security context for a caller. */
    public static SecurityContext context(Caller caller, boolean secure) {
        CallerPrincipal principal = new CallerPrincipal(caller);
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                Role r = Role.fromName(role);
                return r != null && caller.role().includes(r);
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return Caller.APPLICATION.equals(caller.kind()) ? "HMAC-SHA256" : SecurityContext.BASIC_AUTH;
            }
        };
    }
}
