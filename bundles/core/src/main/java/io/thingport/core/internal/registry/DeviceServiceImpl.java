package io.thingport.core.internal.registry;

import io.thingport.api.ErrorCode;
import io.thingport.api.Identifiers;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceCertificate;
import io.thingport.api.device.DevicePage;
import io.thingport.api.device.DeviceQuery;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.DeviceStatus;
import io.thingport.api.device.ImportFormat;
import io.thingport.api.device.ImportProgress;
import io.thingport.api.device.LogType;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.Product;
import io.thingport.api.device.PropertyBucket;
import io.thingport.api.device.PropertyPage;
import io.thingport.api.device.PropertyValue;
import io.thingport.api.network.Fingerprints;
import io.thingport.api.network.Pem;
import io.thingport.api.protocol.AuthContext;
import io.thingport.api.protocol.DeviceCredentials;
import io.thingport.api.protocol.ProductCredentials;
import io.thingport.core.internal.gateway.DeviceSessions;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.TimeRange;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Devices: the rules of {@link DeviceService} over the {@link DeviceStore}, the {@link PropertyStore} and the
 * {@link DeviceCertificates}, and what the gateways and the pipeline do to devices — look them up, check credentials,
 * register them dynamically, record their connection state and store their property values.
 */
@Component(service = {DeviceServiceImpl.class, DeviceService.class})
public final class DeviceServiceImpl implements DeviceService {
    /** The longest subject or issuer name a binding records (the column's size). */
    private static final int MAX_NAME = 1000;
    /** The most values one page of a property's history holds. */
    static final int MAX_HISTORY_PAGE = 1000;
    /** The thing-model property through which a device reports its MAC address. */
    public static final String MAC_PROPERTY = "mac";

    private final ProductServiceImpl products;
    private final DeviceSessions sessions;
    private final DeviceLogServiceImpl log;
    private final String node;
    private final DeviceStore store;
    private final PropertyStore properties;
    private final LoginTimestamps logins;
    private final DeviceCertificates certificates;
    private final TopologyStore topology;

    @Activate
    public DeviceServiceImpl(@Reference Storage storage, @Reference ProductServiceImpl products, @Reference DeviceSessions sessions,
                             @Reference DeviceLogServiceImpl log) {
        this.products = products;
        this.sessions = sessions;
        this.log = log;
        this.node = System.getProperty("karaf.name", "thingport");
        this.store = new DeviceStore(storage, node);
        this.topology = new TopologyStore(storage);
        this.properties = new PropertyStore(storage);
        this.logins = new LoginTimestamps(storage);
        this.certificates = new DeviceCertificates(storage);
    }

    /** The name of this node: devices connected here are recorded as online on it. */
    public String node() {
        return node;
    }

    /** The cached device record, loading it on first use. Blocks on storage: never call it on an event loop. */
    public Optional<DeviceRecord> record(String deviceId) {
        return store.find(deviceId);
    }

    private DeviceRecord requireRecord(String deviceId) {
        return record(deviceId).orElseThrow(() -> ThingportException.notFound("device", deviceId));
    }

    @Override
    public CreatedDevice createDevice(NewDevice nd) {
        DeviceRecord r = newRecord(nd.id(), nd.productId(), nd.name(), nd.secret(), nd.mac());
        store.insert(r);
        return new CreatedDevice(r.toDevice(), r.secret());
    }

    private DeviceRecord newRecord(String id, String productId, String name, String secret, String mac) {
        Identifiers.requireObjectId("device id", id);
        if (productId == null || products.findProduct(productId).isEmpty()) {
            throw ThingportException.notFound("product", productId);
        }
        String normalisedMac = MacAddresses.normalise("mac", mac);
        return new DeviceRecord(id, productId, Names.orDefault(name, id), SecretRules.orGenerate("device secret", secret), true,
                Instant.now(), DeviceState.NEVER_ONLINE, normalisedMac, Map.of());
    }

