package io.thingport.core.internal.network;

import io.thingport.api.ErrorCode;
import io.thingport.api.Identifiers;
import io.thingport.api.ThingportException;
import io.thingport.api.protocol.Transport;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rules of device access gateways, in one place and with one wording, whether a gateway comes from the shell or
 * from an {@code etc/} file: which keys a gateway has, official versus custom, which network component may be shared,
 * and which protocol fits which transport. Pure functions: they throw {@link ThingportException} or return a reason.
 */
final class GatewayRules {
    /** The only network component type that several gateways may share (a login is offered to each in name order). */
    static final String SHAREABLE_TYPE = "mqtt-server";
    static final String OFFICIAL = "official";
    static final String CUSTOM = "custom";
    static final List<String> TYPES = List.of(CUSTOM, OFFICIAL);
    static final Set<String> KEYS = Set.of("name", "type", "network", "protocol", "enabled", "description");
    static final String OFFICIAL_PROTOCOL = "official";
    static final int MAX_DESCRIPTION = 200;

    private GatewayRules() {
    }

    /** A gateway's configuration, checked. */
    record GatewaySpec(String type, String network, String protocol, boolean enabled, String description) {
    }

    /** Checks a gateway's configuration keys; the message names the gateway, the key and the rule. */
    static GatewaySpec parse(String id, Map<String, String> properties) {
        for (String key : properties.keySet()) {
            if (!KEYS.contains(key)) {
                throw ThingportException.invalidArgument("gateway " + id + ": unknown key '" + key + "' (a gateway knows "
                        + new TreeSet<>(KEYS) + ")");
            }
        }
        String type = value(properties, "type").toLowerCase(Locale.ROOT);
        String network = value(properties, "network");
        String protocol = protocolOf(id, type, value(properties, "protocol"));
        if (network.isEmpty()) {
            throw ThingportException.invalidArgument("gateway " + id + ": network (the network component it uses) is required");
        }
        return new GatewaySpec(type, network, protocol, enabled(id, value(properties, "enabled")),
                description(id, properties.get("description")));
    }

    /** The configuration {@code iot:gateway-create} writes, checked by the same rules as a file. */
    static Map<String, String> newConfiguration(String name, String type, String network, String protocol, String description) {
        Identifiers.requireName("gateway name", name);
        Map<String, String> wanted = new TreeMap<>();
        wanted.put("type", trim(type).toLowerCase(Locale.ROOT));
        wanted.put("network", trim(network));
        wanted.put("protocol", protocolOf(name, wanted.get("type"), trim(protocol)));
        String d = description(name, description);
        if (!d.isEmpty()) {
            wanted.put("description", d);
        }
        parse(name, wanted);
        return wanted;
    }

    /**
     * The configuration after {@code iot:gateway-update} ({@code null} keeps a value; a blank description removes
     * it). The protocol of an official gateway never changes, and no gateway's protocol changes once products
     * reference it: their devices were made for it.
     */
    static Map<String, String> changedConfiguration(String name, Map<String, String> current, String network, String protocol,
                                                    String description, List<String> products) {
        Map<String, String> wanted = new TreeMap<>(current);
        String type = wanted.getOrDefault("type", "");
        String p = trim(protocol);
        if (!p.isEmpty() && !p.equals(wanted.get("protocol"))) {
            if (type.equals(OFFICIAL)) {
                throw ThingportException.invalidArgument("gateway " + name + ": an official gateway always speaks the official protocol");
            }
            if (!products.isEmpty()) {
                throw new ThingportException(ErrorCode.CONFLICT, "gateway " + name + ": its protocol cannot change once a product"
                        + " references it (products: " + String.join(", ", products) + ")");
            }
            wanted.put("protocol", p);
        }
        if (!trim(network).isEmpty()) {
            wanted.put("network", trim(network));
        }
        if (description != null) {
            String d = description(name, description);
            if (d.isEmpty()) {
                wanted.remove("description");
            } else {
                wanted.put("description", d);
            }
        }
        parse(name, wanted);
        return wanted;
    }

    /** A gateway referenced by products cannot be deleted: the products would have nowhere to connect. */
    static void checkDelete(String name, List<String> products) {
        if (!products.isEmpty()) {
            throw new ThingportException(ErrorCode.CONFLICT, "gateway " + name + " is referenced by product(s) "
                    + String.join(", ", products) + ": bind them to another gateway first (iot:product-gateway)");
        }
    }

    /**
     * Why a gateway may not use a network component that {@code otherGateway} uses already, or {@code null} when it
     * may (no other user, or the component is an MQTT server).
     */
    static String sharingConflict(String network, String componentType, String otherGateway) {
        if (otherGateway == null || componentType.equals(SHAREABLE_TYPE)) {
            return null;
        }
        return "network component " + network + " (" + componentType + ") is already used by gateway " + otherGateway
                + "; only an " + SHAREABLE_TYPE + " may be used by several gateways";
    }

    /** Why a protocol cannot serve a transport, or {@code null} when it supports it. */
    static String transportMismatch(String protocolId, Set<Transport> supported, Transport transport, String network) {
        if (supported.contains(transport)) {
            return null;
        }
        return "protocol " + protocolId + " does not support " + transport + ", the transport of network component " + network
                + " (it supports " + supported + ")";
    }

    private static String protocolOf(String id, String type, String protocol) {
        if (!TYPES.contains(type)) {
            throw ThingportException.invalidArgument("gateway " + id + ": unknown type '" + type + "' (types: "
                    + String.join(", ", TYPES) + ")");
        }
        if (type.equals(OFFICIAL)) {
            if (!protocol.isEmpty() && !protocol.equals(OFFICIAL_PROTOCOL)) {
                throw ThingportException.invalidArgument("gateway " + id + ": an official gateway speaks the official protocol, not "
                        + protocol + " (use type custom)");
            }
            return OFFICIAL_PROTOCOL;
        }
        if (protocol.isEmpty()) {
            throw ThingportException.invalidArgument("gateway " + id + ": a custom gateway needs a protocol (see iot:protocol-list)");
        }
        return protocol;
    }

    private static boolean enabled(String id, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "", "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw ThingportException.invalidArgument("gateway " + id + ": enabled '" + value + "' is not true or false");
        };
    }

    private static String description(String id, String description) {
        String d = trim(description);
        if (d.length() > MAX_DESCRIPTION) {
            throw ThingportException.invalidArgument("gateway " + id + ": description is longer than " + MAX_DESCRIPTION + " characters");
        }
        return d;
    }

    private static String value(Map<String, String> properties, String key) {
        return trim(properties.get(key));
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
