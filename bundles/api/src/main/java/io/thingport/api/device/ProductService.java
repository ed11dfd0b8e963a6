package io.thingport.api.device;

import io.thingport.api.model.ThingModel;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Products and their thing models. Every method validates its input whole and either applies all of it or nothing;
 * failures are {@link io.thingport.api.ThingportException}s whose message names the field and the rule.
 */
@ProviderType
public interface ProductService {
    Product createProduct(NewProduct product);

    Optional<Product> findProduct(String productId);

    /** @throws io.thingport.api.ThingportException {@code NOT_FOUND} */
    Product getProduct(String productId);

    List<Product> listProducts();

    /** Replaces the thing model. Values already stored are kept as they are. */
    Product updateThingModel(String productId, ThingModel thingModel);

    Product setDynamicRegistration(String productId, boolean allowed);

    /**
     * Binds the product to a device access gateway ({@code null}: devices may connect through any gateway).
     *
     * @throws io.thingport.api.ThingportException {@code NOT_FOUND} when the gateway does not exist
     */
    Product setGateway(String productId, String gateway);

    /**
     * Replaces the product's data format and options (category, communication type, power and downlink modes,
     * carrier), checked together: a carrier only for cellular and NB-IoT products, a sleepy downlink mode (PSM,
     * eDRX, DRX) only for low-power products, PSM and eDRX only for cellular and NB-IoT ones. The thing model is kept.
     *
     * @throws io.thingport.api.ThingportException {@code INVALID_ARGUMENT} naming the field and the rule
     */
    Product updateOptions(String productId, DataFormat dataFormat, ProductOptions options);

    /** The built-in product categories, in catalogue order. */
    List<ProductCategory> listCategories();

    /** @throws io.thingport.api.ThingportException {@code CONFLICT} while the product still has devices */
    void deleteProduct(String productId);

    /**
     * Reads a thing model in its JSON form (see the README); the error names the JSON path and the rule.
     */
    ThingModel parseThingModel(String json);

    /** The product (without its secret) and its thing model as a JSON document that {@link #importJson} reads. */
    String exportJson(String productId);

    /**
     * Creates a product from an exported JSON document, or with {@code replace} replaces the name, description and
     * thing model of the existing product with that id.
     */
    Product importJson(String json, boolean replace);
}
