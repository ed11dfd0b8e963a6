package io.thingport.rest.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.RequestSignature;
import io.thingport.api.access.Role;
import io.thingport.api.access.SignedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestAuthenticatorTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final int PER_CLIENT = 3;
    private static final int PER_SOURCE = 5;
    private static final String SECRET = "app-secret-0123456789";
    private static final String SOURCE = "192.0.2.10";
    private static final String OTHER_SOURCE = "192.0.2.20";
    private static final ApplicationInfo APP = new ApplicationInfo("app-1", "Dashboard", Role.OPERATOR,
            Set.of("p1", "p2"), List.of(), null, START, START, false);
    private static final ApplicationInfo OTHER_APP = new ApplicationInfo("app-2", "Other", Role.VIEWER, Set.of(),
            List.of(), null, START, START, false);

    private final MutableClock clock = new MutableClock(START);
    private final FakeApplications applications = new FakeApplications();
    private final FakePasswords passwords = new FakePasswords();
    private final TokenStore tokens = new TokenStore(100, 5);
    private final LoginThrottle throttle = new LoginThrottle(WINDOW, PER_CLIENT, PER_SOURCE, 1000);
    private final RequestAuthenticator authenticator = new RequestAuthenticator(applications, passwords, tokens,
            throttle, clock);
    private int nonces;

    RequestAuthenticatorTest() {
        applications.add(APP, SECRET);
        applications.add(OTHER_APP, "other-secret");
        passwords.add("alice", "alice-pw", "viewer", "admin", "operator");
        passwords.add("bob", "bob-pw", "operator");
        passwords.add("carol", "carol-pw", "manager", "group");
    }

    // ---- signed requests ------------------------------------------------------------------------------------------

    @Test
    void aWellSignedRequestIsItsApplicationWithItsRoleAndProducts() {
        // Verifies the signed path end to end: the verifier is handed what the request carried (the body as its
        // SHA-256, the query as sent, the source) and the caller is the application with its role and products.
        // GIVEN a request signed with the application's secret, with a body and a query
        byte[] body = "{\"type\":\"read\"}".getBytes(StandardCharsets.UTF_8);
        Credentials c = signed(APP.id(), SECRET, "POST", "/api/v1/devices/d1/commands", "b=2&a=1", body, SOURCE);

        // WHEN it is authenticated
        Caller caller = authenticator.authenticate(c);

        // THEN the caller is the application, and the verifier saw the request's parts
        assertThat(caller).isEqualTo(new Caller("app-1", Caller.APPLICATION, Role.OPERATOR, Set.of("p1", "p2")));
        assertThat(applications.verified).hasSize(1);
        SignedRequest seen = applications.verified.get(0);
        assertThat(seen.bodySha256()).isEqualTo(RequestSignature.sha256(body));
        assertThat(seen.query()).isEqualTo("b=2&a=1");
        assertThat(seen.source()).isEqualTo(SOURCE);
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.path()).isEqualTo("/api/v1/devices/d1/commands");
    }

    @Test
    void theApplicationHeadersWinOverAnAuthorizationHeader() {
        // Verifies that a request with X-Thingport-App is judged as an application's, whatever Authorization says.
        // GIVEN a signed request that also carries a valid Basic header of an admin
        Credentials s = signed(APP.id(), SECRET, "GET", "/api/v1/products", "", new byte[0], SOURCE);
        Credentials c = new Credentials(basicHeader("alice", "alice-pw"), s.appId(), s.timestamp(), s.nonce(),
                s.signature(), s.method(), s.path(), s.query(), s.body(), s.source());

        // WHEN it is authenticated
        Caller caller = authenticator.authenticate(c);

        // THEN it is the application, and the password was never checked
        assertThat(caller.kind()).isEqualTo(Caller.APPLICATION);
        assertThat(passwords.checks).isEmpty();
    }

    @Test
    void aSignedRequestMissingAHeaderIsUnauthenticatedAndCountsAsAFailure() {
        // Verifies that each of the timestamp, nonce and signature headers is required, that the verifier is not
        // asked, and that each such request counts against the application: after the client limit it is refused.
        // GIVEN three requests of app-1, each missing one header
        Credentials ok = signed(APP.id(), SECRET, "GET", "/api/v1/products", "", new byte[0], SOURCE);
        List<Credentials> incomplete = List.of(
                new Credentials(null, APP.id(), null, ok.nonce(), ok.signature(), "GET", ok.path(), "", null, SOURCE),
                new Credentials(null, APP.id(), ok.timestamp(), null, ok.signature(), "GET", ok.path(), "", null, SOURCE),
                new Credentials(null, APP.id(), ok.timestamp(), ok.nonce(), null, "GET", ok.path(), "", null, SOURCE));

        // WHEN each is authenticated
        for (Credentials c : incomplete) {
            // THEN each is unauthenticated, naming the headers a signed request needs
            assertRefused(c, ErrorCode.UNAUTHENTICATED, "X-Thingport-Signature");
        }
        assertThat(applications.verified).isEmpty();

        // AND a complete, well-signed request of the same application from another source still gets in: failures
        // count against their source, never against an application id that anyone can send
        Credentials elsewhere = signed(APP.id(), SECRET, "GET", "/api/v1/products", "", new byte[0], "192.0.2.99");
        assertThat(authenticator.authenticate(elsewhere).name()).isEqualTo("app-1");
    }

    @Test
    void refusedSignaturesCountUntilTheSourceIsRateLimitedForTheWindow() {
        // Verifies that a refusal by verify() (UNAUTHENTICATED) counts as a failure of the source; at the source limit
        // even a good request from it is refused with RATE_LIMITED without asking the verifier, until the window has
        // passed, while the application still gets in from elsewhere.
        // GIVEN PER_SOURCE requests of app-1 signed with a wrong secret
        for (int i = 0; i < PER_SOURCE; i++) {
            Credentials bad = signed(APP.id(), "wrong-secret", "GET", "/api/v1/products", "", null, SOURCE);
            assertRefused(bad, ErrorCode.UNAUTHENTICATED, "signature");
        }
        assertThat(applications.verified).hasSize(PER_SOURCE);

        // WHEN a well-signed request of app-1 follows from that source
        Credentials good = signed(APP.id(), SECRET, "GET", "/api/v1/products", "", null, SOURCE);

        // THEN it is rate limited, naming the source and when to try again, and verify() is not asked
        assertRefused(good, ErrorCode.RATE_LIMITED, SOURCE, START.plus(WINDOW).toString());
        assertThat(applications.verified).hasSize(PER_SOURCE);

        // AND the same application from another source is not blocked
        assertThat(authenticator.authenticate(signed(APP.id(), SECRET, "GET", "/x", "", null, "192.0.2.99")).name())
                .isEqualTo("app-1");

        // AND once the window has passed, app-1 gets in again
        clock.advance(WINDOW);
        Credentials later = signed(APP.id(), SECRET, "GET", "/api/v1/products", "", null, SOURCE);
        assertThat(authenticator.authenticate(later).name()).isEqualTo("app-1");
    }

    @Test
    void aRefusalOtherThanUnauthenticatedIsPassedOnAndNotCounted() {
        // Verifies that verify() failing for another reason (UNAVAILABLE: too many nonces) is passed on unchanged and
        // never counted as a failed login: the application is not rate limited by it.
        // GIVEN a verifier that answers UNAVAILABLE
        applications.failWith = ErrorCode.UNAVAILABLE;

        // WHEN app-1 sends more well-signed requests than the client limit
        for (int i = 0; i < PER_CLIENT + 2; i++) {
            Credentials c = signed(APP.id(), SECRET, "GET", "/api/v1/products", "", null, SOURCE);

            // THEN each is refused with UNAVAILABLE, never RATE_LIMITED
            assertRefused(c, ErrorCode.UNAVAILABLE, "refused by the fake");
        }
        assertThat(throttle.blockedUntil(APP.id(), SOURCE, clock.instant())).isNull();
    }

    // ---- Basic ----------------------------------------------------------------------------------------------------

    @Test
    void basicCredentialsOfAUserGiveTheirHighestRole() {
        // Verifies a Basic login: the caller is the user, of kind user, with the highest of their Thingport roles and
        // all products.
        // GIVEN alice (viewer, admin, operator) and bob (operator)
        // WHEN each logs in with the right password
        Caller alice = authenticator.authenticate(basic("alice", "alice-pw", SOURCE));
        Caller bob = authenticator.authenticate(basic("bob", "bob-pw", SOURCE));

        // THEN each has their highest role
        assertThat(alice).isEqualTo(new Caller("alice", Caller.USER, Role.ADMIN, Set.of()));
        assertThat(bob).isEqualTo(new Caller("bob", Caller.USER, Role.OPERATOR, Set.of()));
        assertThat(passwords.checks).containsExactly("alice:alice-pw", "bob:bob-pw");
    }

    @Test
    void theSchemeNameIsCaseInsensitiveAndThePasswordMayHoldColons() {
        // Verifies that "basic" in any case is accepted and that only the first colon separates user and password.
        // GIVEN a user whose password contains colons, sent with a lower-case scheme
        passwords.add("dave", "pa:ss:word", "viewer");
        String header = "basic " + Base64.getEncoder().encodeToString("dave:pa:ss:word".getBytes(StandardCharsets.UTF_8));

        // WHEN authenticated
        Caller caller = authenticator.authenticate(authorization(header, SOURCE));

        // THEN the whole password was checked and the user gets in
        assertThat(caller.name()).isEqualTo("dave");
        assertThat(passwords.checks).containsExactly("dave:pa:ss:word");
    }

    @Test
    void roleOfChoosesTheHighestRoleWhateverTheOrderAndIgnoresOtherRoles() {
        // Verifies roleOf(): the highest of admin, operator, viewer in any order and case; other role names ignored;
        // none of them gives empty.
        // GIVEN role sets in every order of the three roles, plus unrelated names
        List<List<String>> orders = List.of(List.of("viewer", "operator", "admin"), List.of("admin", "viewer", "operator"),
                List.of("operator", "admin", "viewer"), List.of("viewer", "admin", "operator"));
        for (List<String> order : orders) {
            // WHEN the role is chosen
            // THEN it is admin
            assertThat(RequestAuthenticator.roleOf(new LinkedHashSet<>(order))).contains(Role.ADMIN);
        }
        assertThat(RequestAuthenticator.roleOf(new LinkedHashSet<>(List.of("viewer", "group", "Operator"))))
                .contains(Role.OPERATOR);
        assertThat(RequestAuthenticator.roleOf(Set.of("VIEWER", "manager"))).contains(Role.VIEWER);
        assertThat(RequestAuthenticator.roleOf(Set.of("manager", "group"))).isEmpty();
        assertThat(RequestAuthenticator.roleOf(Set.of())).isEmpty();
    }

    @Test
    void basicCredentialsThatAreNotBase64AreUnauthenticated() {
        // Verifies that a Basic value that does not decode is refused before any password check.
        // GIVEN a Basic header with characters outside base64
        Credentials c = authorization("Basic !!not-base64!!", SOURCE);

        // WHEN / THEN it is unauthenticated and no password was checked
        assertRefused(c, ErrorCode.UNAUTHENTICATED, "not base64");
        assertThat(passwords.checks).isEmpty();
    }

    @Test
    void basicCredentialsWithoutAColonOrWithoutAUserAreUnauthenticated() {
        // Verifies that the decoded Basic value must be user:password with a non-empty user.
        // GIVEN a value without a colon and one with an empty user
        Credentials noColon = authorization("Basic " + b64("alice"), SOURCE);
        Credentials noUser = authorization("Basic " + b64(":alice-pw"), SOURCE);

        // WHEN / THEN both are unauthenticated and no password was checked
        assertRefused(noColon, ErrorCode.UNAUTHENTICATED, "user:password");
        assertRefused(noUser, ErrorCode.UNAUTHENTICATED, "user:password");
        assertThat(passwords.checks).isEmpty();
    }

    @Test
    void wrongPasswordsCountUntilTheUserIsRateLimitedFromAnySource() {
        // Verifies that a wrong password is unauthenticated and counts for the user whatever the source: at the
        // client limit the right password is refused with RATE_LIMITED without being checked.
        // GIVEN PER_CLIENT wrong passwords for alice, each from another source
        for (int i = 0; i < PER_CLIENT; i++) {
            assertRefused(basic("alice", "guess-" + i, "198.51.100." + i), ErrorCode.UNAUTHENTICATED, "wrong user name");
        }
        int checks = passwords.checks.size();

        // WHEN alice then logs in with the right password from a new source
        Credentials right = basic("alice", "alice-pw", "198.51.100.99");

        // THEN she is rate limited and the password is not checked
        assertRefused(right, ErrorCode.RATE_LIMITED, "alice");
        assertThat(passwords.checks).hasSize(checks);

        // AND bob, from one of those sources, is not
        assertThat(authenticator.authenticate(basic("bob", "bob-pw", "198.51.100.0")).name()).isEqualTo("bob");
    }

    @Test
    void aUserWithoutThingportRolesIsForbiddenAndNotCountedAsAFailure() {
        // Verifies that a right password without any of admin/operator/viewer is FORBIDDEN (not a failed login), so
        // repeating it never rate limits the user.
        // GIVEN carol, whose roles are none of Thingport's
        for (int i = 0; i < PER_CLIENT + 2; i++) {
            // WHEN she logs in with the right password
            // THEN she is forbidden, with the roles named
            assertRefused(basic("carol", "carol-pw", SOURCE), ErrorCode.FORBIDDEN, "carol", "admin, operator, viewer");
        }
        assertThat(throttle.blockedUntil("carol", SOURCE, clock.instant())).isNull();
    }

    // ---- Bearer ---------------------------------------------------------------------------------------------------

    @Test
    void aValidBearerTokenIsTheCallerItWasIssuedTo() {
        // Verifies the bearer path: an issued token, with the scheme in any case, authenticates as its caller.
        // GIVEN a token issued to bob
        Caller bob = new Caller("bob", Caller.USER, Role.OPERATOR, Set.of());
        String token = tokens.issue(bob, Duration.ofMinutes(60), clock.instant());

        // WHEN sent as Bearer and as bearer
        Caller a = authenticator.authenticate(authorization("Bearer " + token, SOURCE));
        Caller b = authenticator.authenticate(authorization("bearer  " + token + " ", SOURCE));

        // THEN both are bob
        assertThat(a).isEqualTo(bob);
        assertThat(b).isEqualTo(bob);
    }

    @Test
    void anUnknownOrExpiredBearerTokenIsUnauthenticated() {
        // Verifies that a token never issued, and an issued one after its expiry, are refused.
        // GIVEN a token valid for one minute
        Caller bob = new Caller("bob", Caller.USER, Role.OPERATOR, Set.of());
        String token = tokens.issue(bob, Duration.ofMinutes(1), clock.instant());

        // WHEN an unknown token is sent, and the valid one after its minute
        // THEN both are unauthenticated
        assertRefused(authorization("Bearer tpt_unknown", SOURCE), ErrorCode.UNAUTHENTICATED, "unknown or expired");
        clock.advance(Duration.ofMinutes(1));
        assertRefused(authorization("Bearer " + token, SOURCE), ErrorCode.UNAUTHENTICATED, "unknown or expired");
    }

    @Test
    void badBearerTokensAreThrottledPerSourceWithoutLockingOutOtherSources() {
        // Verifies that failed bearer tokens count against their source: at the source limit that source is refused,
        // while valid tokens from other sources keep working (bad tokens from one client must not lock every token
        // user out, nor a user whose name happens to be "token").
        // GIVEN a valid token of bob and a user called "token"
        Caller bob = new Caller("bob", Caller.USER, Role.OPERATOR, Set.of());
        String token = tokens.issue(bob, Duration.ofMinutes(60), clock.instant());
        passwords.add("token", "token-pw", "viewer");

        // WHEN one source sends more bad tokens than the client limit, up to the source limit
        for (int i = 0; i < PER_SOURCE; i++) {
            assertRefused(authorization("Bearer tpt_guess" + i, SOURCE), ErrorCode.UNAUTHENTICATED, "unknown");
        }

        // THEN that source is rate limited even with the valid token
        assertRefused(authorization("Bearer " + token, SOURCE), ErrorCode.RATE_LIMITED, SOURCE);

        // AND another source still gets in with the valid token, and the user "token" with their password
        assertThat(authenticator.authenticate(authorization("Bearer " + token, OTHER_SOURCE))).isEqualTo(bob);
        assertThat(authenticator.authenticate(basic("token", "token-pw", OTHER_SOURCE)).name()).isEqualTo("token");
    }

    // ---- anything else --------------------------------------------------------------------------------------------

    @Test
    void aRequestWithoutCredentialsIsUnauthenticatedAndToldHowToAuthenticate() {
        // Verifies that no Authorization (absent, empty or blank) and no application headers is refused, naming the
        // ways to authenticate.
        // GIVEN requests without credentials
        for (String header : new String[] {null, "", "   "}) {
            // WHEN / THEN each is unauthenticated with the ways named
            assertRefused(authorization(header, SOURCE), ErrorCode.UNAUTHENTICATED, "X-Thingport-App", "Bearer", "Basic");
        }
    }

    @Test
    void anUnknownAuthorizationSchemeIsUnauthenticated() {
        // Verifies that a scheme other than Bearer or Basic (or one without its space) is refused as unsupported.
        // GIVEN Digest, a token without scheme, and schemes glued to their value
        for (String header : new String[] {"Digest username=\"alice\"", "tpt_abc", "Bearertpt_abc", "Basic"}) {
            // WHEN / THEN each is refused
            assertRefused(authorization(header, SOURCE), ErrorCode.UNAUTHENTICATED, "unsupported Authorization scheme");
        }
        assertThat(passwords.checks).isEmpty();
    }

    @Test
    void failuresFromOneSourceAcrossDifferentClientsRateLimitThatSource() {
        // Verifies the per-source limit: failures of different users and applications from one source add up; at the
        // source limit every client from that source is refused, while the same clients elsewhere are not.
        // GIVEN PER_SOURCE failures from one source, each of another client (users and an application)
        assertRefused(basic("u1", "x", SOURCE), ErrorCode.UNAUTHENTICATED, "wrong");
        assertRefused(basic("u2", "x", SOURCE), ErrorCode.UNAUTHENTICATED, "wrong");
        assertRefused(basic("u3", "x", SOURCE), ErrorCode.UNAUTHENTICATED, "wrong");
        assertRefused(signed("app-9", "nope", "GET", "/x", "", null, SOURCE), ErrorCode.UNAUTHENTICATED, "unknown");
        assertRefused(basic("u4", "x", SOURCE), ErrorCode.UNAUTHENTICATED, "wrong");

        // WHEN a user, an application and a token holder without failures come from that source
        // THEN each is rate limited
        assertRefused(basic("alice", "alice-pw", SOURCE), ErrorCode.RATE_LIMITED, SOURCE);
        assertRefused(signed(APP.id(), SECRET, "GET", "/x", "", null, SOURCE), ErrorCode.RATE_LIMITED, SOURCE);
        String token = tokens.issue(new Caller("bob", Caller.USER, Role.OPERATOR, Set.of()), WINDOW, clock.instant());
        assertRefused(authorization("Bearer " + token, SOURCE), ErrorCode.RATE_LIMITED, SOURCE);

        // AND from another source they get in
        assertThat(authenticator.authenticate(basic("alice", "alice-pw", OTHER_SOURCE)).name()).isEqualTo("alice");
        assertThat(authenticator.authenticate(signed(APP.id(), SECRET, "GET", "/x", "", null, OTHER_SOURCE)).name())
                .isEqualTo("app-1");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private void assertRefused(Credentials c, ErrorCode code, String... messageParts) {
        assertThatThrownBy(() -> authenticator.authenticate(c)).isInstanceOfSatisfying(ThingportException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messageParts);
        });
    }

    private Credentials signed(String appId, String secret, String method, String path, String query, byte[] body,
            String source) {
        String timestamp = String.valueOf(clock.millis());
        String nonce = String.format("nonce-%016d", nonces++);
        String signature = RequestSignature.sign(secret, method, path, query, body, timestamp, nonce);
        return new Credentials(null, appId, timestamp, nonce, signature, method, path, query,
                body == null ? new byte[0] : body, source);
    }

    private static Credentials basic(String user, String password, String source) {
        return authorization(basicHeader(user, password), source);
    }

    private static String basicHeader(String user, String password) {
        return "Basic " + b64(user + ":" + password);
    }

    private static Credentials authorization(String header, String source) {
        return new Credentials(header, null, null, null, null, "GET", "/api/v1/products", "", new byte[0], source);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Users with passwords and roles; records every check as user:password. */
    private static final class FakePasswords implements PasswordCheck {
        private final Map<String, String> passwords = new HashMap<>();
        private final Map<String, Set<String>> roles = new HashMap<>();
        final List<String> checks = new ArrayList<>();

        void add(String user, String password, String... roleNames) {
            passwords.put(user, password);
            roles.put(user, Set.of(roleNames));
        }

        @Override
        public Optional<Set<String>> roles(String user, String password) {
            checks.add(user + ":" + password);
            return password.equals(passwords.get(user)) ? Optional.of(roles.get(user)) : Optional.empty();
        }
    }
}
