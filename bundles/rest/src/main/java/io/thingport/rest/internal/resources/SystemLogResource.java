package io.thingport.rest.internal.resources;

import io.thingport.api.access.Role;
import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogQuery;
import io.thingport.api.access.SystemLogService;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.LogPages;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import java.util.List;
import java.util.Locale;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

/**
 * The system log: what the platform did or met (components, gateways, protocol packages, configuration, rules, errors);
 * newest first, a page's {@code next} cursor being the id of its oldest event. Admin only; a caller limited to some
 * products is refused (403).
 */
@Path("/system-log")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.ADMIN)
public class SystemLogResource {
    static final List<String> LEVELS = List.of(SystemEvent.INFO, SystemEvent.WARN, SystemEvent.ERROR);

    private final SystemLogService log;

    @Context
    private SecurityContext security;

    public SystemLogResource(SystemLogService log) {
        this.log = log;
    }

    /**
     * Events from {@code from} (inclusive) to {@code to} (exclusive), of {@code level} or a more severe one ({@code info},
     * {@code warn}, {@code error}), of one {@code category} ({@code component}, {@code gateway}, {@code protocol},
     * {@code config}, {@code rule}, {@code access}, {@code error}) and one {@code source}; each left out restricts nothing.
     */
    @GET
    public Page<SystemEvent> query(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("level") String level, @QueryParam("category") String category, @QueryParam("source") String source,
            @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        Access.allProducts(CallerPrincipal.of(security), "read the system log");
        SystemLogQuery query = toQuery(from, to, level, category, source, cursor, limit);
        return LogPages.of(log.query(query), SystemEvent::id, query.limit());
    }

    /** The query the parameters ask for; a bad one is refused naming it. */
    static SystemLogQuery toQuery(String from, String to, String level, String category, String source, String cursor,
            Integer limit) {
        return new SystemLogQuery(Bodies.instant("from", from), Bodies.instant("to", to), level(level),
                AccessLogResource.blankToNull(category), AccessLogResource.blankToNull(source), Bodies.idCursor(cursor),
                Pages.limit(limit));
    }

    private static String level(String level) {
        String l = AccessLogResource.blankToNull(level);
        if (l == null) {
            return null;
        }
        String upper = l.toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(upper)) {
            throw new FieldException("level", "level must be info, warn or error, not " + level);
        }
        return upper;
    }
}
