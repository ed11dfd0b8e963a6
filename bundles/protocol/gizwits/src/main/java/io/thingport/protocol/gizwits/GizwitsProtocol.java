package io.thingport.protocol.gizwits;

import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSample;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.ThingModelCodec;
import io.thingport.api.protocol.Transport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/** Registers the Gizwits binary data-point protocol (id {@code gizwits}) over MQTT. */
@Component(service = ProtocolSupport.class, property = "protocol.id=" + GizwitsProtocol.ID)
public final class GizwitsProtocol implements ProtocolSupport {
    public static final String ID = "gizwits";

    private final GizwitsBinaryCodec binary = new GizwitsBinaryCodec();
    private final GizwitsMqttCodec mqtt = new GizwitsMqttCodec(binary);
    private final GizwitsAuthenticator authenticator = new GizwitsAuthenticator();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Gizwits binary data points";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public String description() {
        return "Gizwits-style binary data points (fixed or variable length, laid out from the product's thing model) over MQTT"
                + " topics dev2app/{deviceId} and app2dev/{deviceId}/{messageId}; client id = device id, user name = product id,"
                + " password = device secret";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.MQTT);
    }

    @Override
    public DeviceCodec codec(Transport transport) {
        requireSupported(transport);
        return mqtt;
    }

    @Override
    public Authenticator authenticator(Transport transport) {
        requireSupported(transport);
        return authenticator;
    }

    @Override
    public Optional<ThingModelCodec> thingModelCodec() {
        return Optional.of(binary);
    }

    /** A transparent uplink: it decodes without a product, as the package check requires. */
    @Override
    public List<ProtocolSample> samples() {
        return List.of(new ProtocolSample(Transport.MQTT, "sample-product", "sample-device",
                new EncodedMessage(GizwitsMqttCodec.UPLINK_PREFIX + "sample-device", new byte[] {0x06, 0x01, 0x02}, Map.of())));
    }

    @Override
    public String documentation() {
        return DOCUMENTATION;
    }

    private void requireSupported(Transport transport) {
        if (transport != Transport.MQTT) {
            throw new IllegalArgumentException("the gizwits protocol does not support " + transport + " (supported: [MQTT])");
        }
    }

    private static final String DOCUMENTATION = String.join("\n",
            "# Gizwits binary data points (protocol `gizwits`)",
            "",
            "Devices send and receive their thing-model properties as compact binary *data points* in the style of Gizwits"
                    + " (机智云). The layout follows the product's thing model: property order is data point order. Generate"
                    + " the per-product documents (byte offsets, a worked example and a C header) with",
            "`iot:protocol-doc --product <productId> --output <dir> gizwits`.",
            "",
            "## Connection (MQTT only)",
            "",
            "| CONNECT field | value |",
            "|---|---|",
            "| client id | the device id |",
            "| user name | the product id |",
            "| password | the device secret |",
            "",
            "## Topics",
            "",
            "| topic | direction | payload |",
            "|---|---|---|",
            "| `dev2app/{deviceId}` | device to platform | 0x04 / 0x14 report, 0x06 transparent data |",
            "| `app2dev/{deviceId}/{messageId}` | platform to device | 0x01 / 0x11 write, 0x02 / 0x12 read, 0x05 transparent data |",
            "| `dev2app/{deviceId}/{messageId}` | device to platform | the answer to downlink `messageId`: 0x03 / 0x13 read ack"
                    + " answers a read, 0x04 / 0x14 report (the state after the write) answers a write |",
            "",
            "A device subscribes to `app2dev/{deviceId}/+` (or `/#`); it may not subscribe elsewhere nor publish to another"
                    + " device's topics.",
            "",
            "## Data points",
            "",
            "| thing model | Gizwits type | width |",
            "|---|---|---|",
            "| bool | bool | 1 bit |",
            "| enum of n values | enum | ceil(log2 n) bits (at least 1); the raw value is the value's index in declared order |",
            "| int, long, float, double with min and max | uint8 / uint16 / uint32 | the smallest that holds (max - min) / ratio |",
            "| binary with maxLength | binary (扩展) | maxLength bytes, zero-padded |",
            "",
            "Numbers travel as unsigned big-endian raw x with y = x * ratio + addition, where ratio is the property's step"
                    + " (default 1) and addition its minimum. Example: range -30..50, ratio 0.1: 23.5 travels as 535 = `02 17`.",
            "Kinds: writable properties are status_writable, read-only ones status_readonly; an alarm property is an alert,"
                    + " a fault property a fault (both must be read-only bools). Strings, dates, arrays, objects and numbers"
                    + " without min/max cannot be data points.",
            "",
            "A bit area is a big-endian integer of ceil(bits / 8) bytes: bit 0 is the least significant bit of its last"
                    + " byte, and its first data point takes the lowest bits.",
            "",
            "## Actions (first byte of the payload)",
            "",
            "Fixed length (定长, product data format `fixed`):",
            "",
            "| action | direction | content after the action byte |",
            "|---|---|---|",
            "| 0x01 control | down | attr_flags (one bit per writable point), writable bits, writable values |",
            "| 0x02 read | down | nothing |",
            "| 0x03 read ack | up | writable bits, writable values, read-only bits, read-only values, alert bits, fault bits |",
            "| 0x04 report | up | the same as 0x03 |",
            "| 0x05 transparent | down | any bytes |",
            "| 0x06 transparent | up | any bytes |",
            "",
            "Variable length (变长, product data format `variable`):",
            "",
            "| action | direction | content after the action byte |",
            "|---|---|---|",
            "| 0x11 write | down | flags (one bit per data point), the flagged bool/enum bits packed in point order, the"
                    + " flagged values in point order |",
            "| 0x12 read | down | flags of the points to read |",
            "| 0x13 read ack | up | flags, packed bits, values (as 0x11) |",
            "| 0x14 report | up | flags, packed bits, values (as 0x11) |",
            "",
            "The platform accepts both formats from any device; it sends downlinks in the product's format. A frame of the"
                    + " wrong length, an enum index or raw number out of range, or a flag or unused bit set is refused.",
            "");
}
