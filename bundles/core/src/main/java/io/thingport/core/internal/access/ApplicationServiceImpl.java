package io.thingport.core.internal.access;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.ApplicationService;
import io.thingport.api.access.CreatedApplication;
import io.thingport.api.access.NewApplication;
import io.thingport.api.access.RequestSignature;
import io.thingport.api.access.SignedRequest;
import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogService;
import io.thingport.api.device.ProductService;
import io.thingport.core.internal.access.ApplicationStore.Stored;
import io.thingport.core.internal.storage.Storage;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Applications ({@link ApplicationService}): stored by {@link ApplicationStore} with their secrets sealed under the key
 * file ({@link AccessKeyFile}, {@link SecretSeal}), and checked on each signed request from memory: the applications
 * with their opened secrets are held as a snapshot, replaced at once after a change made here and re-read every
 * {@value #REFRESH_MS} ms otherwise (a change made on another node is seen within that time), so that a request costs
 * no database read. The nonces of accepted requests are remembered by this node ({@link NonceWindow}).
 */
@Component(service = ApplicationService.class)
public final class ApplicationServiceImpl implements ApplicationService {
    static final int MAX_APPLICATIONS = 1000;
    static final int MAX_NAME = 64;
    static final int MAX_PRODUCTS = 1000;
    static final long REFRESH_MS = 10_000;
    private static final String ID_PREFIX = "app-";
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int ID_LENGTH = 12;
    private static final int SECRET_BYTES = 32;
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,15}");

    /** An application as verify() sees it: its secret opened, or why it could not be. */
    private record Known(ApplicationInfo info, SourceRanges sources, String sealed, String secret, String problem) {
        @Override
        public String toString() {
            return "Known[" + info.id() + "]";
        }
    }

    /** The applications held in memory and when they were read (the refresh clock's milliseconds). */
    private record Snapshot(Map<String, Known> byId, long loadedAt) {
    }

    private final ApplicationStore store;
    private final ProductService products;
    private final SystemLogService systemLog;
    private final Path keyFile;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();
    private final NonceWindow nonces = new NonceWindow();
    private final ReentrantLock loading = new ReentrantLock();
    private volatile Snapshot snapshot;
    /** Made from the key file on first use; guarded by {@link #loading}. */
    private SecretSeal seal;

    @Activate
    public ApplicationServiceImpl(@Reference Storage storage, @Reference ProductService products,
                                  @Reference SystemLogService systemLog) {
        this(new ApplicationStore(storage), products, systemLog, keyFileOfKaraf(), System::currentTimeMillis);
    }

    /**
     * @param keyFile where the sealing key is, made on first use
     * @param clock   epoch milliseconds: the creation times and the snapshot's refresh
     */
    ApplicationServiceImpl(ApplicationStore store, ProductService products, SystemLogService systemLog, Path keyFile,
                           LongSupplier clock) {
        this.store = store;
        this.products = products;
        this.systemLog = systemLog;
        this.keyFile = keyFile;
        this.clock = clock;
    }

    /** {@code etc/thingport-access.key} of Karaf, or of the working directory outside Karaf. */
    private static Path keyFileOfKaraf() {
        Path inEtc = AccessKeyFile.inKarafEtc();
        return inEtc != null ? inEtc : Path.of("etc", AccessKeyFile.FILE_NAME).toAbsolutePath();
    }

    // ------------------------------------------------------------------ management

    @Override
    public CreatedApplication create(NewApplication a) {
        Objects.requireNonNull(a, "application");
        String name = name(a.name());
        if (a.role() == null) {
            throw ThingportException.invalidArgument("role is required (viewer, operator or admin)");
        }
        checkProducts(a);
        SourceRanges.parse(a.allowedSources());
        List<String> sources = a.allowedSources().stream().map(String::trim).toList();
        Instant now = Instant.ofEpochMilli(clock.getAsLong());
        if (a.expiresAt() != null && !a.expiresAt().isAfter(now)) {
            throw ThingportException.invalidArgument("expiresAt " + a.expiresAt() + " is not in the future");
        }
        String id = newId();
        String secret = newSecret();
        ApplicationInfo info = new ApplicationInfo(id, name, a.role(), a.products(), sources,
                a.expiresAt() == null ? null : Instant.ofEpochMilli(a.expiresAt().toEpochMilli()), now, now, false);
        loading.lock();
        try {
            store.insert(new Stored(info, seal().seal(secret, id)), MAX_APPLICATIONS);
            reload();
        } finally {
            loading.unlock();
        }
        systemLog.record(SystemEvent.INFO, SystemEvents.ACCESS, id, "application created: name " + name + ", role "
                + a.role().wireName() + ", " + (info.products().isEmpty() ? "all products" : info.products().size() + " product(s)")
                + ", " + (sources.isEmpty() ? "any source" : sources.size() + " allowed source(s)")
                + (info.expiresAt() == null ? "" : ", expires at " + info.expiresAt()));
        return new CreatedApplication(info, secret);
    }

    private static String name(String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) {
            throw ThingportException.invalidArgument("name is required");
        }
        if (n.length() > MAX_NAME) {
            throw ThingportException.invalidArgument("name is longer than " + MAX_NAME + " characters");
        }
        if (n.chars().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.UNASSIGNED)) {
            throw ThingportException.invalidArgument("name may contain printable characters only");
        }
        return n;
    }

    private void checkProducts(NewApplication a) {
        if (a.products().size() > MAX_PRODUCTS) {
            throw ThingportException.invalidArgument("products holds " + a.products().size() + " product ids, at most " + MAX_PRODUCTS);
        }
        List<String> unknown = a.products().stream().sorted().filter(p -> products.findProduct(p).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw new ThingportException(ErrorCode.NOT_FOUND, unknown.size() == 1 ? "product " + unknown.get(0) + " does not exist"
                    : "products " + String.join(", ", unknown) + " do not exist");
        }
    }

    private String newId() {
        StringBuilder id = new StringBuilder(ID_PREFIX);
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    private String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public List<ApplicationInfo> list() {
        return store.all().stream().map(Stored::info).toList();
    }

    @Override
    public Optional<ApplicationInfo> find(String id) {
        return id == null ? Optional.empty() : store.get(id).map(Stored::info);
    }

    private ApplicationInfo require(String id) {
        return find(id).orElseThrow(() -> ThingportException.notFound("application", id));
    }

    @Override
    public CreatedApplication rotate(String id) {
        ApplicationInfo old = require(id);
        if (old.revoked()) {
            throw new ThingportException(ErrorCode.CONFLICT, "application " + id + " is revoked: delete it and create a new one");
        }
        String secret = newSecret();
        Instant now = Instant.ofEpochMilli(clock.getAsLong());
        loading.lock();
        try {
            if (!store.updateSecret(id, seal().seal(secret, id), now)) {
                throw new ThingportException(ErrorCode.CONFLICT, "application " + id + " was revoked or deleted meanwhile");
            }
            reload();
        } finally {
            loading.unlock();
        }
        systemLog.record(SystemEvent.INFO, SystemEvents.ACCESS, id, "application secret rotated: the old secret no longer works");
        return new CreatedApplication(require(id), secret);
    }

    @Override
    public ApplicationInfo revoke(String id) {
        ApplicationInfo old = require(id);
        if (old.revoked()) {
            return old;
        }
        loading.lock();
        try {
            if (!store.revoke(id)) {
                throw ThingportException.notFound("application", id);
            }
            reload();
        } finally {
            loading.unlock();
        }
        systemLog.record(SystemEvent.WARN, SystemEvents.ACCESS, id, "application revoked: its requests are refused from now on");
        return require(id);
    }

    @Override
    public void delete(String id) {
        require(id);
        loading.lock();
        try {
            if (!store.delete(id)) {
                throw ThingportException.notFound("application", id);
            }
            nonces.forget(id);
            reload();
        } finally {
            loading.unlock();
        }
        systemLog.record(SystemEvent.INFO, SystemEvents.ACCESS, id, "application deleted");
    }

    // ------------------------------------------------------------------ signed requests

    @Override
    public ApplicationInfo verify(SignedRequest r, Instant now) {
        Objects.requireNonNull(r, "request");
        Objects.requireNonNull(now, "now");
        String id = r.applicationId();
        Known k = id == null ? null : applications().get(id);
        if (k == null) {
            throw refused("unknown application " + shown(id));
        }
        ApplicationInfo app = k.info();
        if (app.revoked()) {
            throw refused("application " + id + " is revoked");
        }
        if (app.expiresAt() != null && !now.isBefore(app.expiresAt())) {
            throw refused("application " + id + " expired at " + app.expiresAt());
        }
        if (k.sources() == null || !k.sources().matches(r.source())) {
            throw refused("source " + shown(r.source()) + " is not allowed for application " + id);
        }
        if (r.timestamp() == null || !TIMESTAMP.matcher(r.timestamp()).matches()) {
            throw refused("timestamp " + shown(r.timestamp()) + " is not milliseconds since the epoch");
        }
        if (Math.abs(Long.parseLong(r.timestamp()) - now.toEpochMilli()) > WINDOW.toMillis()) {
            throw refused("timestamp " + r.timestamp() + " is more than " + WINDOW.toMinutes() + " minutes from the platform's clock");
        }
        if (r.nonce() == null || !RequestSignature.NONCE.matcher(r.nonce()).matches()) {
            throw refused("nonce " + shown(r.nonce()) + " is not 16 to 64 characters of A-Z, a-z, 0-9, _ and -");
        }
        if (k.secret() == null) {
            throw new ThingportException(ErrorCode.INTERNAL, "application " + id + ": " + k.problem());
        }
        String expected = RequestSignature.hmac(k.secret(), RequestSignature.canonical(nz(r.method()), nz(r.path()), r.query(),
                r.bodySha256() == null ? RequestSignature.sha256(null) : r.bodySha256(), r.timestamp(), r.nonce()));
        if (!RequestSignature.matches(expected, r.signature())) {
            throw refused("signature does not match");
        }
        // Only now: a request whose signature does not match cannot use up (or probe) a nonce.
        if (!nonces.remember(id, r.nonce(), now.toEpochMilli())) {
            throw refused("nonce " + r.nonce() + " was already used");
        }
        return app;
    }

    private static ThingportException refused(String why) {
        return new ThingportException(ErrorCode.UNAUTHENTICATED, why);
    }

    /** A value the caller sent, as an error message may quote it: at most 64 characters, control characters as {@code ?}. */
    private static String shown(String value) {
        if (value == null) {
            return "(none)";
        }
        String v = value.length() > 64 ? value.substring(0, 61) + "..." : value;
        StringBuilder out = new StringBuilder(v.length());
        v.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** The applications in memory, read again when the snapshot is older than {@link #REFRESH_MS}. */
    private Map<String, Known> applications() {
        Snapshot s = snapshot;
        if (s == null || clock.getAsLong() - s.loadedAt() >= REFRESH_MS) {
            // One reader refreshes; the others keep using the snapshot they have (the first one waits).
            if (s == null) {
                loading.lock();
            } else if (!loading.tryLock()) {
                return s.byId();
            }
            try {
                s = snapshot;
                if (s == null || clock.getAsLong() - s.loadedAt() >= REFRESH_MS) {
                    s = reload();
                }
            } finally {
                loading.unlock();
            }
        }
        return s.byId();
    }

    /** Reads every application and opens their secrets (those seen before are not opened again). Holds {@link #loading}. */
    private Snapshot reload() {
        Snapshot old = snapshot;
        Map<String, Known> byId = new HashMap<>();
        for (Stored s : store.all()) {
            ApplicationInfo info = s.info();
            Known before = old == null ? null : old.byId().get(info.id());
            String secret = null;
            String problem = null;
            if (before != null && before.secret() != null && before.sealed().equals(s.sealedSecret())) {
                secret = before.secret();
            } else {
                try {
                    secret = seal().open(s.sealedSecret(), info.id());
                } catch (ThingportException e) {
                    problem = e.getMessage();
                }
            }
            SourceRanges sources = null;
            try {
                sources = SourceRanges.parse(new ArrayList<>(info.allowedSources()));
            } catch (ThingportException e) {
                problem = "its stored " + e.getMessage();
                secret = null;
            }
            byId.put(info.id(), new Known(info, sources, s.sealedSecret(), secret, problem));
        }
        Snapshot fresh = new Snapshot(Map.copyOf(byId), clock.getAsLong());
        snapshot = fresh;
        return fresh;
    }

    /** The seal of the key file, made on first use. Holds {@link #loading}. */
    private SecretSeal seal() {
        if (seal == null) {
            seal = new SecretSeal(AccessKeyFile.loadOrCreate(keyFile, random), random);
        }
        return seal;
    }
}
