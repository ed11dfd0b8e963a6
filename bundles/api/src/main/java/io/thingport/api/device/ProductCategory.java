package io.thingport.api.device;

import io.thingport.api.model.ThingModel;
import java.util.Objects;

/**
 * A category of the built-in product catalogue (Gizwits 产品分类).
 *
 * @param id        what products name it by, e.g. {@code lighting}
 * @param name      its English name
 * @param localName its Chinese name, as the Gizwits console shows it
 * @param template  the standard thing model a new product of the category starts from when it is given none;
 *                  {@link ThingModel#EMPTY} when the category has none
 */
public record ProductCategory(String id, String name, String localName, ThingModel template) {
    public ProductCategory {
        Objects.requireNonNull(id, "id");
        template = template == null ? ThingModel.EMPTY : template;
    }

    /** Whether the category carries a standard thing model. */
    public boolean hasTemplate() {
        return !template.equals(ThingModel.EMPTY);
    }
}
