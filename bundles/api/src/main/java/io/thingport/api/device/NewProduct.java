package io.thingport.api.device;

import io.thingport.api.Secrets;
import io.thingport.api.model.ThingModel;

/**
 * What an operator gives to create a product.
 *
 * @param secret  a product secret, or {@code null} to have the platform generate one
 * @param gateway the device access gateway its devices must connect through, or {@code null} for any
 * @param dataFormat how its devices lay out binary data points, or {@code null} for {@link DataFormat#FIXED}
 * @param thingModel its thing model; empty (or {@code null}) gives the standard model of its category, if it has one
 * @param options    category, communication type, power and downlink modes, carrier; {@code null} gives
 *                   {@link ProductOptions#DEFAULTS}
 */
public record NewProduct(String id, String name, String description, String secret, boolean dynamicRegistration,
                         ThingModel thingModel, String gateway, DataFormat dataFormat, ProductOptions options) {
    public NewProduct {
        thingModel = thingModel == null ? ThingModel.EMPTY : thingModel;
        dataFormat = dataFormat == null ? DataFormat.FIXED : dataFormat;
        options = options == null ? ProductOptions.DEFAULTS : options;
    }

    /** With the {@linkplain ProductOptions#DEFAULTS default options}. */
    public NewProduct(String id, String name, String description, String secret, boolean dynamicRegistration,
                      ThingModel thingModel, String gateway, DataFormat dataFormat) {
        this(id, name, description, secret, dynamicRegistration, thingModel, gateway, dataFormat, null);
    }

    public NewProduct(String id, String name, String description, String secret, boolean dynamicRegistration,
                      ThingModel thingModel) {
        this(id, name, description, secret, dynamicRegistration, thingModel, null, null, null);
    }

    /** As the generated one, but the secret masked ({@link Secrets#mask}). */
    @Override
    public String toString() {
        return "NewProduct[id=" + id + ", name=" + name + ", description=" + description + ", secret=" + Secrets.mask(secret)
                + ", dynamicRegistration=" + dynamicRegistration + ", thingModel=" + thingModel + ", gateway=" + gateway
                + ", dataFormat=" + dataFormat + ", options=" + options + "]";
    }
}
