package io.thingport.shell.product;

import io.thingport.api.device.DataFormat;
import io.thingport.api.device.NewProduct;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.api.model.ThingModel;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "product-create", description = "Creates a product, optionally with a thing model from a JSON file")
@Service
public class ProductCreateCommand extends IotCommand {
    @Reference
    ProductService products;

    @Argument(index = 0, name = "id", description = "Product id (letters, digits, _ . : -)", required = true)
    String id;

    @Option(name = "--name", description = "Display name (no spaces in batch mode; default: the id)")
    String name;

    @Option(name = "--description", description = "Description")
    String description;

    @Option(name = "--secret", description = "Product secret (default: generated)")
    String secret;

    @Option(name = "--dynamic-registration", description = "Let devices that know the product secret register themselves")
    boolean dynamicRegistration;

    @Option(name = "--model", description = "Thing model JSON file")
    String modelFile;

    @Option(name = "--gateway", description = "Device access gateway its devices must connect through (default: any)")
    String gateway;

    @Option(name = "--data-format", description = "How devices lay out binary data points: fixed (every point in every"
            + " frame, the default) or variable (flags, then only the flagged points)")
    String dataFormat;

    @Override
    protected Object run() {
        ThingModel model = modelFile == null ? ThingModel.EMPTY : products.parseThingModel(Values.readFile(modelFile));
        Product p = products.createProduct(new NewProduct(id, name, description, secret, dynamicRegistration, model, gateway,
                DataFormat.parse(dataFormat)));
        println("Product " + p.id() + " created");
        println("product secret: " + p.secret());
        println("dynamic registration: " + (p.dynamicRegistration() ? "on" : "off"));
        println("gateway: " + (p.gateway() == null ? "any" : p.gateway()));
        println("thing model: " + p.thingModel().properties().size() + " properties, "
                + p.thingModel().functions().size() + " functions, " + p.thingModel().events().size() + " events");
        return null;
    }
}
