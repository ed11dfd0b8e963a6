package io.thingport.core.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.api.ErrorCode;
import io.thingport.api.Identifiers;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceService;

import io.thingport.api.device.DeviceState;
import io.thingport.api.device.ImportFormat;
import io.thingport.api.device.LogType;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.NewProduct;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.api.device.PropertyValue;
import io.thingport.api.model.ThingModel;
import io.thingport.api.protocol.AuthContext;
import io.thingport.api.protocol.DeviceCredentials;
import io.thingport.api.protocol.ProductCredentials;
import io.thingport.core.internal.gateway.DeviceSessions;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.json.ThingModelJson;
import io.thingport.core.internal.log.DeviceLog;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.usage.GatewayCatalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Products and devices. Products are all cached (there are few, and every uplink needs its thing model); devices
 * are cached as they are used. Every change goes through the storage writer in one transaction and updates the cache
 * only after it committed, so a failed change leaves nothing behind.
 */
@Component(service = {Registry.class, ProductService.class, DeviceService.class})
public final class Registry implements ProductService, DeviceService {
    private static final String DEVICE_COLUMNS = "id, product_id, name, secret, enabled, created_at, online, first_online,"
            + " online_count, last_online, last_offline, node";
    private static final String INSERT_HISTORY = "INSERT INTO property_history (device_id, property, ts, value_json) VALUES (?, ?, ?, ?)";
    static final int MAX_IMPORT_ERRORS_SHOWN = 20;

    private final Storage storage;
    private final DeviceSessions sessions;
    private final DeviceLog log;
    private final String node;
    private final ConcurrentMap<String, Product> products = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DeviceRecord> devices = new ConcurrentHashMap<>();

    @Activate
    public Registry(@Reference Storage storage, @Reference DeviceSessions sessions, @Reference DeviceLog log) {
        this.storage = storage;
        this.sessions = sessions;
        this.log = log;
        this.node = System.getProperty("karaf.name", "thingport");
        storage.query("SELECT id, name, description, secret, dynamic_registration, thing_model, created_at, gateway, data_format FROM product",
                Registry::product).forEach(p -> products.put(p.id(), p));
        // Devices this node held when it stopped are not connected any more.
        storage.transaction(c -> Storage.update(c, "UPDATE device SET online = FALSE, last_offline = ? WHERE online = TRUE AND node = ?",
                System.currentTimeMillis(), node));
    }

    public String node() {
        return node;
    }

    private static Product product(ResultSet rs) throws SQLException {
        return new Product(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                ThingModelJson.parse(rs.getString(6)), rs.getString(8), DataFormat.parse(rs.getString(9)), Instant.ofEpochMilli(rs.getLong(7)));
    }

    private static DeviceRecord deviceRecord(ResultSet rs) throws SQLException {
        DeviceState state = new DeviceState(rs.getBoolean(7), instant(rs, 8), rs.getLong(9), instant(rs, 10), instant(rs, 11),
                rs.getString(12));
        return new DeviceRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                Instant.ofEpochMilli(rs.getLong(6)), state);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Long millis(Instant i) {
        return i == null ? null : i.toEpochMilli();
    }

    // ------------------------------------------------------------------ products

    @Override
    public Product createProduct(NewProduct np) {
        Identifiers.requireObjectId("product id", np.id());
        String name = nameOr(np.name(), np.id());
        String description = np.description() == null ? "" : np.description();
        if (description.length() > 1000) {
            throw ThingportException.invalidArgument("description is longer than 1000 characters");
        }
        String secret = Secrets.orGenerate("product secret", np.secret());
        if (np.gateway() != null) {
            requireGateway(np.gateway());
        }
        Product p = new Product(np.id(), name, description, secret, np.dynamicRegistration(), np.thingModel(), np.gateway(),
                np.dataFormat(), Instant.now());
        storage.transaction(c -> {
            if (!Storage.query(c, "SELECT 1 FROM product WHERE id = ?", rs -> 1, p.id()).isEmpty()) {
                throw new ThingportException(ErrorCode.CONFLICT, "product " + p.id() + " already exists");
            }
            return Storage.update(c, "INSERT INTO product (id, name, description, secret, dynamic_registration, thing_model, created_at,"
                    + " gateway, data_format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", p.id(), p.name(), p.description(), p.secret(),
                    p.dynamicRegistration(), Json.write(ThingModelJson.toJson(p.thingModel())), p.createdAt().toEpochMilli(), p.gateway(),
                    p.dataFormat().wireName());
        });
        products.put(p.id(), p);
        return p;
    }

