package io.thingport.api.device;

import java.time.Duration;

/**
 * How a sleepy product ({@link DownlinkMode#isSleepy()}) queues the commands sent to a device that is not connected:
 * at most {@code maxLength} commands wait per device (one more is refused with {@code CONFLICT}), and a command still
 * waiting {@code timeToLive} after it was queued expires. Always-on products ignore it: their commands fail fast.
 * The bounds ({@link #MAX_LENGTH}, {@link #MIN_TTL}, {@link #MAX_TTL}) are checked by the {@link ProductService}.
 *
 * @param maxLength  the most commands waiting per device; {@code null} gives {@link #DEFAULT_LENGTH}
 * @param timeToLive how long a command may wait; {@code null} gives {@link #DEFAULT_TTL}
 */
public record CommandQueueSettings(Integer maxLength, Duration timeToLive) {
    public static final int DEFAULT_LENGTH = 16;
    public static final int MAX_LENGTH = 1000;
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final Duration MIN_TTL = Duration.ofSeconds(1);
    public static final Duration MAX_TTL = Duration.ofDays(30);
    /** 16 commands, 24 hours. */
    public static final CommandQueueSettings DEFAULTS = new CommandQueueSettings(null, null);

    public CommandQueueSettings {
        maxLength = maxLength == null ? DEFAULT_LENGTH : maxLength;
        timeToLive = timeToLive == null ? DEFAULT_TTL : timeToLive;
    }
}
