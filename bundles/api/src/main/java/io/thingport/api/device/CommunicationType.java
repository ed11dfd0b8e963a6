package io.thingport.api.device;

import io.thingport.api.ThingportException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a product's devices reach the network (Gizwits 通讯方式): directly over Wi-Fi, a cellular network (2G to 5G),
 * NB-IoT or Ethernet, or as a sub-device of a gateway over a local link (BLE, Zigbee, LoRa, RS-485, Mesh).
 */
public enum CommunicationType {
    WIFI("wifi"), CELLULAR_2G("2g"), CELLULAR_3G("3g"), CELLULAR_4G("4g"), CELLULAR_5G("5g"), NB_IOT("nb-iot"),
    ETHERNET("ethernet"), BLE("ble"), ZIGBEE("zigbee"), LORA("lora"), RS485("rs485"), MESH("mesh");

    private final String wireName;

    CommunicationType(String wireName) {
        this.wireName = wireName;
    }

    /** {@code wifi}, {@code 2g} to {@code 5g}, {@code nb-iot}, {@code ethernet}, {@code ble}, {@code zigbee}, {@code lora}, ... */
    public String wireName() {
        return wireName;
    }

    /** Whether its devices use a carrier's network: 2G to 5G and NB-IoT (only these have a carrier). */
    public boolean isCellular() {
        return this == CELLULAR_2G || this == CELLULAR_3G || this == CELLULAR_4G || this == CELLULAR_5G || this == NB_IOT;
    }

    /** Whether its devices reach the platform through a gateway over a local link (BLE, Zigbee, LoRa, RS-485, Mesh). */
    public boolean isSubDevice() {
        return this == BLE || this == ZIGBEE || this == LORA || this == RS485 || this == MESH;
    }

    /** Parses a wire name (any case); {@code null} or blank gives {@link #WIFI}. */
    public static CommunicationType parse(String text) {
        if (text == null || text.isBlank()) {
            return WIFI;
        }
        for (CommunicationType t : values()) {
            if (t.wireName.equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw ThingportException.invalidArgument("communication must be one of " + wireNames() + ", not '" + text + "'");
    }

    /** The wire names, comma separated, for messages and help texts. */
    public static String wireNames() {
        return Arrays.stream(values()).map(CommunicationType::wireName).collect(Collectors.joining(", "));
    }
}
