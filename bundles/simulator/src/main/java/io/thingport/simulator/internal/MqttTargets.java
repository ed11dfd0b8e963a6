package io.thingport.simulator.internal;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.Product;
import io.thingport.api.network.GatewayInfo;
import io.thingport.api.network.NetworkComponentInfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a simulated device of a product connects: the MQTT server component of a running gateway that speaks the
 * official protocol — the product's own gateway when it names one (the platform accepts its devices only there),
 * otherwise the first such gateway by name. Components with TLS are passed over (the devices speak plain MQTT); one
 * bound to every address is reached on the loopback. Pure: decides from the gateways and components given.
 */
final class MqttTargets {
    /** A component to connect to. */
    record Target(String component, InetSocketAddress address) {
    }

    private static final Pattern LISTENING = Pattern.compile("/([^/\\s]+):(\\d{1,5})$");
    private static final String LOOPBACK = "127.0.0.1";

    private MqttTargets() {
    }

    static Target locate(Product product, List<GatewayInfo> gateways, Function<String, Optional<NetworkComponentInfo>> components) {
        List<String> passedOver = new ArrayList<>();
        List<GatewayInfo> candidates = gateways.stream()
                .filter(g -> product.gateway() == null || g.id().equals(product.gateway()))
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .toList();
        for (GatewayInfo g : candidates) {
            if (!"official".equals(g.type())) {
                passedOver.add("gateway " + g.id() + " speaks " + g.protocol() + ", not the official protocol");
                continue;
            }
            if (!g.enabled() || !"running".equals(g.state())) {
                passedOver.add("gateway " + g.id() + " is " + (g.enabled() ? g.state() : "disabled"));
                continue;
            }
            Optional<NetworkComponentInfo> c = components.apply(g.network());
            if (c.isEmpty() || !"mqtt-server".equals(c.get().type())) {
                passedOver.add("gateway " + g.id() + " uses " + c.map(x -> "a " + x.type() + " component").orElse("no component"));
                continue;
            }
            NetworkComponentInfo info = c.get();
            if (info.properties().get("certificate") != null) {
                passedOver.add("component " + info.id() + " needs TLS");
                continue;
            }
            Optional<InetSocketAddress> address = address(info);
            if (!"running".equals(info.state()) || address.isEmpty()) {
                passedOver.add("component " + info.id() + " is " + info.state());
                continue;
            }
            return new Target(info.id(), address.get());
        }
        String where = product.gateway() == null ? "" : " (product " + product.id() + " accepts devices only through gateway "
                + product.gateway() + ")";
        throw new ThingportException(ErrorCode.UNSUPPORTED, "no running mqtt-server network component serves the official protocol"
                + " for product " + product.id() + where + (passedOver.isEmpty() ? "" : ": " + String.join("; ", passedOver))
                + ". Create one: iot:network-create <name> mqtt-server port=1883, then iot:gateway-create <gateway> official <name>");
    }

    /**
     * The address it listens on, from its status ({@code listening on /127.0.0.1:1883}; a wildcard address becomes the
     * loopback), else the loopback and its configured port.
     */
    static Optional<InetSocketAddress> address(NetworkComponentInfo info) {
        String detail = info.detail() == null ? "" : info.detail().trim();
        Matcher m = LISTENING.matcher(detail);
        if (m.find()) {
            String host = m.group(1);
            boolean wildcard = host.equals("0.0.0.0") || host.replace("0", "").replace(":", "").isEmpty();
            return Optional.of(new InetSocketAddress(wildcard ? LOOPBACK : host, Integer.parseInt(m.group(2))));
        }
        String configured = info.properties().get("port");
        if (configured != null && configured.trim().matches("\\d{1,5}") && Integer.parseInt(configured.trim()) > 0) {
            return Optional.of(new InetSocketAddress(LOOPBACK, Integer.parseInt(configured.trim())));
        }
        return Optional.empty();
    }
}