    @Override
    public List<CreatedDevice> importDevices(String productId, String content, ImportFormat format, ImportProgress progress) {
        products.getProduct(productId);
        List<DeviceImport.Row> rows = format == ImportFormat.CSV ? DeviceImport.parseCsv(content) : DeviceImport.parseJson(content);
        int total = rows.size();
        progress.progress(ImportProgress.CHECKED, 0, total);
        List<String> errors = new ArrayList<>();
        Map<String, DeviceRecord> records = new LinkedHashMap<>();
        for (int i = 0; i < total; i++) {
            DeviceImport.Row row = rows.get(i);
            try {
                DeviceRecord r = newRecord(row.id(), productId, row.name(), row.secret(), row.mac());
                if (records.putIfAbsent(r.id(), r) != null) {
                    errors.add(row.where() + ": device " + r.id() + " appears twice in the file");
                }
            } catch (ThingportException e) {
                errors.add(row.where() + ": " + e.getMessage());
            }
            if ((i + 1) % DeviceStore.CHUNK == 0 || i + 1 == total) {
                progress.progress(ImportProgress.CHECKED, i + 1, total);
            }
        }
        if (rows.isEmpty()) {
            errors.add("the file contains no devices");
        }
        DeviceImport.failIfAny(errors, "no device was imported");
        List<DeviceRecord> toStore = List.copyOf(records.values());
        store.insertAll(toStore, done -> progress.progress(ImportProgress.STORED, done, total));
        return toStore.stream().map(r -> new CreatedDevice(r.toDevice(), r.secret())).toList();
    }

    @Override
    public Optional<Device> findDevice(String deviceId) {
        return record(deviceId).map(DeviceRecord::toDevice);
    }

    @Override
    public Device getDevice(String deviceId) {
        return findDevice(deviceId).orElseThrow(() -> ThingportException.notFound("device", deviceId));
    }

    @Override
    public List<Device> listDevices(String productId) {
        return store.list(productId).stream().map(DeviceRecord::toDevice).toList();
    }

    @Override
    public DevicePage queryDevices(DeviceQuery query) {
        Objects.requireNonNull(query, "query");
        String after = DeviceQueries.checked(query);
        List<DeviceRecord> rows = store.page(query, after);
        if (rows.size() <= query.limit()) {
            return new DevicePage(rows.stream().map(DeviceRecord::toDevice).toList(), null);
        }
        List<DeviceRecord> page = rows.subList(0, query.limit());
        return new DevicePage(page.stream().map(DeviceRecord::toDevice).toList(), DeviceQueries.cursor(page.get(page.size() - 1).id()));
    }

    @Override
    public Map<DeviceStatus, Long> countByStatus(DeviceQuery query) {
        Objects.requireNonNull(query, "query");
        DeviceQueries.checkFilters(query);
        return store.countByStatus(query);
    }

    @Override
    public Device setTags(String deviceId, Map<String, String> tags) {
        Objects.requireNonNull(tags, "tags");
        DeviceRecord r = requireRecord(deviceId);
        return store.setTags(r, DeviceTags.checked(tags)).toDevice();
    }

    @Override
    public Device updateTags(String deviceId, Map<String, String> put, Set<String> remove) {
        Objects.requireNonNull(put, "put");
        Objects.requireNonNull(remove, "remove");
        DeviceRecord r = requireRecord(deviceId);
        DeviceTags.updated(r.tags(), put, remove);
        // checked first against the cached tags (a refusal changes nothing), applied to the stored ones under their lock
        return store.changeTags(r, current -> DeviceTags.updated(current, put, remove)).toDevice();
    }

    @Override
    public Device setMac(String deviceId, String mac) {
        String normalised = MacAddresses.normalise("mac", mac);
        return store.setMac(requireRecord(deviceId), normalised).toDevice();
    }

    @Override
    public void deleteDevice(String deviceId) {
        getDevice(deviceId);
        sessions.kick(deviceId, "device deleted");
        store.delete(deviceId);
        topology.forget(deviceId);
    }

    /** Which devices are sub-devices of which gateway ({@link io.thingport.api.device.TopologyService} works on it). */
    public TopologyStore topology() {
        return topology;
    }

    @Override
    public Device setEnabled(String deviceId, boolean enabled) {
        DeviceRecord updated = store.setEnabled(requireRecord(deviceId), enabled);
        if (!enabled) {
            sessions.kick(deviceId, "device disabled");
        }
        return updated.toDevice();
    }

