package io.thingport.simulator.engine;

/**
 * Pacing of a load at a fixed total rate: asked at any moment, says how many sends have become due since it was last
 * asked (rate x elapsed - handed out), so that a caller waking up late catches up instead of drifting. Not
 * thread-safe: one pacing thread asks it. The one pacer of the simulator and the benchmark (bench/).
 */
public final class RatePacer {
    private final double rate;
    private long emitted;

    /** @param rate sends per second, positive */
    public RatePacer(double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a positive number, got " + rate);
        }
        this.rate = rate;
    }

    /**
     * The sends due at {@code elapsedNanos} after the start that were not handed out before; they count as handed out
     * now.
     */
    public long due(long elapsedNanos) {
        long total = (long) (Math.max(0, elapsedNanos) / 1e9 * rate);
        long due = total - emitted;
        if (due <= 0) {
            return 0;
        }
        emitted = total;
        return due;
    }

    /** Sends handed out so far. */
    public long emitted() {
        return emitted;
    }
}
