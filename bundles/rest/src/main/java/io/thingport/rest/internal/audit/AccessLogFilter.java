package io.thingport.rest.internal.audit;

import io.thingport.api.access.AccessLogService;
import io.thingport.api.access.AccessRecord;
import io.thingport.rest.internal.auth.AuthFilter;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.http.ApiError;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.annotation.Priority;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Context;

/**
 * Records every request in the access log once it is answered, refused ones included: who (or {@code -}), what
 * (method and path; never the query or the body, which may hold secrets), from where, the status, the error code and
 * how long it took.
 */
@PreMatching
@Priority(1)
public final class AccessLogFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String STARTED = "thingport.started";
    private static final String STARTED_AT = "thingport.startedAt";

    private final AccessLogService log;
    private final Clock clock;

    @Context
    private HttpServletRequest servlet;

    public AccessLogFilter(AccessLogService log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
        request.setProperty(STARTED_AT, clock.instant());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object started = request.getProperty(STARTED);
        long ms = started instanceof Long t ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t) : 0;
        Object at = request.getProperty(STARTED_AT);
        Object caller = request.getProperty(AuthFilter.CALLER);
        String principal = caller instanceof Caller c ? c.name() : "-";
        String kind = caller instanceof Caller c ? c.kind() : "anonymous";
        String result = response.getEntity() instanceof ApiError e ? e.code() : response.getStatus() < 400 ? "ok"
                : "http_" + response.getStatus();
        String action = request.getMethod() + " " + request.getUriInfo().getRequestUri().getRawPath();
        log.record(new AccessRecord(0, at instanceof Instant i ? i : clock.instant(), AccessRecord.CHANNEL_API,
                principal, kind, action, AuthFilter.source(servlet), response.getStatus(), result, ms));
    }
}
