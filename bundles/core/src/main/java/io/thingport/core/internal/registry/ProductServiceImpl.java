package io.thingport.core.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.api.ErrorCode;
import io.thingport.api.Identifiers;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandQueueSettings;
import io.thingport.api.device.CommunicationType;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.DownlinkMode;
import io.thingport.api.device.NewProduct;
import io.thingport.api.device.NodeType;
import io.thingport.api.device.PowerMode;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductCategory;
import io.thingport.api.device.ProductOptions;
import io.thingport.api.device.ProductService;
import io.thingport.api.model.ThingModel;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.json.ThingModelJson;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.usage.GatewayCatalog;
import io.thingport.core.internal.usage.LazyServices;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Products: the rules of {@link ProductService} over the {@link ProductStore}, and the product look-ups the rest of
 * the platform needs (served from memory).
 */
@Component(service = {ProductServiceImpl.class, ProductService.class})
public final class ProductServiceImpl implements ProductService {
    static final int MAX_DESCRIPTION = 1000;
    private static final List<String> DOCUMENT_KEYS = List.of("id", "name", "description", "dynamicRegistration", "dataFormat",
            "category", "communication", "power", "downlink", "carrier", "queueMaxLength", "queueTtlSeconds", "nodeType", "thingModel");

    private final ProductStore store;
    private final ProductCategories categories = ProductCategories.builtIn();

    /**
     * The configured gateways; absent while the network runtime is not active (then no gateway exists). Bound as
     * {@link ComponentServiceObjects} and looked up when asked: the runtime depends on this service, so creating it
     * while this one is created would be a cycle (see {@link LazyServices}). Package-visible so tests set it.
     */
    volatile GatewayCatalog gateways;

