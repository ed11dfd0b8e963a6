package io.thingport.bridge.onenet;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Legacy push {@code type 7}: the result of a cached command.
 *
 * @param devId the OneNET device id
 * @param cmdId the command id ({@code cmd_id})
 * @param kind {@code cmd_type}: 1 the device acknowledged (ACK), 2 the device confirmed (Confirm)
 * @param at when, milliseconds since the epoch, if given
 */
public record LegacyCommandResult(String devId, String cmdId, Kind kind, OptionalLong at) implements OneNetMessage {
    /** {@code cmd_type}. */
    public enum Kind {
        ACK(1), CONFIRM(2);

        private final int wire;

        Kind(int wire) {
            this.wire = wire;
        }

        public int wire() {
            return wire;
        }
    }

    public LegacyCommandResult {
        Objects.requireNonNull(devId, "devId");
        Objects.requireNonNull(cmdId, "cmdId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }

    @Override
    public String dedupKey() {
        return DedupKeys.of("onenet-legacy", 7, devId, cmdId, kind.wire(), at.isPresent() ? at.getAsLong() : null);
    }
}
