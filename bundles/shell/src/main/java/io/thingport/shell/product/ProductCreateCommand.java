package io.thingport.shell.product;

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
import io.thingport.shell.support.CategoryIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import java.time.Duration;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
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

    @Option(name = "--category", description = "Category of the catalogue (iot:category-list; default other): without --model"
            + " the product starts from the category's standard thing model, if it has one")
    @Completion(CategoryIdCompleter.class)
    String category;

    @Option(name = "--communication", description = "How its devices connect: wifi (default), 2g, 3g, 4g, 5g, nb-iot, ethernet,"
            + " or as a gateway sub-device over ble, zigbee, lora, rs485, mesh")
    String communication;

    @Option(name = "--power", description = "always-on (default) or low-power")
    String power;

    @Option(name = "--downlink", description = "always-on (default), or for low-power products drx, and for low-power cellular"
            + " and nb-iot products psm or edrx")
    String downlink;

    @Option(name = "--queue-max", description = "Sleepy (psm, edrx, drx) products: the most commands queued per device while"
            + " it sleeps, 1 to 1000 (default 16)")
    Integer queueMax;

    @Option(name = "--queue-ttl", description = "Sleepy products: how long a queued command waits before it expires, in seconds"
            + " (1 to 2592000, default 86400)")
    Long queueTtl;

    @Option(name = "--carrier", description = "Carrier network of a cellular or nb-iot product (e.g. \"China Mobile\")")
    String carrier;

    @Option(name = "--node-type", description = "device (default), or gateway: its devices may have sub-devices"
            + " (iot:device-bind) and speak for them")
    String nodeType;

    @Override
    protected Object run() {
        ThingModel model = modelFile == null ? ThingModel.EMPTY : products.parseThingModel(Values.readFile(modelFile));
        ProductOptions options = new ProductOptions(category, CommunicationType.parse(communication), PowerMode.parse(power),
                DownlinkMode.parse(downlink), carrier, new CommandQueueSettings(queueMax,
                        queueTtl == null ? null : Duration.ofSeconds(queueTtl)), NodeType.parse(nodeType));
        Product p = products.createProduct(new NewProduct(id, name, description, secret, dynamicRegistration, model, gateway,
                DataFormat.parse(dataFormat), options));
        println("Product " + p.id() + " created");
        println("product secret: " + p.secret());
        println("dynamic registration: " + (p.dynamicRegistration() ? "on" : "off"));
        println("gateway: " + (p.gateway() == null ? "any" : p.gateway()));
        println("options: " + ProductOptionsText.summary(p));
        println("thing model: " + p.thingModel().properties().size() + " properties, "
                + p.thingModel().functions().size() + " functions, " + p.thingModel().events().size() + " events");
        return null;
    }
}
