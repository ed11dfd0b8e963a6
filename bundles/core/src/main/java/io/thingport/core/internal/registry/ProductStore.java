package io.thingport.core.internal.registry;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandQueueSettings;
import io.thingport.api.device.CommunicationType;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.DownlinkMode;
import io.thingport.api.device.NodeType;
import io.thingport.api.device.PowerMode;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductOptions;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.json.ThingModelJson;
import io.thingport.core.internal.storage.Storage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@code product} table and its cache. Every product is cached (there are few, and every uplink needs its thing
 * model). Each change runs in one transaction of the storage writer and reaches the cache only after it committed, so
 * a failed change leaves nothing behind. The checks that need the database (does the id exist, are there devices) run
 * inside that transaction; the other rules are the caller's.
 */
final class ProductStore {
    private final Storage storage;
    private final ConcurrentMap<String, Product> products = new ConcurrentHashMap<>();

    ProductStore(Storage storage) {
        this.storage = storage;
        storage.query("SELECT id, name, description, secret, dynamic_registration, thing_model, created_at, gateway, data_format,"
                + " category, communication, power_mode, downlink_mode, carrier, queue_max_length, queue_ttl_seconds, node_type"
                + " FROM product",
                ProductStore::product)
                .forEach(p -> products.put(p.id(), p));
    }

    private static Product product(ResultSet rs) throws SQLException {
        return new Product(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                ThingModelJson.parse(rs.getString(6)), rs.getString(8), DataFormat.parse(rs.getString(9)),
                new ProductOptions(rs.getString(10), CommunicationType.parse(rs.getString(11)), PowerMode.parse(rs.getString(12)),
                        DownlinkMode.parse(rs.getString(13)), rs.getString(14),
                        new CommandQueueSettings(rs.getInt(15), Duration.ofSeconds(rs.getLong(16))), NodeType.parse(rs.getString(17))),
                Instant.ofEpochMilli(rs.getLong(7)));
    }

    Optional<Product> find(String productId) {
        return Optional.ofNullable(products.get(productId));
    }

    /** Every product, by id. */
    List<Product> list() {
        List<Product> list = new ArrayList<>(products.values());
        list.sort(Comparator.comparing(Product::id));
        return list;
    }

    /** The ids of the products bound to a gateway, sorted. */
    List<String> boundTo(String gateway) {
        return products.values().stream().filter(p -> gateway.equals(p.gateway())).map(Product::id).sorted().toList();
    }

    /** Stores a new product; {@code CONFLICT} when one with its id exists. */
    void insert(Product p) {
        storage.transaction(c -> {
            if (!Storage.query(c, "SELECT 1 FROM product WHERE id = ?", rs -> 1, p.id()).isEmpty()) {
                throw new ThingportException(ErrorCode.CONFLICT, "product " + p.id() + " already exists");
            }
            ProductOptions o = p.options();
            return Storage.update(c, "INSERT INTO product (id, name, description, secret, dynamic_registration, thing_model,"
                    + " created_at, gateway, data_format, category, communication, power_mode, downlink_mode, carrier,"
                    + " queue_max_length, queue_ttl_seconds, node_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    p.id(), p.name(), p.description(), p.secret(), p.dynamicRegistration(), modelJson(p), p.createdAt().toEpochMilli(),
                    p.gateway(), p.dataFormat().wireName(), o.category(), o.communication().wireName(), o.power().wireName(),
                    o.downlink().wireName(), o.carrier(), o.queue().maxLength(), o.queue().timeToLive().toSeconds(),
                    o.node().wireName());
        });
        products.put(p.id(), p);
    }

    /** Stores a product's new thing model. */
    void updateThingModel(Product p) {
        storage.transaction(c -> Storage.update(c, "UPDATE product SET thing_model = ? WHERE id = ?", modelJson(p), p.id()));
        products.put(p.id(), p);
    }

    /** Stores whether a product allows dynamic registration. */
    void updateDynamicRegistration(Product p) {
        storage.transaction(c -> Storage.update(c, "UPDATE product SET dynamic_registration = ? WHERE id = ?",
                p.dynamicRegistration(), p.id()));
        products.put(p.id(), p);
    }

    /** Stores a product's gateway binding. */
    void updateGateway(Product p) {
        storage.transaction(c -> Storage.update(c, "UPDATE product SET gateway = ? WHERE id = ?", p.gateway(), p.id()));
        products.put(p.id(), p);
    }

    /**
     * Stores what an import replaces: name, description, dynamic registration, thing model, data format and options
     * ({@code CONFLICT} for a node type that its devices' sub-device bindings contradict).
     */
    void updateImported(Product p) {
        ProductOptions o = p.options();
        storage.transaction(c -> {
            checkNodeType(c, p.id(), o.node());
            return Storage.update(c, "UPDATE product SET name = ?, description = ?, dynamic_registration = ?, thing_model = ?,"
                    + " data_format = ?, category = ?, communication = ?, power_mode = ?, downlink_mode = ?, carrier = ?,"
                    + " queue_max_length = ?, queue_ttl_seconds = ?, node_type = ? WHERE id = ?", p.name(), p.description(),
                    p.dynamicRegistration(), modelJson(p), p.dataFormat().wireName(), o.category(), o.communication().wireName(),
                    o.power().wireName(), o.downlink().wireName(), o.carrier(), o.queue().maxLength(),
                    o.queue().timeToLive().toSeconds(), o.node().wireName(), p.id());
        });
        products.put(p.id(), p);
    }

    /**
     * Stores a product's data format and options ({@code CONFLICT} for a node type that its devices' sub-device bindings
     * contradict).
     */
    void updateOptions(Product p) {
        ProductOptions o = p.options();
        storage.transaction(c -> {
            checkNodeType(c, p.id(), o.node());
            return Storage.update(c, "UPDATE product SET data_format = ?, category = ?, communication = ?, power_mode = ?,"
                    + " downlink_mode = ?, carrier = ?, queue_max_length = ?, queue_ttl_seconds = ?, node_type = ? WHERE id = ?",
                    p.dataFormat().wireName(), o.category(), o.communication().wireName(), o.power().wireName(),
                    o.downlink().wireName(), o.carrier(), o.queue().maxLength(), o.queue().timeToLive().toSeconds(),
                    o.node().wireName(), p.id());
        });
        products.put(p.id(), p);
    }

    /**
     * A product stays a gateway product while its devices have sub-devices, and becomes one only when none of its
     * devices is a sub-device: the bindings never contradict the node type.
     */
    private static void checkNodeType(Connection c, String productId, NodeType node) throws SQLException {
        String side = node == NodeType.GATEWAY ? "device_id" : "gateway_id";
        long bound = Storage.query(c, "SELECT COUNT(*) FROM sub_device s JOIN device d ON d.id = s." + side
                + " WHERE d.product_id = ?", rs -> rs.getLong(1), productId).get(0);
        if (bound > 0) {
            throw new ThingportException(ErrorCode.CONFLICT, node == NodeType.GATEWAY
                    ? "product " + productId + " cannot be a gateway product: " + bound + " of its devices are sub-devices (unbind them"
                            + " first)"
                    : "product " + productId + " must stay a gateway product: its devices have " + bound + " sub-devices (unbind"
                            + " them first)");
        }
    }

    /** Deletes a product; {@code CONFLICT} while it has devices. */
    void delete(String productId) {
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

    private static String modelJson(Product p) {
        return Json.write(ThingModelJson.toJson(p.thingModel()));
    }
}