    @Reference(service = GatewayCatalog.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindGatewayCatalog(ComponentServiceObjects<GatewayCatalog> catalog) {
        gateways = name -> LazyServices.call(catalog, c -> c.exists(name));
    }

    void unbindGatewayCatalog(ComponentServiceObjects<GatewayCatalog> catalog) {
        gateways = null;
    }

    @Activate
    public ProductServiceImpl(@Reference Storage storage) {
        this.store = new ProductStore(storage);
    }

    @Override
    public Product createProduct(NewProduct np) {
        Identifiers.requireObjectId("product id", np.id());
        String name = Names.orDefault(np.name(), np.id());
        String description = np.description() == null ? "" : np.description();
        if (description.length() > MAX_DESCRIPTION) {
            throw ThingportException.invalidArgument("description is longer than " + MAX_DESCRIPTION + " characters");
        }
        String secret = SecretRules.orGenerate("product secret", np.secret());
        if (np.gateway() != null) {
            requireGateway(np.gateway());
        }
        ProductOptions options = ProductOptionRules.check(np.options(), categories.ids());
        ThingModel model = np.thingModel();
        if (model.equals(ThingModel.EMPTY)) {
            model = categories.find(options.category()).map(ProductCategory::template).orElse(ThingModel.EMPTY);
        }
        Product p = new Product(np.id(), name, description, secret, np.dynamicRegistration(), model, np.gateway(),
                np.dataFormat(), options, Instant.now());
        store.insert(p);
        return p;
    }

    @Override
    public Optional<Product> findProduct(String productId) {
        return store.find(productId);
    }

    @Override
    public Product getProduct(String productId) {
        return findProduct(productId).orElseThrow(() -> ThingportException.notFound("product", productId));
    }

    @Override
    public List<Product> listProducts() {
        return store.list();
    }

    @Override
    public Product updateThingModel(String productId, ThingModel thingModel) {
        Product old = getProduct(productId);
        Product p = new Product(old.id(), old.name(), old.description(), old.secret(), old.dynamicRegistration(), thingModel,
                old.gateway(), old.dataFormat(), old.options(), old.createdAt());
        store.updateThingModel(p);
        return p;
    }

    @Override
    public Product setDynamicRegistration(String productId, boolean allowed) {
        Product old = getProduct(productId);
        Product p = new Product(old.id(), old.name(), old.description(), old.secret(), allowed, old.thingModel(), old.gateway(),
                old.dataFormat(), old.options(), old.createdAt());
        store.updateDynamicRegistration(p);
        return p;
    }

    @Override
    public Product setGateway(String productId, String gateway) {
        Product old = getProduct(productId);
        String g = gateway == null || gateway.isBlank() ? null : gateway.trim();
        if (g != null) {
            requireGateway(g);
        }
        Product p = new Product(old.id(), old.name(), old.description(), old.secret(), old.dynamicRegistration(), old.thingModel(), g,
                old.dataFormat(), old.options(), old.createdAt());
        store.updateGateway(p);
        return p;
    }

    @Override
    public Product updateOptions(String productId, DataFormat dataFormat, ProductOptions options) {
        Objects.requireNonNull(dataFormat, "dataFormat");
        ProductOptions checked = ProductOptionRules.check(Objects.requireNonNull(options, "options"), categories.ids());
        Product old = getProduct(productId);
        Product p = new Product(old.id(), old.name(), old.description(), old.secret(), old.dynamicRegistration(), old.thingModel(),
                old.gateway(), dataFormat, checked, old.createdAt());
        store.updateOptions(p);
        return p;
    }

    @Override
    public List<ProductCategory> listCategories() {
        return categories.list();
    }

    private void requireGateway(String gateway) {
        GatewayCatalog catalog = gateways;
        if (catalog == null || !catalog.exists(gateway)) {
            throw ThingportException.notFound("gateway", gateway);
        }
    }

    /** The products bound to a gateway. */
    public List<String> productsOfGateway(String gateway) {
        return store.boundTo(gateway);
    }

    @Override
    public void deleteProduct(String productId) {
        getProduct(productId);
        store.delete(productId);
    }

    @Override
    public ThingModel parseThingModel(String json) {
        return ThingModelJson.parse(json);
    }

    @Override
    public String exportJson(String productId) {
        Product p = getProduct(productId);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", p.id());
        root.put("name", p.name());
        root.put("description", p.description());
        root.put("dynamicRegistration", p.dynamicRegistration());
        root.put("dataFormat", p.dataFormat().wireName());
        ProductOptions o = p.options();
        root.put("category", o.category());
        root.put("communication", o.communication().wireName());
        root.put("power", o.power().wireName());
        root.put("downlink", o.downlink().wireName());
        if (o.carrier() != null) {
            root.put("carrier", o.carrier());
        }
        if (!o.queue().equals(CommandQueueSettings.DEFAULTS)) {
            root.put("queueMaxLength", o.queue().maxLength());
            root.put("queueTtlSeconds", o.queue().timeToLive().toSeconds());
        }
        root.put("nodeType", o.node().wireName());
        root.set("thingModel", ThingModelJson.toJson(p.thingModel()));
        return Json.writePretty(root);
    }

    @Override
    public Product importJson(String json, boolean replace) {
        JsonNode root = Json.parse(json, "product document");
        if (!root.isObject()) {
            throw ThingportException.invalidArgument("product document must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!DOCUMENT_KEYS.contains(key)) {
                throw ThingportException.invalidArgument(key + ": is not a known key (expected " + String.join(", ", DOCUMENT_KEYS)
                        + ")");
            }
        }
        if (!root.path("id").isTextual()) {
            throw ThingportException.invalidArgument("id: is required and must be a string");
        }
        String id = root.get("id").asText();
        ThingModel model = root.has("thingModel") ? ThingModelJson.fromJson(root.get("thingModel"), "thingModel") : ThingModel.EMPTY;
        String name = root.path("name").isTextual() ? root.get("name").asText() : null;
        String description = root.path("description").isTextual() ? root.get("description").asText() : null;
        boolean dynamic = root.path("dynamicRegistration").asBoolean(false);
        if (root.has("dataFormat") && !root.get("dataFormat").isTextual()) {
            throw ThingportException.invalidArgument("dataFormat: must be \"fixed\" or \"variable\"");
        }
        DataFormat format = DataFormat.parse(root.path("dataFormat").asText(null));
        ProductOptions options = new ProductOptions(documentText(root, "category"),
                documentOption(root, "communication", CommunicationType::parse), documentOption(root, "power", PowerMode::parse),
                documentOption(root, "downlink", DownlinkMode::parse), documentText(root, "carrier"),
                new CommandQueueSettings(documentInt(root, "queueMaxLength"), Optional.ofNullable(documentInt(root, "queueTtlSeconds"))
                        .map(Duration::ofSeconds).orElse(null)), documentOption(root, "nodeType", NodeType::parse));
        ProductOptionRules.check(options, categories.ids());
        Optional<Product> existing = findProduct(id);
        if (existing.isEmpty()) {
            return createProduct(new NewProduct(id, name, description, null, dynamic, model, null, format, options));
        }
        if (!replace) {
            throw new ThingportException(ErrorCode.CONFLICT, "product " + id + " already exists (use --replace to overwrite its"
                    + " name, description, dynamic registration and thing model)");
        }
        Product old = existing.get();
        Product p = new Product(id, Names.orDefault(name, old.name()), description == null ? old.description() : description,
                old.secret(), dynamic, model, old.gateway(), format, options, old.createdAt());
        store.updateImported(p);
        return p;
    }

    /** A string of the document, or {@code null} when absent; an error naming the key when it is not a string. */
    private static String documentText(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ThingportException.invalidArgument(key + ": must be a string");
        }
        return n.asText();
    }

    /** A whole number of the document, or {@code null} when absent; an error naming the key when it is not one. */
    private static Integer documentInt(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw ThingportException.invalidArgument(key + ": must be a whole number");
        }
        return n.intValue();
    }

    /** An option of the document parsed, or {@code null} when absent; an error naming the key when it is not valid. */
    private static <T> T documentOption(JsonNode root, String key, Function<String, T> parse) {
        String text = documentText(root, key);
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (ThingportException e) {
            throw ThingportException.invalidArgument(key + ": " + e.getMessage());
        }
    }
}
