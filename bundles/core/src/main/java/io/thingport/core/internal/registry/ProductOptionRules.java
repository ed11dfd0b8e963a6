package io.thingport.core.internal.registry;

import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandQueueSettings;
import io.thingport.api.device.DownlinkMode;
import io.thingport.api.device.NodeType;
import io.thingport.api.device.PowerMode;
import io.thingport.api.device.ProductOptions;
import java.time.Duration;
import java.util.Set;

/**
 * The rules that tie a product's options together, as one pure check:
 * <ul>
 *   <li>{@code category} is a category of the catalogue;</li>
 *   <li>{@code carrier} (at most 64 characters) only for cellular (2G to 5G) and NB-IoT products: the others use no
 *       carrier's network;</li>
 *   <li>a sleepy downlink mode (PSM, eDRX, DRX) only for low-power products: an always-powered device has no reason to
 *       sleep, and a command to it fails fast when it is offline;</li>
 *   <li>PSM and eDRX only for cellular and NB-IoT products: they are modes of the cellular network (3GPP), where DRX is
 *       also what sleepy sub-devices and other low-power links do;</li>
 *   <li>a gateway product's devices connect on their own: not over a sub-device link (BLE, Zigbee, LoRa, RS-485, Mesh),
 *       which would make them sub-devices of another gateway (one level);</li>
 *   <li>the command queue holds 1 to {@link CommandQueueSettings#MAX_LENGTH} commands per device, for 1 second to
 *       {@link CommandQueueSettings#MAX_TTL} (whole seconds).</li>
 * </ul>
 */
final class ProductOptionRules {
    static final int MAX_CARRIER = 64;

    private ProductOptionRules() {
    }

    /** @throws ThingportException {@code INVALID_ARGUMENT} naming the field and the rule broken first */
    static ProductOptions check(ProductOptions o, Set<String> categories) {
        if (!categories.contains(o.category())) {
            throw ThingportException.invalidArgument("category: '" + o.category() + "' is not a category of the catalogue (one of "
                    + String.join(", ", categories) + ")");
        }
        if (o.carrier() != null && !o.communication().isCellular()) {
            throw ThingportException.invalidArgument("carrier: only cellular (2g to 5g) and nb-iot products have a carrier network,"
                    + " not a " + o.communication().wireName() + " product");
        }
        if (o.carrier() != null && o.carrier().length() > MAX_CARRIER) {
            throw ThingportException.invalidArgument("carrier: is longer than " + MAX_CARRIER + " characters");
        }
        DownlinkMode downlink = o.downlink();
        if (downlink.isSleepy() && o.power() != PowerMode.LOW_POWER) {
            throw ThingportException.invalidArgument("downlink: " + downlink.wireName() + " is for low-power products only (power is "
                    + o.power().wireName() + ")");
        }
        if ((downlink == DownlinkMode.PSM || downlink == DownlinkMode.EDRX) && !o.communication().isCellular()) {
            throw ThingportException.invalidArgument("downlink: " + downlink.wireName() + " is a mode of cellular and nb-iot networks,"
                    + " not of " + o.communication().wireName());
        }
        if (o.node() == NodeType.GATEWAY && o.communication().isSubDevice()) {
            throw ThingportException.invalidArgument("nodeType: a gateway product connects on its own, so its communication cannot"
                    + " be " + o.communication().wireName() + " (a link of sub-devices)");
        }
        CommandQueueSettings queue = o.queue();
        if (queue.maxLength() < 1 || queue.maxLength() > CommandQueueSettings.MAX_LENGTH) {
            throw ThingportException.invalidArgument("queueMaxLength: must be between 1 and " + CommandQueueSettings.MAX_LENGTH
                    + " commands, not " + queue.maxLength());
        }
        Duration ttl = queue.timeToLive();
        if (ttl.compareTo(CommandQueueSettings.MIN_TTL) < 0 || ttl.compareTo(CommandQueueSettings.MAX_TTL) > 0
                || ttl.getNano() != 0) {
            throw ThingportException.invalidArgument("queueTtl: must be whole seconds between 1 second and "
                    + CommandQueueSettings.MAX_TTL.toDays() + " days, not " + ttl.getSeconds() + " s");
        }
        return o;
    }
}
