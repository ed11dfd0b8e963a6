package io.thingport.shell.product;

import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Command(scope = "iot", name = "product-model", description = "Replaces a product's thing model with one from a JSON file")
@Service
public class ProductModelCommand extends IotCommand {
    @Reference
    ProductService products;

    @Argument(index = 0, name = "id", description = "Product id", required = true)
    @Completion(ProductIdCompleter.class)
    String id;

    @Argument(index = 1, name = "file", description = "Thing model JSON file", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Override
    protected Object run() {
        Product p = products.updateThingModel(id, products.parseThingModel(Values.readFile(file)));
        println("Thing model of " + p.id() + " replaced: " + p.thingModel().properties().size() + " properties, "
                + p.thingModel().functions().size() + " functions, " + p.thingModel().events().size() + " events");
        return null;
    }
}
