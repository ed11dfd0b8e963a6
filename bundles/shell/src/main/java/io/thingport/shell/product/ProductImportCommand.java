package io.thingport.shell.product;

import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Command(scope = "iot", name = "product-import",
        description = "Creates (or with --replace updates) a product from an exported JSON document")
@Service
public class ProductImportCommand extends IotCommand {
    @Reference
    ProductService products;

    @Argument(index = 0, name = "file", description = "Product JSON file (as written by product-export)", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--replace", description = "Replace the name, description, registration flag and thing model of an existing product")
    boolean replace;

    @Override
    protected Object run() {
        Product p = products.importJson(Values.readFile(file), replace);
        println("Product " + p.id() + " imported: " + p.thingModel().properties().size() + " properties, "
                + p.thingModel().functions().size() + " functions, " + p.thingModel().events().size() + " events");
        return null;
    }
}
