package io.thingport.api.device;

import io.thingport.api.model.ThingModel;

/**
 * What an operator gives to create a product.
 *
 * @param secret  a product secret, or {@code null} to have the platform generate one
 * @param gateway the device access gateway its devices must connect through, or {@code null} for any
 */
public record NewProduct(String id, String name, String description, String secret, boolean dynamicRegistration,
                         ThingModel thingModel, String gateway) {
    public NewProduct {
        thingModel = thingModel == null ? ThingModel.EMPTY : thingModel;
    }

    public NewProduct(String id, String name, String description, String secret, boolean dynamicRegistration,
                      ThingModel thingModel) {
        this(id, name, description, secret, dynamicRegistration, thingModel, null);
    }
}
