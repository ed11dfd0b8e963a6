package io.thingport.api.access;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The access log: every Open API request and every shell command, who made it, from where, with what result. Records
 * are written off the caller's thread in batches, kept for the configured retention, and bounded in number.
 */
@ProviderType
public interface AccessLogService {
    /**
     * Queues a record (its id is ignored). Never blocks: when the queue is full the record is counted as lost and a
     * warning names how many were lost.
     */
    void record(AccessRecord record);

    /** Records matching the query, newest first. Refused with {@code INVALID_ARGUMENT} for a limit out of range. */
    List<AccessRecord> query(AccessQuery query);
}
