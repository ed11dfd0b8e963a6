package io.thingport.core.internal.access;

import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogQuery;
import io.thingport.api.access.SystemLogService;
import java.util.List;

/**
 * The categories of the system log ({@link SystemEvent#category()}) as the platform writes them, and a system log that
 * keeps nothing, for the parts that run without one (tests).
 */
public final class SystemEvents {
    public static final String COMPONENT = "component";
    public static final String GATEWAY = "gateway";
    public static final String PROTOCOL = "protocol";
    public static final String CONFIG = "config";
    public static final String RULE = "rule";
    public static final String ACCESS = "access";
    public static final String ERROR = "error";

    /** Records nothing, finds nothing. */
    public static final SystemLogService NONE = new SystemLogService() {
        @Override
        public void record(String level, String category, String source, String message) {
            // nothing kept
        }

        @Override
        public List<SystemEvent> query(SystemLogQuery query) {
            return List.of();
        }
    };

    private SystemEvents() {
    }
}
