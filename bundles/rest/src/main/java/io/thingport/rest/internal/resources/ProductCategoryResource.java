package io.thingport.rest.internal.resources;

import io.thingport.api.access.Role;
import io.thingport.api.device.ProductCategory;
import io.thingport.api.device.ProductService;
import io.thingport.api.model.PropertySpec;
import io.thingport.rest.internal.auth.Allow;
import java.util.List;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/** The built-in product catalogue: what {@code iot:category-list} shows. */
@Path("/product-categories")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class ProductCategoryResource {
    /**
     * A category: {@code localName} is its Chinese name; {@code templateProperties} the properties of its standard
     * thing model (empty when it has none), which a product created with the category and no model starts from.
     */
    public record CategoryView(String id, String name, String localName, List<String> templateProperties) {
        static CategoryView of(ProductCategory c) {
            return new CategoryView(c.id(), c.name(), c.localName(), c.template().properties().stream().map(PropertySpec::id).toList());
        }
    }

    private final ProductService products;

    public ProductCategoryResource(ProductService products) {
        this.products = products;
    }

    @GET
    public List<CategoryView> list() {
        return products.listCategories().stream().map(CategoryView::of).toList();
    }
}
