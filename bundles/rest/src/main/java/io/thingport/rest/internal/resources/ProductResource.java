package io.thingport.rest.internal.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.access.Role;
import io.thingport.api.device.CommandQueueSettings;
import io.thingport.api.device.CommunicationType;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.DownlinkMode;
import io.thingport.api.device.NewProduct;
import io.thingport.api.device.NodeType;
import io.thingport.api.device.PowerMode;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductOptions;
import io.thingport.api.device.ProductService;
import io.thingport.api.model.ThingModel;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.ETags;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import io.thingport.rest.internal.http.RestJson;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/** Products and their thing models: what {@code iot:product-*} manages. */
@Path("/products")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class ProductResource {
    /** A product as the API shows it: never its secret (shown once at creation). */
    public record ProductView(String id, String name, String description, boolean dynamicRegistration, String gateway,
            String dataFormat, String category, String communication, String power, String downlink, String carrier,
            int queueMaxLength, long queueTtlSeconds, String nodeType, int properties, int functions, int events, Instant createdAt) {
        static ProductView of(Product p) {
            ThingModel m = p.thingModel();
            ProductOptions o = p.options();
            return new ProductView(p.id(), p.name(), p.description(), p.dynamicRegistration(), p.gateway(),
                    p.dataFormat().wireName(), o.category(), o.communication().wireName(), o.power().wireName(),
                    o.downlink().wireName(), o.carrier(), o.queue().maxLength(), o.queue().timeToLive().toSeconds(),
                    o.node().wireName(), m.properties().size(), m.functions().size(), m.events().size(), p.createdAt());
        }
    }

    /**
     * What a new product is made of; {@code thingModel} is a thing-model document (see the export): without one, a
     * product of a category with a standard model starts from it. Options left out take their defaults (category
     * other, wifi, always-on power and downlink, no carrier, a command queue of 16 commands for 86400 s: used only by
     * psm, edrx and drx products; node type device). {@code gateway} is the device access gateway its devices connect
     * through; {@code nodeType} {@code gateway} makes its devices gateways that may have sub-devices.
     */
    public record NewProductBody(String id, String name, String description, String secret, Boolean dynamicRegistration,
            String gateway, String dataFormat, String category, String communication, String power, String downlink,
            String carrier, Integer queueMaxLength, Long queueTtlSeconds, String nodeType, JsonNode thingModel) {
    }

    /** A new product with its secret, shown this once. */
    public record CreatedProduct(ProductView product, String secret) {
    }

    /**
     * Changes to a product's settings: each one left out stays as it is; a gateway of "" means any, a carrier of ""
     * none. The data format and options are checked together (a carrier only for cellular and NB-IoT products, PSM,
     * eDRX and DRX only for low-power ones; a command queue of 1 to 1000 commands kept 1 s to 30 days; node type
     * {@code gateway} not while a device of the product is a sub-device, {@code device} not while one has sub-devices).
     */
    public record ProductSettings(Boolean dynamicRegistration, String gateway, String dataFormat, String category,
            String communication, String power, String downlink, String carrier, Integer queueMaxLength, Long queueTtlSeconds,
            String nodeType) {
        boolean changesOptions() {
            return dataFormat != null || category != null || communication != null || power != null || downlink != null
                    || carrier != null || queueMaxLength != null || queueTtlSeconds != null || nodeType != null;
        }
    }

    private final ProductService products;

    @Context
    private SecurityContext security;

    public ProductResource(ProductService products) {
        this.products = products;
    }

    @GET
    public Page<ProductView> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        Caller caller = CallerPrincipal.of(security);
        return Pages.of(products.listProducts().stream().filter(p -> caller.mayAccessProduct(p.id()))
                .map(ProductView::of).toList(), ProductView::id, cursor, limit);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response create(NewProductBody body) {
        Caller caller = CallerPrincipal.of(security);
        Access.allProducts(caller, "create products");
        if (body == null) {
            throw new FieldException("body", "send the product as a JSON object");
        }
        ThingModel model = body.thingModel() == null || body.thingModel().isNull() ? ThingModel.EMPTY
                : products.parseThingModel(body.thingModel().toString());
        ProductOptions options = new ProductOptions(body.category(), CommunicationType.parse(body.communication()),
                PowerMode.parse(body.power()), DownlinkMode.parse(body.downlink()), body.carrier(),
                new CommandQueueSettings(body.queueMaxLength(), body.queueTtlSeconds() == null ? null
                        : Duration.ofSeconds(body.queueTtlSeconds())), NodeType.parse(body.nodeType()));
        Product p = products.createProduct(new NewProduct(body.id(), body.name(), body.description(), body.secret(),
                Boolean.TRUE.equals(body.dynamicRegistration()), model, emptyToNull(body.gateway()),
                DataFormat.parse(body.dataFormat()), options));
        return Response.created(URI.create("products/" + p.id())).entity(new CreatedProduct(ProductView.of(p), p.secret()))
                .build();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        ProductView view = ProductView.of(Access.product(products, CallerPrincipal.of(security), id));
        return Response.ok(view).tag(ETags.of(view)).build();
    }

    @DELETE
    @Path("/{id}")
    @Allow(Role.OPERATOR)
    public Response delete(@PathParam("id") String id) {
        Access.product(products, CallerPrincipal.of(security), id);
        products.deleteProduct(id);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{id}/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response settings(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, ProductSettings body) {
        Product p = Access.product(products, CallerPrincipal.of(security), id);
        ETags.check(ifMatch, ProductView.of(p));
        if (body == null) {
            throw new FieldException("body", "send the settings as a JSON object");
        }
        if (body.changesOptions()) {
            // parsed and checked before anything changes: a refused option leaves the gateway and registration as well
            ProductOptions o = p.options();
            ProductOptions options = new ProductOptions(body.category() == null ? o.category() : body.category(),
                    body.communication() == null ? o.communication() : CommunicationType.parse(body.communication()),
                    body.power() == null ? o.power() : PowerMode.parse(body.power()),
                    body.downlink() == null ? o.downlink() : DownlinkMode.parse(body.downlink()),
                    body.carrier() == null ? o.carrier() : emptyToNull(body.carrier()),
                    new CommandQueueSettings(body.queueMaxLength() == null ? o.queue().maxLength() : body.queueMaxLength(),
                            body.queueTtlSeconds() == null ? o.queue().timeToLive() : Duration.ofSeconds(body.queueTtlSeconds())),
                    body.nodeType() == null ? o.node() : NodeType.parse(body.nodeType()));
            p = products.updateOptions(id, body.dataFormat() == null ? p.dataFormat() : DataFormat.parse(body.dataFormat()), options);
        }
        if (body.gateway() != null) {
            p = products.setGateway(id, emptyToNull(body.gateway()));
        }
        if (body.dynamicRegistration() != null) {
            p = products.setDynamicRegistration(id, body.dynamicRegistration());
        }
        ProductView view = ProductView.of(p);
        return Response.ok(view).tag(ETags.of(view)).build();
    }

    @GET
    @Path("/{id}/model")
    public Response model(@PathParam("id") String id) throws Exception {
        Access.product(products, CallerPrincipal.of(security), id);
        JsonNode model = RestJson.MAPPER.readTree(products.exportJson(id)).get("thingModel");
        return Response.ok(model).tag(ETags.of(model)).build();
    }

    @PUT
    @Path("/{id}/model")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response updateModel(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, byte[] body)
            throws Exception {
        Access.product(products, CallerPrincipal.of(security), id);
        ETags.check(ifMatch, RestJson.MAPPER.readTree(products.exportJson(id)).get("thingModel"));
        products.updateThingModel(id, products.parseThingModel(Bodies.text(body)));
        return model(id);
    }

    @GET
    @Path("/{id}/export")
    public Response export(@PathParam("id") String id) {
        Access.product(products, CallerPrincipal.of(security), id);
        return Response.ok(products.exportJson(id), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response importProduct(@QueryParam("replace") boolean replace, byte[] body) {
        Caller caller = CallerPrincipal.of(security);
        Access.allProducts(caller, "import products");
        Product p = products.importJson(Bodies.text(body), replace);
        return Response.ok(ProductView.of(p)).build();
    }

    static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
