package io.thingport.api.device;

import io.thingport.api.model.ThingModel;

/**
 * What an operator gives to create a product.
 *
 * @param secret a product secret, or {@code null} to have the platform generate one
 */
public record NewProduct(String id, String name, String description, String secret, boolean dynamicRegistration,
                         ThingModel thingModel) {
    public NewProduct {
        thingModel = thingModel == null ? ThingModel.EMPTY : thingModel;
    }
}
