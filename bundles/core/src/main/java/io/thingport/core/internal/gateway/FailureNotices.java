package io.thingport.core.internal.gateway;

import java.lang.ref.WeakReference;

/**
 * Which of a gateway's undecodable uplinks get a notice (a log line and a device-log entry): the first failure of a
 * protocol revision at once, then at most one per {@link #INTERVAL_MS}, carrying the count since the last notice. A
 * faulty revision under load fails thousands of messages a second; each is answered (not acknowledged), but only the
 * notices are written. The revision is held weakly: an uninstalled one's class loader is not kept alive for this.
 */
final class FailureNotices {
    static final long INTERVAL_MS = 60_000;

    private WeakReference<Object> revision = new WeakReference<>(null);
    private long notedAt;
    private long since;

    /**
     * A failure of {@code revision} at {@code now} (epoch ms).
     *
     * @return how many failures of it the notice to write now covers (this one included), or 0 when none is due
     */
    synchronized long failed(Object revision, long now) {
        boolean same = this.revision.get() == revision;
        since = same ? since + 1 : 1;
        if (same && now - notedAt < INTERVAL_MS) {
            return 0;
        }
        this.revision = new WeakReference<>(revision);
        notedAt = now;
        long covered = since;
        since = 0;
        return covered;
    }
}