    @Override
    public String rotateSecret(String deviceId) {
        DeviceRecord r = requireRecord(deviceId);
        String secret = SecretRules.generate();
        store.setSecret(r, secret);
        sessions.kick(deviceId, "device secret rotated");
        return secret;
    }

    @Override
    public DeviceCertificate bindCertificate(String deviceId, String certificatePem) {
        requireRecord(deviceId);
        String name = "for device " + deviceId;
        X509Certificate leaf = Pem.certificates(name, certificatePem).get(0);
        Instant now = Instant.now();
        if (leaf.getNotAfter().toInstant().isBefore(now)) {
            throw ThingportException.invalidArgument("certificate " + name + ": it expired on " + leaf.getNotAfter().toInstant());
        }
        String subject = leaf.getSubjectX500Principal().getName();
        String issuer = leaf.getIssuerX500Principal().getName();
        if (subject.length() > MAX_NAME || issuer.length() > MAX_NAME) {
            throw ThingportException.invalidArgument("certificate " + name + ": its subject or issuer is longer than " + MAX_NAME
                    + " characters; bind it by its fingerprint instead");
        }
        return certificates.bind(deviceId, new DeviceCertificates.Certificate(Fingerprints.sha256(leaf), subject, issuer,
                leaf.getNotAfter().toInstant()), now);
    }

    @Override
    public DeviceCertificate bindCertificateFingerprint(String deviceId, String fingerprint) {
        requireRecord(deviceId);
        byte[] sha256 = Fingerprints.parseSha256(fingerprint);
        return certificates.bind(deviceId, DeviceCertificates.Certificate.ofFingerprint(sha256), Instant.now());
    }

    @Override
    public void unbindCertificate(String deviceId, String fingerprint) {
        requireRecord(deviceId);
        certificates.unbind(deviceId, Fingerprints.parseSha256(fingerprint));
        // A connection that logged in with the certificate must not outlive the binding (as with a rotated secret).
        sessions.kick(deviceId, "device certificate unbound");
    }

    @Override
    public List<DeviceCertificate> listCertificates(String deviceId) {
        requireRecord(deviceId);
        return certificates.list(deviceId);
    }

    /**
     * Dynamic registration: creates the device with a new secret, or returns the secret of a device of the same
     * product that has never connected with it.
     */
    public String register(String productId, String deviceId) {
        Product product = products.getProduct(productId);
        if (!product.dynamicRegistration()) {
            throw new ThingportException(ErrorCode.FORBIDDEN, "product " + productId + " does not allow dynamic registration");
        }
        Optional<DeviceRecord> existing = record(deviceId);
        if (existing.isPresent()) {
            DeviceRecord r = existing.get();
            if (!r.productId().equals(productId)) {
                throw new ThingportException(ErrorCode.CONFLICT, "device id " + deviceId + " already exists in another product");
            }
            if (r.state().firstOnline() != null) {
                throw new ThingportException(ErrorCode.CONFLICT, "device " + deviceId
                        + " has already connected with its secret; an operator can rotate it");
            }
            return r.secret();
        }
        return createDevice(new NewDevice(deviceId, productId, null, null)).secret();
    }

    /** Writes a registration to the device log. */
    public CompletableFuture<Void> logRegistered(String productId, String deviceId, String messageId) {
        return log.write(LogType.REGISTERED, deviceId, productId, "register", messageId, "", "", "", "device registered itself");
    }

    /** Marks the device online on this node; persisted through the batched writer. */
    public CompletableFuture<Void> markOnline(String deviceId, long now) {
        return store.markOnline(deviceId, now);
    }

    /** Marks the device offline; persisted through the batched writer. */
    public CompletableFuture<Void> markOffline(String deviceId, long now) {
        return store.markOffline(deviceId, now);
    }

    /**
     * The statements that store validated, canonical property values of one uplink (as one report with the id of the
     * uplink's log entry), while {@code device} holds.
     */
    public List<Sql> propertyInserts(String deviceId, long reportId, Map<String, Object> canonical, long timestamp) {
        List<Sql> inserts = PropertyStore.inserts(deviceId, reportId, canonical, timestamp);
        Optional<String> mac = reportedMac(canonical);
        if (mac.isEmpty()) {
            return inserts;
        }
        Optional<Sql> update = store.reportedMac(deviceId, reportId, mac.get());
        if (update.isEmpty()) {
            return inserts;
        }
        List<Sql> out = new ArrayList<>(inserts);
        out.add(update.get());
        return out;
    }

