package io.thingport.core.internal.registry;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.NodeType;
import io.thingport.api.device.TopologyService;
import io.thingport.core.internal.storage.Storage;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@code sub_device} table and its cache (every binding: the platform looks a sub-device's gateway up for each of
 * its messages). A change runs in one transaction that checks the rules against the database and reaches the cache
 * after it committed.
 */
public final class TopologyStore {
    private final Storage storage;
    private final ConcurrentMap<String, String> gatewayOf = new ConcurrentHashMap<>();

    TopologyStore(Storage storage) {
        this.storage = storage;
        storage.query("SELECT device_id, gateway_id FROM sub_device", rs -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> gatewayOf.put(e.getKey(), e.getValue()));
    }

    public Optional<String> gatewayOf(String deviceId) {
        return Optional.ofNullable(gatewayOf.get(deviceId));
    }

    /** The sub-devices of a gateway, by id (from the database: it is the truth for lists). */
    public List<String> children(String gatewayId) {
        return storage.query("SELECT device_id FROM sub_device WHERE gateway_id = ? ORDER BY device_id", rs -> rs.getString(1),
                gatewayId);
    }

    /**
     * Binds a sub-device, checking in the transaction: both exist, the gateway is a device of a gateway product and the
     * child is not, neither is the other's kind already (a gateway is not a sub-device, a sub-device has no sub-devices),
     * the child is not bound elsewhere, the gateway has room.
     *
     * @return whether a new binding was made ({@code false}: it was bound to that gateway already)
     */
    public boolean bind(String gatewayId, String childId, long now) {
        boolean added = storage.transaction(c -> {
            Map.Entry<String, NodeType> gateway = node(c, gatewayId);
            Map.Entry<String, NodeType> child = node(c, childId);
            if (gatewayId.equals(childId)) {
                throw ThingportException.invalidArgument("device " + childId + " cannot be its own gateway");
            }
            if (gateway.getValue() != NodeType.GATEWAY) {
                throw ThingportException.invalidArgument("device " + gatewayId + " cannot have sub-devices: its product "
                        + gateway.getKey() + " is not a gateway product (set its node type to gateway)");
            }
            if (child.getValue() == NodeType.GATEWAY) {
                throw ThingportException.invalidArgument("device " + childId + " is a gateway (of gateway product " + child.getKey()
                        + "), so it cannot be a sub-device");
            }
            Optional<String> current = gateway(c, childId);
            if (current.isPresent()) {
                if (current.get().equals(gatewayId)) {
                    return false;
                }
                throw new ThingportException(ErrorCode.CONFLICT, "device " + childId + " is a sub-device of gateway " + current.get()
                        + " already: unbind it first");
            }
            if (gateway(c, gatewayId).isPresent()) {
                throw ThingportException.invalidArgument("device " + gatewayId + " is a sub-device itself, so it cannot be a gateway");
            }
            if (!Storage.query(c, "SELECT 1 FROM sub_device WHERE gateway_id = ?", rs -> 1, childId).isEmpty()) {
                throw ThingportException.invalidArgument("device " + childId + " is a gateway with sub-devices, so it cannot be one");
            }
            long count = Storage.query(c, "SELECT COUNT(*) FROM sub_device WHERE gateway_id = ?", rs -> rs.getLong(1), gatewayId).get(0);
            if (count >= TopologyService.MAX_CHILDREN) {
                throw new ThingportException(ErrorCode.TOO_LARGE, "gateway " + gatewayId + " has " + TopologyService.MAX_CHILDREN
                        + " sub-devices, the most allowed");
            }
            Storage.update(c, "INSERT INTO sub_device (device_id, gateway_id, bound_at) VALUES (?, ?, ?)", childId, gatewayId, now);
            return true;
        });
        gatewayOf.put(childId, gatewayId);
        return added;
    }

    /** Unbinds a sub-device; returns its former gateway. */
    public String unbind(String childId) {
        String gateway = storage.transaction(c -> {
            requireDevice(c, childId);
            String g = gateway(c, childId).orElseThrow(() -> new ThingportException(ErrorCode.NOT_FOUND, "device " + childId
                    + " is not a sub-device of any gateway"));
            Storage.update(c, "DELETE FROM sub_device WHERE device_id = ?", childId);
            return g;
        });
        gatewayOf.remove(childId, gateway);
        return gateway;
    }

    /** In the transaction that deletes a device: its rows as a sub-device and as a gateway. */
    static void deleteAll(Connection c, String deviceId) throws SQLException {
        Storage.update(c, "DELETE FROM sub_device WHERE device_id = ? OR gateway_id = ?", deviceId, deviceId);
    }

    /** After a device was deleted: forget its bindings. */
    void forget(String deviceId) {
        gatewayOf.remove(deviceId);
        gatewayOf.values().removeIf(deviceId::equals);
    }

    private static Optional<String> gateway(Connection c, String childId) throws SQLException {
        return Storage.query(c, "SELECT gateway_id FROM sub_device WHERE device_id = ?", rs -> rs.getString(1), childId).stream()
                .findFirst();
    }

    /** A device's product and that product's node type. */
    private static Map.Entry<String, NodeType> node(Connection c, String deviceId) throws SQLException {
        return Storage.query(c, "SELECT p.id, p.node_type FROM device d JOIN product p ON p.id = d.product_id WHERE d.id = ?",
                rs -> Map.entry(rs.getString(1), NodeType.parse(rs.getString(2))), deviceId).stream().findFirst()
                .orElseThrow(() -> ThingportException.notFound("device", deviceId));
    }

    private static void requireDevice(Connection c, String deviceId) throws SQLException {
        if (Storage.query(c, "SELECT 1 FROM device WHERE id = ?", rs -> 1, deviceId).isEmpty()) {
            throw ThingportException.notFound("device", deviceId);
        }
    }
}
