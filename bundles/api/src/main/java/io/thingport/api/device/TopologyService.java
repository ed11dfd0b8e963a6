package io.thingport.api.device;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Which devices are sub-devices of which gateway device. A sub-device has no connection of its own: its gateway
 * reports, goes online and offline and answers commands for it; everything else (state, properties, log, shadow,
 * commands) is the sub-device's own. A gateway is a device of a product whose {@link ProductOptions#node()} is
 * {@link NodeType#GATEWAY}; a sub-device is bound to one gateway at a time and is not a device of a gateway product
 * itself (one level).
 *
 * <p>Failures are {@link io.thingport.api.ThingportException}s naming the device and the rule: {@code NOT_FOUND} for
 * an unknown device, {@code INVALID_ARGUMENT} for a binding that the rules refuse, {@code CONFLICT} for a sub-device
 * bound to another gateway, {@code TOO_LARGE} past {@link #MAX_CHILDREN}.
 */
@ProviderType
public interface TopologyService {
    /** The most sub-devices one gateway may have. */
    int MAX_CHILDREN = 10_000;

    /** Binds {@code childId} to {@code gatewayId}; binding it again to the same gateway changes nothing. */
    void bind(String gatewayId, String childId);

    /** Unbinds a sub-device from its gateway (if it is online through it, it goes offline). */
    void unbind(String childId);

    /** The gateway a device is bound to, if it is a sub-device. */
    Optional<String> gatewayOf(String deviceId);

    /** The sub-devices of a gateway, by id. */
    List<String> children(String gatewayId);
}
