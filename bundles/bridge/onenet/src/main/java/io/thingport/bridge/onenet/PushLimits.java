package io.thingport.bridge.onenet;

/**
 * Bounds applied to every push before and while it is parsed.
 *
 * @param maxBodyBytes the largest body accepted, in bytes (also applied to a decrypted {@code msg})
 * @param maxDepth the deepest nesting of JSON objects and arrays accepted (the body object itself is depth 1)
 * @param maxBatch the most messages accepted in one batched legacy push ({@code msg} as an array)
 */
public record PushLimits(int maxBodyBytes, int maxDepth, int maxBatch) {
    /** 1 MiB bodies, depth 32, 1000 messages per batch. */
    public static final PushLimits DEFAULT = new PushLimits(1024 * 1024, 32, 1000);

    public PushLimits {
        if (maxBodyBytes < 1 || maxDepth < 2 || maxBatch < 1) {
            throw new IllegalArgumentException("push limits must be positive (maxDepth at least 2)");
        }
    }
}
