package io.thingport.shell.product;

import io.thingport.api.ThingportException;
import io.thingport.api.device.ProductService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "product-export", description = "Prints (or writes to a file) a product and its thing model as JSON")
@Service
public class ProductExportCommand extends IotCommand {
    @Reference
    ProductService products;

    @Argument(index = 0, name = "id", description = "Product id", required = true)
    @Completion(ProductIdCompleter.class)
    String id;

    @Option(name = "--file", description = "Write to this file instead of printing")
    String file;

    @Override
    protected Object run() {
        String json = products.exportJson(id);
        if (file == null) {
            printText(json);
            return null;
        }
        try {
            Files.writeString(Path.of(file), json + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ThingportException.invalidArgument("cannot write " + file + ": " + e.getMessage());
        }
        println("Product " + id + " written to " + Path.of(file).toAbsolutePath());
        return null;
    }
}
