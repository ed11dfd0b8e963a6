package io.thingport.rest.internal.auth;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.RequestSignature;
import io.thingport.api.access.Role;
import io.thingport.rest.internal.http.ErrorMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import javax.annotation.Priority;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Context;

/**
 * Authenticates every request before it is matched to a resource, so that an unknown path is no more visible than a
 * known one, and before its body is read (a signed request's body, which its signature covers, only for an
 * application that may sign): the body is bounded by the caller's role (a larger one is refused with 413, by its
 * declared length before any of it is read). The credentials go to the {@link RequestAuthenticator}; the caller is
 * stored as the request's security context and property {@link #CALLER}. A refused request ends here with the API's
 * error.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {
    public static final String CALLER = "thingport.caller";

    private final RequestAuthenticator authenticator;
    private final BodyLimit limit;
    private final ErrorMapper errors = new ErrorMapper();

    @Context
    private HttpServletRequest servlet;

    /** The most bytes a body may have on a path for a caller of this role. */
    public interface BodyLimit {
        long maxBytes(String path, Role role);
    }

    private static final byte[] EMPTY = new byte[0];

    private final Function<String, Optional<Role>> applicationRole;

    /**
     * @param applicationRole the role of an application that may sign requests (known, not revoked), by its id: a
     *                        signed request's body is read only for such an application, within its role's limit
     */
    public AuthFilter(RequestAuthenticator authenticator, BodyLimit limit,
            Function<String, Optional<Role>> applicationRole) {
        this.authenticator = authenticator;
        this.limit = limit;
        this.applicationRole = applicationRole;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        try {
            String app = request.getHeaderString(RequestSignature.HEADER_APP);
            Caller caller;
            byte[] body;
            if (app == null) {
                // a person's credentials do not cover the body: nothing of it is read before they are checked
                caller = authenticator.authenticate(credentials(request, uri, EMPTY));
                body = readBody(request, limit.maxBytes(path, caller.role()));
            } else {
                // a signature covers the body: it is read first, but only for an application that may sign at all
                Optional<Role> role = applicationRole.apply(app);
                body = role.isEmpty() ? EMPTY : readBody(request, limit.maxBytes(path, role.get()));
                caller = authenticator.authenticate(credentials(request, uri, body));
            }
            request.setEntityStream(new ByteArrayInputStream(body));
            request.setProperty(CALLER, caller);
            request.setSecurityContext(CallerPrincipal.context(caller, "https".equals(uri.getScheme())));
        } catch (ThingportException e) {
            request.abortWith(errors.toResponse(e));
        }
    }

    private Credentials credentials(ContainerRequestContext request, URI uri, byte[] body) {
        return new Credentials(request.getHeaderString("Authorization"),
                request.getHeaderString(RequestSignature.HEADER_APP),
                request.getHeaderString(RequestSignature.HEADER_TIMESTAMP),
                request.getHeaderString(RequestSignature.HEADER_NONCE),
                request.getHeaderString(RequestSignature.HEADER_SIGNATURE), request.getMethod(), uri.getRawPath(),
                uri.getRawQuery() == null ? "" : uri.getRawQuery(), body, source(servlet));
    }

    /** The peer's address as the HTTP server saw it. */
    public static String source(HttpServletRequest servlet) {
        return servlet == null ? "unknown" : servlet.getRemoteAddr();
    }

    private static byte[] readBody(ContainerRequestContext request, long max) throws IOException {
        int declared = request.getLength();
        if (declared > max) {
            throw tooLarge(max);
        }
        if (!request.hasEntity()) {
            return new byte[0];
        }
        // never sized from the declared length alone: a peer may declare much and send little
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? Math.min(declared, 65_536) : 1024);
        byte[] chunk = new byte[8192];
        try (InputStream in = request.getEntityStream()) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (out.size() + (long) n > max) {
                    throw tooLarge(max);
                }
                out.write(chunk, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static ThingportException tooLarge(long max) {
        return new ThingportException(ErrorCode.TOO_LARGE, "the body is larger than " + max + " bytes");
    }
}
