package io.thingport.api.device;

import io.thingport.api.Secrets;
import io.thingport.api.model.ThingModel;
import java.time.Instant;

/**
 * A product: a kind of device, with its thing model and the secret used for dynamic registration.
 *
 * @param secret              the product secret (shown to operators masked, whole only on request; devices that know
 *                            it may register themselves when {@code dynamicRegistration} is on)
 * @param gateway             the device access gateway its devices must connect through, or {@code null} for any
 * @param dataFormat          how its devices lay out binary data points (for binary thing-model codecs)
 * @param options             category, communication type, power and downlink modes, carrier; {@code null} gives
 *                            {@link ProductOptions#DEFAULTS}
 */
public record Product(String id, String name, String description, String secret, boolean dynamicRegistration,
                      ThingModel thingModel, String gateway, DataFormat dataFormat, ProductOptions options, Instant createdAt) {
    public Product {
        dataFormat = dataFormat == null ? DataFormat.FIXED : dataFormat;
        options = options == null ? ProductOptions.DEFAULTS : options;
    }

    /** With the {@linkplain ProductOptions#DEFAULTS default options}. */
    public Product(String id, String name, String description, String secret, boolean dynamicRegistration,
                   ThingModel thingModel, String gateway, DataFormat dataFormat, Instant createdAt) {
        this(id, name, description, secret, dynamicRegistration, thingModel, gateway, dataFormat, null, createdAt);
    }

    /** As the generated one, but the secret masked ({@link Secrets#mask}). */
    @Override
    public String toString() {
        return "Product[id=" + id + ", name=" + name + ", description=" + description + ", secret=" + Secrets.mask(secret)
                + ", dynamicRegistration=" + dynamicRegistration + ", thingModel=" + thingModel + ", gateway=" + gateway
                + ", dataFormat=" + dataFormat + ", options=" + options + ", createdAt=" + createdAt + "]";
    }
}