    private static String nameOr(String name, String fallback) {
        String n = name == null || name.isBlank() ? fallback : name.trim();
        if (n.length() > 200) {
            throw ThingportException.invalidArgument("name is longer than 200 characters");
        }
        return n;
    }

    @Override
    public Optional<Product> findProduct(String productId) {
        return Optional.ofNullable(products.get(productId));
    }

    @Override
    public Product getProduct(String productId) {
        return findProduct(productId).orElseThrow(() -> ThingportException.notFound("product", productId));
    }

    @Override
    public List<Product> listProducts() {
        List<Product> list = new ArrayList<>(products.values());
        list.sort((a, b) -> a.id().compareTo(b.id()));
        return list;
    }

    @Override
    public Product updateThingModel(String productId, ThingModel thingModel) {
        Product old = getProduct(productId);
        Product p = new Product(old.id(), old.name(), old.description(), old.secret(), old.dynamicRegistration(), thingModel, old.gateway(), old.dataFormat(),
                old.createdAt());
        storage.transaction(c -> Storage.update(c, "UPDATE product SET thing_model = ? WHERE id = ?",
                Json.write(ThingModelJson.toJson(thingModel)), productId));
        products.put(p.id(), p);
        return p;
    }

    @Override
    public Product setDynamicRegistration(String productId, boolean allowed) {
        Product old = getProduct(productId);
        storage.transaction(c -> Storage.update(c, "UPDATE product SET dynamic_registration = ? WHERE id = ?", allowed, productId));
        Product p = new Product(old.id(), old.name(), old.description(), old.secret(), allowed, old.thingModel(), old.gateway(),
                old.dataFormat(), old.createdAt());
        products.put(p.id(), p);
        return p;
    }

    @Override
    public Product setGateway(String productId, String gateway) {
        Product old = getProduct(productId);
        String g = gateway == null || gateway.isBlank() ? null : gateway.trim();
        if (g != null) {
            requireGateway(g);
        }
        storage.transaction(c -> Storage.update(c, "UPDATE product SET gateway = ? WHERE id = ?", g, productId));
        Product p = new Product(old.id(), old.name(), old.description(), old.secret(), old.dynamicRegistration(), old.thingModel(), g,
                old.dataFormat(), old.createdAt());
        products.put(p.id(), p);
        return p;
    }

    /** The configured gateways; absent while the network manager is not active (then no gateway exists). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile GatewayCatalog gateways;

    private void requireGateway(String gateway) {
        GatewayCatalog catalog = gateways;
        if (catalog == null || !catalog.exists(gateway)) {
            throw ThingportException.notFound("gateway", gateway);
        }
    }

    /** The products bound to a gateway. */
    public List<String> productsOfGateway(String gateway) {
        return products.values().stream().filter(p -> gateway.equals(p.gateway())).map(Product::id).sorted().toList();
    }

    @Override
    public void deleteProduct(String productId) {
        getProduct(productId);
        storage.transaction(c -> {
            long count = Storage.query(c, "SELECT COUNT(*) FROM device WHERE product_id = ?", rs -> rs.getLong(1), productId).get(0);
            if (count > 0) {
                throw new ThingportException(ErrorCode.CONFLICT, "product " + productId + " still has " + count
                        + " device(s): delete them first");
            }
            return Storage.update(c, "DELETE FROM product WHERE id = ?", productId);
        });
        products.remove(productId);
    }

    @Override
    public ThingModel parseThingModel(String json) {
        return ThingModelJson.parse(json);
    }

    @Override
    public String exportJson(String productId) {
        Product p = getProduct(productId);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", p.id());
        root.put("name", p.name());
        root.put("description", p.description());
        root.put("dynamicRegistration", p.dynamicRegistration());
        root.put("dataFormat", p.dataFormat().wireName());
        root.set("thingModel", ThingModelJson.toJson(p.thingModel()));
        return Json.writePretty(root);
    }

