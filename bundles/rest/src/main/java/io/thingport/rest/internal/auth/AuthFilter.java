package io.thingport.rest.internal.auth;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.RequestSignature;
import io.thingport.rest.internal.http.ErrorMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import javax.annotation.Priority;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Context;

/**
 * Authenticates every request before it is matched to a resource, so that an unknown path is no more visible than a
 * known one: reads the body (bounded: a larger one is refused with 413 before it is read), hands the credentials to
 * the {@link RequestAuthenticator}, and stores the caller as the request's security context and property
 * {@link #CALLER}. A refused request ends here with the API's error.
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

    /** The most bytes a body may have on a path. */
    public interface BodyLimit {
        long maxBytes(String method, String path);
    }

    public AuthFilter(RequestAuthenticator authenticator, BodyLimit limit) {
        this.authenticator = authenticator;
        this.limit = limit;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        try {
            byte[] body = readBody(request, limit.maxBytes(request.getMethod(), path));
            request.setEntityStream(new ByteArrayInputStream(body));
            Credentials credentials = new Credentials(request.getHeaderString("Authorization"),
                    request.getHeaderString(RequestSignature.HEADER_APP),
                    request.getHeaderString(RequestSignature.HEADER_TIMESTAMP),
                    request.getHeaderString(RequestSignature.HEADER_NONCE),
                    request.getHeaderString(RequestSignature.HEADER_SIGNATURE), request.getMethod(), path,
                    uri.getRawQuery() == null ? "" : uri.getRawQuery(), body, source(servlet));
            Caller caller = authenticator.authenticate(credentials);
            request.setProperty(CALLER, caller);
            request.setSecurityContext(CallerPrincipal.context(caller, "https".equals(uri.getScheme())));
        } catch (ThingportException e) {
            request.abortWith(errors.toResponse(e));
        }
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? declared : 1024);
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
