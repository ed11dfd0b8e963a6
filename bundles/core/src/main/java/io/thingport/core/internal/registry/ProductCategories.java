package io.thingport.core.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.device.ProductCategory;
import io.thingport.api.model.ThingModel;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.json.ThingModelJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in product catalogue ({@code catalog/product-categories.json}): each category's id, English and Chinese
 * names and, for some, the standard thing model (in the thing model's JSON form) a new product of it starts from.
 */
final class ProductCategories {
    static final String RESOURCE = "catalog/product-categories.json";

    private final Map<String, ProductCategory> categories;

    private ProductCategories(Map<String, ProductCategory> categories) {
        this.categories = categories;
    }

    /** The catalogue shipped with the platform. */
    static ProductCategories builtIn() {
        try (InputStream in = ProductCategories.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    /** Reads a catalogue: a JSON array of {@code {id, name, localName, template?}}. */
    static ProductCategories parse(String json) {
        JsonNode root = Json.parse(json, "product catalogue");
        Map<String, ProductCategory> out = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode n = root.get(i);
            String path = "[" + i + "]";
            ThingModel template = n.has("template") ? ThingModelJson.fromJson(n.get("template"), path + ".template") : ThingModel.EMPTY;
            ProductCategory c = new ProductCategory(n.path("id").asText(), n.path("name").asText(), n.path("localName").asText(), template);
            out.put(c.id(), c);
        }
        return new ProductCategories(out);
    }

    List<ProductCategory> list() {
        return new ArrayList<>(categories.values());
    }

    Set<String> ids() {
        return categories.keySet();
    }

    Optional<ProductCategory> find(String id) {
        return Optional.ofNullable(categories.get(id));
    }
}
