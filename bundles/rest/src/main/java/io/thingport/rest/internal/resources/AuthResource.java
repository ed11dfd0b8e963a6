package io.thingport.rest.internal.resources;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.auth.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * Bearer tokens for people: {@code POST /auth/token} with the user's password ({@code Authorization: Basic}) gives a
 * token valid for the configured time, to send as {@code Authorization: Bearer} instead of the password;
 * {@code DELETE /auth/token} ends the token it is sent with; {@code GET /auth/me} says who the caller is.
 */
@Path("/auth")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class AuthResource {
    public record TokenView(String token, Instant expiresAt, String user, String role) {
    }

    public record Me(String name, String kind, String role, Set<String> products) {
    }

    private final TokenStore tokens;
    private final Duration ttl;
    private final Clock clock;

    @Context
    private SecurityContext security;

    public AuthResource(TokenStore tokens, Duration ttl, Clock clock) {
        this.tokens = tokens;
        this.ttl = ttl;
        this.clock = clock;
    }

    @POST
    @Path("/token")
    public TokenView issue(@HeaderParam("Authorization") String authorization) {
        Caller caller = CallerPrincipal.of(security);
        if (!Caller.USER.equals(caller.kind()) || authorization == null
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new ThingportException(ErrorCode.FORBIDDEN,
                    "a token is issued to a person for a user name and password (Authorization: Basic) only");
        }
        Instant now = clock.instant();
        String token = tokens.issue(caller, ttl, now);
        return new TokenView(token, now.plus(ttl), caller.name(), caller.role().wireName());
    }

    @DELETE
    @Path("/token")
    public Response revoke(@HeaderParam("Authorization") String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ThingportException(ErrorCode.INVALID_ARGUMENT, "send the token to end as Authorization: Bearer");
        }
        tokens.revoke(authorization.substring(7).trim());
        return Response.noContent().build();
    }

    @GET
    @Path("/me")
    public Me me() {
        Caller c = CallerPrincipal.of(security);
        return new Me(c.name(), c.kind(), c.role().wireName(), c.products());
    }
}
