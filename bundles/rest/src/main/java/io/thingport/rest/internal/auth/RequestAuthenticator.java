package io.thingport.rest.internal.auth;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.ApplicationService;
import io.thingport.api.access.RequestSignature;
import io.thingport.api.access.Role;
import io.thingport.api.access.SignedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Decides who sent a request: an application by its signature ({@code X-Thingport-*} headers), a person by a bearer
 * token ({@code Authorization: Bearer}) or by user name and password ({@code Authorization: Basic}, checked with
 * JAAS). Anything else is refused with {@code UNAUTHENTICATED}; a client or source with too many recent failures with
 * {@code RATE_LIMITED}; a person whose roles include none of Thingport's with {@code FORBIDDEN}.
 */
public final class RequestAuthenticator {
    /** The longest user name counted per client: a longer one cannot exist and is counted by its source only. */
    static final int MAX_USER = 64;

    private final ApplicationService applications;
    private final PasswordCheck passwords;
    private final TokenStore tokens;
    private final LoginThrottle throttle;
    private final Clock clock;

    public RequestAuthenticator(ApplicationService applications, PasswordCheck passwords, TokenStore tokens,
            LoginThrottle throttle, Clock clock) {
        this.applications = applications;
        this.passwords = passwords;
        this.tokens = tokens;
        this.throttle = throttle;
        this.clock = clock;
    }

    public Caller authenticate(Credentials c) {
        Instant now = clock.instant();
        if (c.appId() != null) {
            return application(c, now);
        }
        String auth = c.authorization();
        if (auth == null || auth.isBlank()) {
            throw unauthenticated("no credentials: sign the request as an application (X-Thingport-App, "
                    + "X-Thingport-Timestamp, X-Thingport-Nonce, X-Thingport-Signature), or send Authorization: Bearer "
                    + "<token> or Basic");
        }
        if (startsWithIgnoreCase(auth, "Bearer ")) {
            String token = auth.substring(7).trim();
            // a bad token names no client: it counts against its source only, never against every token holder
            checkThrottle(null, c.source(), now);
            Optional<Caller> caller = tokens.caller(token, now);
            if (caller.isEmpty()) {
                throttle.failed(null, c.source(), now);
                throw unauthenticated("the bearer token is unknown or expired");
            }
            return caller.get();
        }
        if (startsWithIgnoreCase(auth, "Basic ")) {
            return basic(auth.substring(6).trim(), c.source(), now);
        }
        throw unauthenticated("unsupported Authorization scheme: use Bearer or Basic, or sign the request");
    }

    /** A person's Thingport role from their JAAS roles: the highest of admin, operator, viewer, if any. */
    public static Optional<Role> roleOf(Set<String> roles) {
        Role best = null;
        for (String name : roles) {
            Role r = Role.fromName(name);
            if (r != null && (best == null || r.includes(best))) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    private Caller application(Credentials c, Instant now) {
        // an application is throttled by source only: its signatures cannot be guessed, and counting failures against
        // an id that anyone can send would let anyone lock the application out
        checkThrottle(null, c.source(), now);
        if (c.timestamp() == null || c.nonce() == null || c.signature() == null) {
            throttle.failed(null, c.source(), now);
            throw unauthenticated("a signed request needs X-Thingport-App, X-Thingport-Timestamp, X-Thingport-Nonce and "
                    + "X-Thingport-Signature");
        }
        SignedRequest request = new SignedRequest(c.appId(), c.method(), c.path(), c.query(),
                RequestSignature.sha256(c.body()), c.timestamp(), c.nonce(), c.signature(), c.source());
        ApplicationInfo app;
        try {
            app = applications.verify(request, now);
        } catch (ThingportException e) {
            if (e.code() == ErrorCode.UNAUTHENTICATED) {
                throttle.failed(null, c.source(), now);
            }
            throw e;
        }
        return new Caller(app.id(), Caller.APPLICATION, app.role(), app.products());
    }

    private Caller basic(String encoded, String source, Instant now) {
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unauthenticated("the Basic credentials are not base64");
        }
        int colon = pair.indexOf(':');
        if (colon <= 0) {
            throw unauthenticated("the Basic credentials are not user:password");
        }
        String user = pair.substring(0, colon);
        if (user.length() > MAX_USER) {
            checkThrottle(null, source, now);
            throttle.failed(null, source, now);
            throw unauthenticated("wrong user name or password");
        }
        checkThrottle(user, source, now);
        Optional<Set<String>> roles = passwords.roles(user, pair.substring(colon + 1));
        if (roles.isEmpty()) {
            throttle.failed(user, source, now);
            throw unauthenticated("wrong user name or password");
        }
        Role role = roleOf(roles.get()).orElseThrow(() -> new ThingportException(ErrorCode.FORBIDDEN,
                "user " + user + " has none of the roles admin, operator, viewer"));
        return new Caller(user, Caller.USER, role, Set.of());
    }

    private void checkThrottle(String client, String source, Instant now) {
        Instant until = throttle.blockedUntil(client, source, now);
        if (until != null) {
            throw new ThingportException(ErrorCode.RATE_LIMITED, "too many failed logins from " + source
                    + (client == null ? "" : " or for " + client) + ": try again after " + until);
        }
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static ThingportException unauthenticated(String message) {
        return new ThingportException(ErrorCode.UNAUTHENTICATED, message);
    }
}
