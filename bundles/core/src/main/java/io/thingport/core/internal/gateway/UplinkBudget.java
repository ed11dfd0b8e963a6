package io.thingport.core.internal.gateway;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The uplinks of all connections together that the platform is decoding, checking or storing, bounded by their number
 * ({@code uplinks.maxInflight}) and by their raw payload bytes ({@code uplinks.maxInflightBytes}). A gateway takes room
 * for an uplink before it decodes it and gives it back when the uplink is done; when there is no room the uplink is
 * refused with {@code UNAVAILABLE} and the transport applies back-pressure. One uplink larger than the byte bound is
 * let in when nothing else is in flight, so that a bound set below the transports' message length cannot block a
 * device for good. The bounds are read at each take, so a configuration change applies at once.
 */
public final class UplinkBudget {
    private final IntSupplier maxCount;
    private final LongSupplier maxBytes;
    /** Both guarded by this object's monitor. */
    private long count;
    private long bytes;
    private final AtomicLong refused = new AtomicLong();

    public UplinkBudget(IntSupplier maxCount, LongSupplier maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /** Takes room for one uplink of {@code size} payload bytes; {@code false} (nothing taken) when there is none. */
    public synchronized boolean tryTake(int size) {
        boolean fits = count < maxCount.getAsInt() && (bytes + size <= maxBytes.getAsLong() || count == 0);
        if (!fits) {
            refused.incrementAndGet();
            return false;
        }
        count++;
        bytes += size;
        return true;
    }

    /** Gives back the room of an uplink taken with {@link #tryTake}. */
    public synchronized void give(int size) {
        count--;
        bytes -= size;
    }

    /** Uplinks in flight now. */
    public synchronized long inflight() {
        return count;
    }

    /** Their payload bytes. */
    public synchronized long inflightBytes() {
        return bytes;
    }

    /** Uplinks refused for want of room since the start. */
    public long refused() {
        return refused.get();
    }

    /** The refusal a transport gets, naming the bound. */
    public String describe() {
        return "the platform is at its bound of uplinks in flight (uplinks.maxInflight = " + maxCount.getAsInt()
                + ", uplinks.maxInflightBytes = " + maxBytes.getAsLong() + "): try again shortly";
    }
}
