package io.thingport.core.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.ApplicationService;
import io.thingport.api.access.CreatedApplication;
import io.thingport.api.access.NewApplication;
import io.thingport.api.access.RequestSignature;
import io.thingport.api.access.Role;
import io.thingport.api.access.SignedRequest;
import io.thingport.core.internal.registry.RegistryFixture;
import io.thingport.core.internal.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applications on H2 and PostgreSQL: creation and its checks, sealed secrets, rotation, revocation and signed requests. */
@Tag("storage")
class ApplicationServiceImplTest {
    private static final byte[] BODY = "{\"name\":\"d1\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private final RegistryFixture registry = new RegistryFixture();
    private final RecordingSystemLog systemLog = new RecordingSystemLog();
    /** The services' clock (epoch milliseconds): creation times and the snapshot's refresh. */
    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    private Path keyDir;
    private ApplicationServiceImpl service;
    private int nonces;

    @BeforeEach
    void setUp() {
        keyDir = dir.resolve("etc");
        service = newService(keyDir);
    }

    private ApplicationServiceImpl newService(Path keyDir) {
        return new ApplicationServiceImpl(new ApplicationStore(registry.storage), registry.products, systemLog,
                keyDir.resolve(AccessKeyFile.FILE_NAME), clock::get);
    }

