package io.thingport.protocol.gizwits;

import io.thingport.api.model.Access;
import io.thingport.api.model.PropertySpec;

/**
 * The Gizwits read-write kind of a data point (读写类型), derived from a property's access and kind: 可写 writable
 * status, 只读 read-only status, 报警 alert and 故障 fault.
 */
public enum DataPointKind {
    STATUS_WRITABLE("status_writable"),
    STATUS_READONLY("status_readonly"),
    ALERT("alert"),
    FAULT("fault");

    private final String wireName;

    DataPointKind(String wireName) {
        this.wireName = wireName;
    }

    /** The Gizwits name, e.g. {@code status_writable}. */
    public String wireName() {
        return wireName;
    }

    /** The kind of {@code property}: ALARM gives alert, FAULT fault, else writable or read-only status by access. */
    public static DataPointKind of(PropertySpec property) {
        switch (property.kind()) {
            case ALARM:
                return ALERT;
            case FAULT:
                return FAULT;
            default:
                return property.access() == Access.READ_WRITE ? STATUS_WRITABLE : STATUS_READONLY;
        }
    }
}
