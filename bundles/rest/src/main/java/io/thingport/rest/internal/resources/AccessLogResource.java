package io.thingport.rest.internal.resources;

import io.thingport.api.access.AccessLogService;
import io.thingport.api.access.AccessQuery;
import io.thingport.api.access.AccessRecord;
import io.thingport.api.access.Role;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.LogPages;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import java.util.Locale;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

/**
 * The access log: every Open API request and shell command, who made it, from where, with what result; newest first,
 * a page's {@code next} cursor being the id of its oldest record. Admin only; a caller limited to some products is refused
 * (403): the log covers every product.
 */
@Path("/access-log")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.ADMIN)
public class AccessLogResource {
    private final AccessLogService log;

    @Context
    private SecurityContext security;

    public AccessLogResource(AccessLogService log) {
        this.log = log;
    }

    /**
     * Records from {@code from} (inclusive) to {@code to} (exclusive), of one {@code channel} ({@code api} or
     * {@code shell}), one {@code principal} (a user or an application id), one {@code result} ({@code ok}, {@code error}
     * for every failure, or one error code); each left out restricts nothing.
     */
    @GET
    public Page<AccessRecord> query(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("channel") String channel, @QueryParam("principal") String principal,
            @QueryParam("result") String result, @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        Access.allProducts(CallerPrincipal.of(security), "read the access log");
        AccessQuery query = toQuery(from, to, channel, principal, result, cursor, limit);
        return LogPages.of(log.query(query), AccessRecord::id, query.limit());
    }

    /** The query the parameters ask for; a bad one is refused naming it. */
    static AccessQuery toQuery(String from, String to, String channel, String principal, String result, String cursor,
            Integer limit) {
        return new AccessQuery(Bodies.instant("from", from), Bodies.instant("to", to), channel(channel), blankToNull(principal),
                blankToNull(result), Bodies.idCursor(cursor), Pages.limit(limit));
    }

    private static String channel(String channel) {
        String c = blankToNull(channel);
        if (c == null) {
            return null;
        }
        String lower = c.toLowerCase(Locale.ROOT);
        if (!lower.equals(AccessRecord.CHANNEL_API) && !lower.equals(AccessRecord.CHANNEL_SHELL)) {
            throw new FieldException("channel", "channel must be " + AccessRecord.CHANNEL_API + " or " + AccessRecord.CHANNEL_SHELL
                    + ", not " + channel);
        }
        return lower;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
