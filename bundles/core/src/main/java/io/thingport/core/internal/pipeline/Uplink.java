package io.thingport.core.internal.pipeline;

import io.thingport.api.message.DeviceMessage;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.core.internal.gateway.DeviceSession;

/**
 * One decoded uplink travelling through the {@code uplink} route: the session it came on, the message as decoded, the
 * raw bytes, and — after validation — the message with canonical values ({@code checked}).
 */
public record Uplink(DeviceSession session, DeviceMessage message, EncodedMessage raw, DeviceMessage checked) {
    Uplink checked(DeviceMessage canonical) {
        return new Uplink(session, message, raw, canonical);
    }
}
