package io.thingport.shell.product;

import io.thingport.api.device.CommandQueueSettings;
import io.thingport.api.device.CommunicationType;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.DownlinkMode;
import io.thingport.api.device.NodeType;
import io.thingport.api.device.PowerMode;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductOptions;
import io.thingport.api.device.ProductService;
import io.thingport.shell.support.CategoryIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import java.time.Duration;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "product-set", description = "Changes a product's category, communication type, power and downlink"
        + " modes, carrier, data format and node type (the options not given keep their values; the thing model is kept)")
@Service
public class ProductSetCommand extends IotCommand {
    /** What {@code --carrier} takes to remove the carrier. */
    static final String NONE = "none";

    @Reference
    ProductService products;

    @Argument(index = 0, name = "id", description = "Product id", required = true)
    @Completion(ProductIdCompleter.class)
    String id;

    @Option(name = "--category", description = "Category of the catalogue (iot:category-list)")
    @Completion(CategoryIdCompleter.class)
    String category;

    @Option(name = "--communication", description = "wifi, 2g, 3g, 4g, 5g, nb-iot, ethernet, ble, zigbee, lora, rs485, mesh")
    String communication;

    @Option(name = "--power", description = "always-on or low-power")
    String power;

    @Option(name = "--downlink", description = "always-on, or for low-power products drx, and for low-power cellular and nb-iot"
            + " products psm or edrx")
    String downlink;

    @Option(name = "--carrier", description = "Carrier network of a cellular or nb-iot product; none removes it")
    String carrier;

    @Option(name = "--queue-max", description = "Sleepy (psm, edrx, drx) products: the most commands queued per device while"
            + " it sleeps, 1 to 1000 (default 16)")
    Integer queueMax;

    @Option(name = "--queue-ttl", description = "Sleepy products: how long a queued command waits before it expires, in seconds"
            + " (1 to 2592000, default 86400)")
    Long queueTtl;

    @Option(name = "--data-format", description = "fixed or variable")
    String dataFormat;

    @Option(name = "--node-type", description = "device, or gateway: its devices may have sub-devices (refused while the bindings"
            + " contradict it)")
    String nodeType;

    @Override
    protected Object run() {
        Product old = products.getProduct(id);
        ProductOptions o = old.options();
        ProductOptions changed = new ProductOptions(category == null ? o.category() : category,
                communication == null ? o.communication() : CommunicationType.parse(communication),
                power == null ? o.power() : PowerMode.parse(power), downlink == null ? o.downlink() : DownlinkMode.parse(downlink),
                carrier == null ? o.carrier() : NONE.equalsIgnoreCase(carrier.trim()) ? null : carrier,
                new CommandQueueSettings(queueMax == null ? o.queue().maxLength() : queueMax,
                        queueTtl == null ? o.queue().timeToLive() : Duration.ofSeconds(queueTtl)),
                nodeType == null ? o.node() : NodeType.parse(nodeType));
        Product p = products.updateOptions(id, dataFormat == null ? old.dataFormat() : DataFormat.parse(dataFormat), changed);
        println("Product " + p.id() + ": " + ProductOptionsText.summary(p));
        return null;
    }
}