    /**
     * The MAC address a report carries: the value of a property named {@value #MAC_PROPERTY} when it is a MAC address in
     * one of the forms {@link DeviceService#setMac} takes (any other value is stored as the property's value only).
     */
    static Optional<String> reportedMac(Map<String, Object> canonical) {
        return canonical.get(MAC_PROPERTY) instanceof String s ? MacAddresses.parse(s) : Optional.empty();
    }

    @Override
    public Map<String, PropertyValue> latestProperties(String deviceId) {
        DeviceRecord device = requireRecord(deviceId);
        // The properties of the thing model, in model order. (Values of properties removed from the model stay in the
        // history: device-props --history shows them.)
        List<String> names = new ArrayList<>();
        products.findProduct(device.productId()).ifPresent(p -> p.thingModel().properties().forEach(s -> names.add(s.id())));
        return properties.latest(deviceId, names);
    }

    /**
     * The newest {@code limit} values (at least 1, at most 10,000): pages of the ranged history until it has as many or
     * there are no more.
     */
    @Override
    public List<PropertyValue> propertyHistory(String deviceId, String property, int limit) {
        int n = Math.max(1, Math.min(limit, 10_000));
        List<PropertyValue> out = new ArrayList<>();
        String cursor = null;
        do {
            PropertyPage page = propertyHistory(deviceId, property, null, null, cursor, Math.min(n - out.size(), MAX_HISTORY_PAGE));
            out.addAll(page.values());
            cursor = page.next();
        } while (cursor != null && out.size() < n);
        return out;
    }

    @Override
    public PropertyPage propertyHistory(String deviceId, String property, Instant from, Instant to, String cursor, int limit) {
        requireIds(deviceId, property);
        if (limit < 1 || limit > MAX_HISTORY_PAGE) {
            throw ThingportException.invalidArgument("limit " + limit + " is out of range: it must be from 1 to " + MAX_HISTORY_PAGE);
        }
        HistoryCursor.Scope scope = new HistoryCursor.Scope(deviceId, property, TimeRange.of(from, to));
        ReportPosition after = cursor == null ? null : HistoryCursor.decode(scope, cursor);
        requireRecord(deviceId);
        PropertyStore.Page page = properties.page(deviceId, property, scope.range(), after, limit);
        return new PropertyPage(page.values(), page.next() == null ? null : HistoryCursor.encode(scope, page.next()));
    }

    @Override
    public List<PropertyBucket> propertySeries(String deviceId, String property, Instant from, Instant to, Duration interval) {
        requireIds(deviceId, property);
        Buckets buckets = Buckets.over(from, to, interval);
        requireRecord(deviceId);
        properties.fold(deviceId, property, buckets, MAX_SERIES_VALUES);
        return buckets.result();
    }

    private static void requireIds(String deviceId, String property) {
        if (deviceId == null || property == null || property.isEmpty()) {
            throw ThingportException.invalidArgument("a device id and a property id are required");
        }
    }

    /** Credential look-ups for authenticators (blocking: worker threads only). */
    public AuthContext authContext() {
        return new AuthContext() {
            @Override
            public Optional<DeviceCredentials> device(String deviceId) {
                return record(deviceId).map(r -> new DeviceCredentials(r.id(), r.productId(), r.secret(), r.enabled()));
            }

            @Override
            public Optional<ProductCredentials> product(String productId) {
                return products.findProduct(productId).map(p -> new ProductCredentials(p.id(), p.secret(), p.dynamicRegistration()));
            }

            @Override
            public boolean certificateBound(String deviceId, X509Certificate certificate) {
                return certificates.bound(deviceId, Fingerprints.sha256(certificate));
            }

            @Override
            public long now() {
                return System.currentTimeMillis();
            }

            @Override
            public boolean recordLogin(String deviceId, long timestampMs) {
                return logins.record(deviceId, timestampMs);
            }
        };
    }
}
