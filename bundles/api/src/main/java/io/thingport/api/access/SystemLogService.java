package io.thingport.api.access;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The system log: what the platform did or met, written off the caller's thread, kept for the configured retention
 * and bounded in number.
 */
@ProviderType
public interface SystemLogService {
    /** Queues an event. Never blocks; a full queue counts the event as lost and says so in the Karaf log. */
    void record(String level, String category, String source, String message);

    /** Events matching the query, newest first. Refused with {@code INVALID_ARGUMENT} for a limit out of range. */
    List<SystemEvent> query(SystemLogQuery query);
}
