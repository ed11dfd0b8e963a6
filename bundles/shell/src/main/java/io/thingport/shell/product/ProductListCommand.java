package io.thingport.shell.product;

import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "product-list", description = "Lists products")
@Service
public class ProductListCommand extends IotCommand {
    @Reference
    ProductService products;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Id", "Name", "Category", "Communication", "Power", "Downlink", "Properties", "Functions", "Events",
                "Registration", "Created");
        for (Product p : products.listProducts()) {
            table.row(p.id(), p.name(), p.options().category(), p.options().communication().wireName(), p.options().power().wireName(),
                    p.options().downlink().wireName(), p.thingModel().properties().size(), p.thingModel().functions().size(),
                    p.thingModel().events().size(), p.dynamicRegistration() ? "on" : "off", Values.time(p.createdAt()));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
