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
 */
public record Product(String id, String name, String description, String secret, boolean dynamicRegistration,
                      ThingModel thingModel, String gateway, DataFormat dataFormat, Instant createdAt) {
    public Product {
        dataFormat = dataFormat == null ? DataFormat.FIXED : dataFormat;
    }

    /** As the generated one, but the secret masked ({@link Secrets#mask}). */
    @Override
    public String toString() {
        return "Product[id=" + id + ", name=" + name + ", description=" + description + ", secret=" + Secrets.mask(secret)
                + ", dynamicRegistration=" + dynamicRegistration + ", thingModel=" + thingModel + ", gateway=" + gateway
                + ", dataFormat=" + dataFormat + ", createdAt=" + createdAt + "]";
    }
}
