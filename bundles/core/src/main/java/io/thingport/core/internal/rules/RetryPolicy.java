package io.thingport.core.internal.rules;

/**
 * How an action retries a row: {@code retries} more attempts after the first, waiting {@code backoffMs} before the first
 * retry and twice as long before each next one, at most {@code maxBackoffMs}.
 */
public record RetryPolicy(int retries, long backoffMs, long maxBackoffMs) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, 500, 30_000);

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed attempts (1 or more). */
    public long delayAfter(int attempt) {
        int doublings = Math.min(attempt - 1, 30);
        long delay = backoffMs << doublings;
        return delay < 0 || delay > maxBackoffMs ? maxBackoffMs : delay;
    }
}