    @AfterEach
    void tearDown() throws Exception {
        registry.close();
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.get());
    }

    private CreatedApplication create(Role role, List<String> sources) {
        return service.create(new NewApplication("Billing", role, Set.of(), sources, null));
    }

    private String nonce() {
        return "nonce-" + String.format("%016d", ++nonces);
    }

    /** A correctly signed POST from {@code source}, stamped {@code now}. */
    private SignedRequest signed(String id, String secret, String source, String nonce) {
        String ts = Long.toString(clock.get());
        String signature = RequestSignature.sign(secret, "POST", "/api/v1/devices", "b=2&a=1", BODY, ts, nonce);
        return new SignedRequest(id, "POST", "/api/v1/devices", "b=2&a=1", RequestSignature.sha256(BODY), ts, nonce, signature, source);
    }

    private SignedRequest signed(CreatedApplication app) {
        return signed(app.application().id(), app.secret(), "10.0.0.9", nonce());
    }

    private static void refused(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOf(ThingportException.class).hasMessage(message)
                .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(code));
    }

    // ------------------------------------------------------------------ creation

    @Test
    void anApplicationIsCreatedWithANewSecretThatIsStoredOnlySealed() throws Exception {
        // Verifies the id and secret format, what find/list return, that the database holds the secret sealed (not in
        // clear), that the key file was made, and that the system log says so without the secret.
        // GIVEN product p1
        registry.product(false);
        Instant expires = now().plus(Duration.ofDays(30));
        // WHEN
        CreatedApplication created = service.create(new NewApplication(" Billing ", Role.OPERATOR, Set.of("p1"),
                List.of("10.0.0.0/8", " 2001:db8::/32"), expires));
        // THEN
        ApplicationInfo app = created.application();
        assertThat(app.id()).matches("app-[a-z0-9]{12}");
        assertThat(created.secret()).matches("[A-Za-z0-9_-]{43}");
        assertThat(created.toString()).doesNotContain(created.secret());
        assertThat(app.name()).isEqualTo("Billing");
        assertThat(app.role()).isEqualTo(Role.OPERATOR);
        assertThat(app.products()).containsExactly("p1");
        assertThat(app.allowedSources()).containsExactly("10.0.0.0/8", "2001:db8::/32");
        assertThat(app.expiresAt()).isEqualTo(Instant.ofEpochMilli(expires.toEpochMilli()));
        assertThat(app.createdAt()).isEqualTo(now()).isEqualTo(app.rotatedAt());
        assertThat(app.revoked()).isFalse();
        assertThat(service.find(app.id())).contains(app);
        assertThat(service.list()).containsExactly(app);
        String sealed = registry.storage.query("SELECT sealed_secret FROM api_application WHERE id = ?", rs -> rs.getString(1),
                app.id()).get(0);
        assertThat(sealed).startsWith("1:").doesNotContain(created.secret());
        assertThat(Files.size(keyDir.resolve(AccessKeyFile.FILE_NAME))).isEqualTo(32);
        assertThat(systemLog.lines()).containsExactly("INFO access " + app.id() + ": application created: name Billing, role"
                + " operator, 1 product(s), 2 allowed source(s), expires at " + app.expiresAt());
        assertThat(String.join("\n", systemLog.lines())).doesNotContain(created.secret());
    }

    @Test
    void aBadApplicationIsRefusedNamingTheFieldAndNothingIsStored() {
        // Verifies each refusal of create(): name, role, unknown products (NOT_FOUND naming them), a source that is
        // not an address (no DNS look-up), an expiry in the past.
        // GIVEN product p1 only
        registry.product(false);
        // WHEN / THEN
        refused(() -> service.create(new NewApplication("  ", Role.VIEWER, Set.of(), List.of(), null)), ErrorCode.INVALID_ARGUMENT,
                "name is required");
        refused(() -> service.create(new NewApplication("x".repeat(65), Role.VIEWER, Set.of(), List.of(), null)),
                ErrorCode.INVALID_ARGUMENT, "name is longer than 64 characters");
        refused(() -> service.create(new NewApplication("a\u001bb", Role.VIEWER, Set.of(), List.of(), null)),
                ErrorCode.INVALID_ARGUMENT, "name may contain printable characters only");
        refused(() -> service.create(new NewApplication("a", null, Set.of(), List.of(), null)), ErrorCode.INVALID_ARGUMENT,
                "role is required (viewer, operator or admin)");
        refused(() -> service.create(new NewApplication("a", Role.VIEWER, Set.of("p1", "p9", "p10"), List.of(), null)),
                ErrorCode.NOT_FOUND, "products p10, p9 do not exist");
        refused(() -> service.create(new NewApplication("a", Role.VIEWER, Set.of("p9"), List.of(), null)), ErrorCode.NOT_FOUND,
                "product p9 does not exist");
        refused(() -> service.create(new NewApplication("a", Role.VIEWER, Set.of(), List.of("10.0.0.1", "gateway.example.com"), null)),
                ErrorCode.INVALID_ARGUMENT, "allowedSources: 'gateway.example.com' is not an IPv4 or IPv6 address or CIDR block"
                        + " (e.g. 192.0.2.7, 10.0.0.0/8, 2001:db8::/32)");
        Instant past = now().minusSeconds(1);
        refused(() -> service.create(new NewApplication("a", Role.VIEWER, Set.of(), List.of(), past)), ErrorCode.INVALID_ARGUMENT,
                "expiresAt " + past + " is not in the future");
        assertThat(service.list()).isEmpty();
        assertThat(systemLog.lines()).isEmpty();
    }

    @Test
    void thePlatformHoldsAtMostAThousandApplications() {
        // Verifies the bound: the 1,001st application is refused with CONFLICT.
        // GIVEN 1,000 applications
        service.create(new NewApplication("first", Role.VIEWER, Set.of(), List.of(), null));
        registry.storage.transaction(c -> {
            for (int i = 1; i < ApplicationServiceImpl.MAX_APPLICATIONS; i++) {
                Storage.update(c, "INSERT INTO api_application (id, name, role, products, allowed_sources, expires_at, created_at,"
                        + " rotated_at, revoked, sealed_secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "app-bulk" + i, "bulk",
                        "viewer", "", "", null, 1L, 1L, false, "1:x");
            }
            return null;
        });
        // WHEN / THEN
        refused(() -> service.create(new NewApplication("one too many", Role.VIEWER, Set.of(), List.of(), null)), ErrorCode.CONFLICT,
                "the platform holds 1000 applications, its maximum: delete one first");
        assertThat(service.list()).hasSize(1000);
    }

    // ------------------------------------------------------------------ signed requests

    @Test
    void aCorrectlySignedRequestIsAcceptedAndItsNonceIsThenUsedUp() {
        // Verifies the success path with RequestSignature's own signing, from an allowed source, and the replay of the
        // same request right after.
        // GIVEN
        CreatedApplication app = create(Role.ADMIN, List.of("10.0.0.0/8"));
        SignedRequest request = signed(app);
        // WHEN
        ApplicationInfo who = service.verify(request, now());
        // THEN
        assertThat(who).isEqualTo(app.application());
        refused(() -> service.verify(request, now().plusSeconds(1)), ErrorCode.UNAUTHENTICATED,
                "nonce " + request.nonce() + " was already used");
    }

    @Test
    void everyReasonToRefuseARequestIsNamed() {
        // Verifies each refusal of verify(), in the order it checks: application, revocation, expiry, source,
        // timestamp, nonce, signature.
        // GIVEN an application allowed from 10.0.0.0/8, one revoked, one that expires in an hour
        CreatedApplication app = create(Role.VIEWER, List.of("10.0.0.0/8"));
        String id = app.application().id();
        CreatedApplication revoked = create(Role.VIEWER, List.of());
        service.revoke(revoked.application().id());
        Instant expiry = now().plus(Duration.ofHours(1));
        CreatedApplication expiring = service.create(new NewApplication("short", Role.VIEWER, Set.of(), List.of(), expiry));
        SignedRequest good = signed(app);
        // WHEN / THEN
        refused(() -> service.verify(withApp(good, "app-nobody00000"), now()), ErrorCode.UNAUTHENTICATED,
                "unknown application app-nobody00000");
        refused(() -> service.verify(withApp(good, null), now()), ErrorCode.UNAUTHENTICATED, "unknown application (none)");
        refused(() -> service.verify(signed(revoked), now()), ErrorCode.UNAUTHENTICATED,
                "application " + revoked.application().id() + " is revoked");
        clock.addAndGet(Duration.ofHours(1).toMillis());
        SignedRequest afterExpiry = signed(expiring);
        refused(() -> service.verify(afterExpiry, now()), ErrorCode.UNAUTHENTICATED,
                "application " + expiring.application().id() + " expired at " + expiry);
        SignedRequest fresh = signed(app);
        refused(() -> service.verify(withSource(fresh, "192.0.2.7"), now()), ErrorCode.UNAUTHENTICATED,
                "source 192.0.2.7 is not allowed for application " + id);
        refused(() -> service.verify(withTimestamp(fresh, "12:00"), now()), ErrorCode.UNAUTHENTICATED,
                "timestamp 12:00 is not milliseconds since the epoch");
        long old = clock.get() - ApplicationService.WINDOW.toMillis() - 1;
        SignedRequest stale = withTimestamp(fresh, Long.toString(old));
        refused(() -> service.verify(stale, now()), ErrorCode.UNAUTHENTICATED,
                "timestamp " + old + " is more than 5 minutes from the platform's clock");
        refused(() -> service.verify(fresh, now().minus(ApplicationService.WINDOW).minusMillis(1)), ErrorCode.UNAUTHENTICATED,
                "timestamp " + fresh.timestamp() + " is more than 5 minutes from the platform's clock");
        refused(() -> service.verify(withNonce(fresh, "short"), now()), ErrorCode.UNAUTHENTICATED,
                "nonce short is not 16 to 64 characters of A-Z, a-z, 0-9, _ and -");
        refused(() -> service.verify(withSignature(fresh, tampered(fresh.signature())), now()),
                ErrorCode.UNAUTHENTICATED, "signature does not match");
        refused(() -> service.verify(withPath(fresh, "/api/v1/devices/d2"), now()), ErrorCode.UNAUTHENTICATED,
                "signature does not match");
        // a request exactly at the edge of the window is still accepted
        assertThat(service.verify(fresh, now().plus(ApplicationService.WINDOW))).isEqualTo(app.application());
    }

    @Test
    void aForgedRequestDoesNotUseUpTheNonceOfTheRealOne() {
        // Verifies that only a request with a valid signature records its nonce: a forger who saw a nonce cannot burn it.
        // GIVEN a real request and a forgery with its nonce
        CreatedApplication app = create(Role.VIEWER, List.of());
        SignedRequest real = signed(app);
        SignedRequest forged = withSignature(real, RequestSignature.hmac("guessed", "anything"));
        // WHEN
        refused(() -> service.verify(forged, now()), ErrorCode.UNAUTHENTICATED, "signature does not match");
        // THEN
        assertThat(service.verify(real, now())).isEqualTo(app.application());
    }

    @Test
    void aRotatedSecretReplacesTheOldOneAtOnce() {
        // Verifies rotate(): the old secret is refused, the new one accepted, rotatedAt moves; a revoked application
        // cannot be rotated back to life.
        // GIVEN
        CreatedApplication app = create(Role.OPERATOR, List.of());
        String id = app.application().id();
        assertThat(service.verify(signed(app), now())).isNotNull();
        clock.addAndGet(1000);
        // WHEN
        CreatedApplication rotated = service.rotate(id);
        // THEN
        assertThat(rotated.secret()).isNotEqualTo(app.secret()).matches("[A-Za-z0-9_-]{43}");
        assertThat(rotated.application().rotatedAt()).isEqualTo(now()).isAfter(app.application().createdAt());
        refused(() -> service.verify(signed(app), now()), ErrorCode.UNAUTHENTICATED, "signature does not match");
        assertThat(service.verify(signed(rotated), now())).isEqualTo(rotated.application());
        assertThat(systemLog.lines()).last().isEqualTo("INFO access " + id + ": application secret rotated: the old secret no longer"
                + " works");
        service.revoke(id);
        refused(() -> service.rotate(id), ErrorCode.CONFLICT, "application " + id + " is revoked: delete it and create a new one");
        refused(() -> service.rotate("app-nobody00000"), ErrorCode.NOT_FOUND, "application app-nobody00000 does not exist");
    }

    @Test
    void aRevokedApplicationIsRefusedWhateverItSendsAndADeletedOneIsUnknown() {
        // Verifies revoke() (at once, idempotent, WARN in the system log) and delete().
        // GIVEN
        CreatedApplication app = create(Role.OPERATOR, List.of());
        String id = app.application().id();
        // WHEN
        ApplicationInfo revoked = service.revoke(id);
        // THEN
        assertThat(revoked.revoked()).isTrue();
        assertThat(service.revoke(id)).isEqualTo(revoked);
        refused(() -> service.verify(signed(app), now()), ErrorCode.UNAUTHENTICATED, "application " + id + " is revoked");
        // WHEN deleted
        service.delete(id);
        // THEN
        refused(() -> service.verify(signed(app), now()), ErrorCode.UNAUTHENTICATED, "unknown application " + id);
        assertThat(service.find(id)).isEmpty();
        refused(() -> service.delete(id), ErrorCode.NOT_FOUND, "application " + id + " does not exist");
        assertThat(systemLog.lines()).contains("WARN access " + id + ": application revoked: its requests are refused from now on",
                "INFO access " + id + ": application deleted");
    }

    @Test
    void aChangeMadeOnAnotherNodeIsSeenWithinTheRefreshInterval() {
        // Verifies the in-memory snapshot: a second service over the same database and key (another node) keeps
        // accepting a revoked application until its snapshot is REFRESH_MS old, and no longer after.
        // GIVEN node B has seen the application
        CreatedApplication app = create(Role.OPERATOR, List.of());
        ApplicationServiceImpl nodeB = newService(keyDir);
        assertThat(nodeB.verify(signed(app), now())).isNotNull();
        // WHEN node A revokes it
        service.revoke(app.application().id());
        // THEN
        assertThat(nodeB.verify(signed(app), now())).isNotNull();
        clock.addAndGet(ApplicationServiceImpl.REFRESH_MS);
        refused(() -> nodeB.verify(signed(app), now()), ErrorCode.UNAUTHENTICATED,
                "application " + app.application().id() + " is revoked");
    }

    @Test
    void aSecretSealedWithAnotherKeyIsAClearErrorForItsApplicationOnly() throws Exception {
        // Verifies a node with the wrong key file: the application it cannot open gets INTERNAL with the reason,
        // nothing crashes, and listing still works.
        // GIVEN an application created with this node's key, and a node with another key file
        CreatedApplication app = create(Role.OPERATOR, List.of());
        ApplicationServiceImpl wrongKey = newService(Files.createTempDirectory(dir, "other"));
        // WHEN / THEN
        refused(() -> wrongKey.verify(signed(app), now()), ErrorCode.INTERNAL, "application " + app.application().id()
                + ": the sealed secret of " + app.application().id() + " does not open with this key: it was sealed with another"
                + " key file (copy the key of the node that created it) or it is damaged");
        assertThat(wrongKey.list()).containsExactly(app.application());
        refused(() -> wrongKey.verify(withApp(signed(app), "app-nobody00000"), now()), ErrorCode.UNAUTHENTICATED,
                "unknown application app-nobody00000");
    }

    // ------------------------------------------------------------------ request variants

    private static SignedRequest withApp(SignedRequest r, String id) {
        return new SignedRequest(id, r.method(), r.path(), r.query(), r.bodySha256(), r.timestamp(), r.nonce(), r.signature(), r.source());
    }

    private static SignedRequest withSource(SignedRequest r, String source) {
        return new SignedRequest(r.applicationId(), r.method(), r.path(), r.query(), r.bodySha256(), r.timestamp(), r.nonce(),
                r.signature(), source);
    }

    private static SignedRequest withTimestamp(SignedRequest r, String ts) {
        return new SignedRequest(r.applicationId(), r.method(), r.path(), r.query(), r.bodySha256(), ts, r.nonce(), r.signature(),
                r.source());
    }

    private static SignedRequest withNonce(SignedRequest r, String nonce) {
        return new SignedRequest(r.applicationId(), r.method(), r.path(), r.query(), r.bodySha256(), r.timestamp(), nonce,
                r.signature(), r.source());
    }

    private static SignedRequest withSignature(SignedRequest r, String signature) {
        return new SignedRequest(r.applicationId(), r.method(), r.path(), r.query(), r.bodySha256(), r.timestamp(), r.nonce(),
                signature, r.source());
    }

    /** A signature with its first digit changed. */
    private static String tampered(String signature) {
        return (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1);
    }

    private static SignedRequest withPath(SignedRequest r, String path) {
        return new SignedRequest(r.applicationId(), r.method(), path, r.query(), r.bodySha256(), r.timestamp(), r.nonce(),
                r.signature(), r.source());
    }
}