    @Override
    public Product importJson(String json, boolean replace) {
        JsonNode root = Json.parse(json, "product document");
        if (!root.isObject()) {
            throw ThingportException.invalidArgument("product document must be a JSON object");
        }
        for (java.util.Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!List.of("id", "name", "description", "dynamicRegistration", "dataFormat", "thingModel").contains(key)) {
                throw ThingportException.invalidArgument(key + ": is not a known key (expected id, name, description,"
                        + " dynamicRegistration, dataFormat, thingModel)");
            }
        }
        if (!root.path("id").isTextual()) {
            throw ThingportException.invalidArgument("id: is required and must be a string");
        }
        String id = root.get("id").asText();
        ThingModel model = root.has("thingModel") ? ThingModelJson.fromJson(root.get("thingModel"), "thingModel") : ThingModel.EMPTY;
        String name = root.path("name").isTextual() ? root.get("name").asText() : null;
        String description = root.path("description").isTextual() ? root.get("description").asText() : null;
        boolean dynamic = root.path("dynamicRegistration").asBoolean(false);
        if (root.has("dataFormat") && !root.get("dataFormat").isTextual()) {
            throw ThingportException.invalidArgument("dataFormat: must be \"fixed\" or \"variable\"");
        }
        DataFormat format = DataFormat.parse(root.path("dataFormat").asText(null));
        Optional<Product> existing = findProduct(id);
        if (existing.isEmpty()) {
            return createProduct(new NewProduct(id, name, description, null, dynamic, model, null, format));
        }
        if (!replace) {
            throw new ThingportException(ErrorCode.CONFLICT, "product " + id + " already exists (use --replace to overwrite its"
                    + " name, description, dynamic registration and thing model)");
        }
        Product old = existing.get();
        Product p = new Product(id, nameOr(name, old.name()), description == null ? old.description() : description, old.secret(),
                dynamic, model, old.gateway(), format, old.createdAt());
        storage.transaction(c -> Storage.update(c, "UPDATE product SET name = ?, description = ?, dynamic_registration = ?,"
                + " thing_model = ?, data_format = ? WHERE id = ?", p.name(), p.description(), p.dynamicRegistration(),
                Json.write(ThingModelJson.toJson(model)), format.wireName(), id));
        products.put(id, p);
        return p;
    }

    // ------------------------------------------------------------------ devices

    /** The cached device record, loading it on first use. Blocks on storage: never call it on an event loop. */
    public Optional<DeviceRecord> record(String deviceId) {
        DeviceRecord cached = devices.get(deviceId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<DeviceRecord> loaded = storage.queryOne("SELECT " + DEVICE_COLUMNS + " FROM device WHERE id = ?",
                Registry::deviceRecord, deviceId);
        loaded.ifPresent(r -> devices.putIfAbsent(r.id(), r));
        return loaded.map(r -> devices.getOrDefault(r.id(), r));
    }

    @Override
    public CreatedDevice createDevice(NewDevice nd) {
        DeviceRecord r = newRecord(nd.id(), nd.productId(), nd.name(), nd.secret(), "");
        storage.transaction(c -> {
            if (!Storage.query(c, "SELECT 1 FROM device WHERE id = ?", rs -> 1, r.id()).isEmpty()) {
                throw new ThingportException(ErrorCode.CONFLICT, "device " + r.id() + " already exists");
            }
            return insert(c, r);
        });
        devices.put(r.id(), r);
        return new CreatedDevice(r.toDevice(), r.secret());
    }

    private DeviceRecord newRecord(String id, String productId, String name, String secret, String where) {
        Identifiers.requireObjectId(where + "device id", id);
        if (productId == null || !products.containsKey(productId)) {
            throw ThingportException.notFound("product", productId);
        }
        return new DeviceRecord(id, productId, nameOr(name, id), Secrets.orGenerate(where + "device secret", secret), true,
                Instant.now(), DeviceState.NEVER_ONLINE);
    }

    private static int insert(Connection c, DeviceRecord r) throws SQLException {
        return Storage.update(c, "INSERT INTO device (id, product_id, name, secret, enabled, created_at, online, online_count)"
                + " VALUES (?, ?, ?, ?, ?, ?, FALSE, 0)", r.id(), r.productId(), r.name(), r.secret(), r.enabled(),
                r.createdAt().toEpochMilli());
    }

    @Override
    public List<CreatedDevice> importDevices(String productId, String content, ImportFormat format) {
        getProduct(productId);
        List<DeviceImport.Row> rows = format == ImportFormat.CSV ? DeviceImport.parseCsv(content) : DeviceImport.parseJson(content);
        List<String> errors = new ArrayList<>();
        Map<String, DeviceRecord> records = new LinkedHashMap<>();
        for (DeviceImport.Row row : rows) {
            try {
                DeviceRecord r = newRecord(row.id(), productId, row.name(), row.secret(), "");
                if (records.putIfAbsent(r.id(), r) != null) {
                    errors.add(row.where() + ": device " + r.id() + " appears twice in the file");
                }
            } catch (ThingportException e) {
                errors.add(row.where() + ": " + e.getMessage());
            }
        }
        if (rows.isEmpty()) {
            errors.add("the file contains no devices");
        }
        failIfAny(errors, "no device was imported");
        storage.transaction(c -> {
            List<String> existing = new ArrayList<>();
            for (DeviceRecord r : records.values()) {
                if (!Storage.query(c, "SELECT 1 FROM device WHERE id = ?", rs -> 1, r.id()).isEmpty()) {
                    existing.add("device " + r.id() + " already exists");
                }
            }
            failIfAny(existing, "no device was imported");
            for (DeviceRecord r : records.values()) {
                insert(c, r);
            }
            return null;
        });
        List<CreatedDevice> created = new ArrayList<>();
        for (DeviceRecord r : records.values()) {
            devices.put(r.id(), r);
            created.add(new CreatedDevice(r.toDevice(), r.secret()));
        }
        return created;
    }

    private static void failIfAny(List<String> errors, String outcome) {
        if (errors.isEmpty()) {
            return;
        }
        List<String> shown = errors.subList(0, Math.min(errors.size(), MAX_IMPORT_ERRORS_SHOWN));
        String more = errors.size() > shown.size() ? "\n  ... and " + (errors.size() - shown.size()) + " more" : "";
        throw ThingportException.invalidArgument(errors.size() + " problem(s), " + outcome + ":\n  " + String.join("\n  ", shown) + more);
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
        List<DeviceRecord> rows = productId == null
                ? storage.query("SELECT " + DEVICE_COLUMNS + " FROM device ORDER BY id", Registry::deviceRecord)
                : storage.query("SELECT " + DEVICE_COLUMNS + " FROM device WHERE product_id = ? ORDER BY id", Registry::deviceRecord, productId);
        // The cache holds the freshest state of devices in use (state writes are batched).
        return rows.stream().map(r -> devices.getOrDefault(r.id(), r).toDevice()).toList();
    }

    @Override
    public void deleteDevice(String deviceId) {
        getDevice(deviceId);
        sessions.kick(deviceId, "device deleted");
        storage.transaction(c -> {
            Storage.update(c, "DELETE FROM property_history WHERE device_id = ?", deviceId);
            Storage.update(c, "DELETE FROM device_log WHERE device_id = ?", deviceId);
            return Storage.update(c, "DELETE FROM device WHERE id = ?", deviceId);
        });
        devices.remove(deviceId);
    }

    @Override
    public Device setEnabled(String deviceId, boolean enabled) {
        DeviceRecord r = record(deviceId).orElseThrow(() -> ThingportException.notFound("device", deviceId));
        storage.transaction(c -> Storage.update(c, "UPDATE device SET enabled = ? WHERE id = ?", enabled, deviceId));
        DeviceRecord updated = devices.compute(deviceId, (k, v) -> (v == null ? r : v).withEnabled(enabled));
        if (!enabled) {
            sessions.kick(deviceId, "device disabled");
        }
        return updated.toDevice();
    }

    @Override
    public String rotateSecret(String deviceId) {
        DeviceRecord r = record(deviceId).orElseThrow(() -> ThingportException.notFound("device", deviceId));
        String secret = Secrets.generate();
        storage.transaction(c -> Storage.update(c, "UPDATE device SET secret = ? WHERE id = ?", secret, deviceId));
        devices.compute(deviceId, (k, v) -> (v == null ? r : v).withSecret(secret));
        sessions.kick(deviceId, "device secret rotated");
        return secret;
    }

    /**
     * Dynamic registration: creates the device with a new secret, or returns the secret of a device of the same
     * product that has never connected with it.
     */
    public String register(String productId, String deviceId) {
        Product product = getProduct(productId);
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

    // ------------------------------------------------------------------ state and properties

    /** Marks the device online on this node; persisted through the batched writer. */
    public CompletableFuture<Void> markOnline(String deviceId, long now) {
        DeviceRecord r = devices.computeIfPresent(deviceId, (k, v) -> {
            DeviceState s = v.state();
            return v.withState(new DeviceState(true, s.firstOnline() == null ? Instant.ofEpochMilli(now) : s.firstOnline(),
                    s.onlineCount() + 1, Instant.ofEpochMilli(now), s.lastOffline(), node));
        });
        if (r == null) {
            return CompletableFuture.completedFuture(null);
        }
        DeviceState s = r.state();
        return storage.append("UPDATE device SET online = TRUE, first_online = ?, online_count = ?, last_online = ?, node = ? WHERE id = ?",
                millis(s.firstOnline()), s.onlineCount(), millis(s.lastOnline()), node, deviceId);
    }

    public CompletableFuture<Void> markOffline(String deviceId, long now) {
        DeviceRecord r = devices.computeIfPresent(deviceId, (k, v) -> {
            DeviceState s = v.state();
            return v.withState(new DeviceState(false, s.firstOnline(), s.onlineCount(), s.lastOnline(), Instant.ofEpochMilli(now), node));
        });
        if (r == null) {
            return CompletableFuture.completedFuture(null);
        }
        return storage.append("UPDATE device SET online = FALSE, last_offline = ? WHERE id = ?", now, deviceId);
    }

    /**
     * Stores validated, canonical property values. There is no separate "latest" table to keep in step: the latest
     * value of a property is its newest history row, found through the (device, property, ts) index.
     */
    public CompletableFuture<Void> storeProperties(String deviceId, Map<String, Object> canonical, long timestamp) {
        CompletableFuture<?>[] writes = new CompletableFuture<?>[canonical.size()];
        int i = 0;
        for (Map.Entry<String, Object> e : canonical.entrySet()) {
            writes[i++] = storage.append(INSERT_HISTORY, deviceId, e.getKey(), timestamp, Json.write(e.getValue()));
        }
        return CompletableFuture.allOf(writes);
    }

    @Override
    public Map<String, PropertyValue> latestProperties(String deviceId) {
        DeviceRecord device = record(deviceId).orElseThrow(() -> ThingportException.notFound("device", deviceId));
        Map<String, PropertyValue> out = new LinkedHashMap<>();
        storage.read(c -> {
            // One indexed look-up per property of the thing model, in model order. (Values of properties removed from
            // the model stay in the history: device-props --history shows them.)
            List<String> names = new ArrayList<>();
            findProduct(device.productId()).ifPresent(p -> p.thingModel().properties().forEach(s -> names.add(s.id())));
            for (String name : names) {
                Storage.query(c, "SELECT value_json, ts FROM property_history WHERE device_id = ? AND property = ?"
                        + " ORDER BY ts DESC, seq DESC LIMIT 1", rs -> new PropertyValue(deviceId, name, Json.toJava(rs.getString(1)),
                        rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))), deviceId, name).forEach(v -> out.put(name, v));
            }
            return null;
        });
        return out;
    }

    @Override
    public List<PropertyValue> propertyHistory(String deviceId, String property, int limit) {
        getDevice(deviceId);
        int n = Math.max(1, Math.min(limit, 10_000));
        return storage.query("SELECT value_json, ts FROM property_history WHERE device_id = ? AND property = ?"
                + " ORDER BY ts DESC, seq DESC LIMIT " + n, rs -> new PropertyValue(deviceId, property, Json.toJava(rs.getString(1)),
                rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))), deviceId, property);
    }

    // ------------------------------------------------------------------ authentication look-ups

    /** Credential look-ups for authenticators (blocking: worker threads only). */
    public AuthContext authContext() {
        return new AuthContext() {
            @Override
            public Optional<DeviceCredentials> device(String deviceId) {
                return record(deviceId).map(r -> new DeviceCredentials(r.id(), r.productId(), r.secret(), r.enabled()));
            }

            @Override
            public Optional<ProductCredentials> product(String productId) {
                return findProduct(productId).map(p -> new ProductCredentials(p.id(), p.secret(), p.dynamicRegistration()));
            }

            @Override
            public long now() {
                return System.currentTimeMillis();
            }
        };
    }

    /** Writes a registration to the device log. */
    public CompletableFuture<Void> logRegistered(String productId, String deviceId, String messageId) {
        return log.write(LogType.REGISTERED, deviceId, productId, "register", messageId, "", "", "", "device registered itself");
    }
}
