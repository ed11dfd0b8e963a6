package io.thingport.api.device;

import io.thingport.api.ThingportException;

/**
 * When a product's devices can receive downlink messages (Gizwits NB-IoT 下行模式): always ({@link #ALWAYS_ON}), or
 * only in the windows their sleep cycle leaves open — power saving mode ({@link #PSM}: after each uplink), extended
 * discontinuous reception ({@link #EDRX}) or discontinuous reception ({@link #DRX}): paging windows.
 */
public enum DownlinkMode {
    ALWAYS_ON("always-on"), PSM("psm"), EDRX("edrx"), DRX("drx");

    private final String wireName;

    DownlinkMode(String wireName) {
        this.wireName = wireName;
    }

    /** {@code always-on}, {@code psm}, {@code edrx} or {@code drx}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Whether its devices sleep and cannot be reached at any time (PSM, eDRX, DRX): a command for such a device waits
     * for its next contact instead of failing at once.
     */
    public boolean isSleepy() {
        return this != ALWAYS_ON;
    }

    /** Parses a wire name (any case); {@code null} or blank gives {@link #ALWAYS_ON}. */
    public static DownlinkMode parse(String text) {
        if (text == null || text.isBlank()) {
            return ALWAYS_ON;
        }
        for (DownlinkMode m : values()) {
            if (m.wireName.equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw ThingportException.invalidArgument("downlink mode must be one of always-on, psm, edrx, drx, not '" + text + "'");
    }
}
