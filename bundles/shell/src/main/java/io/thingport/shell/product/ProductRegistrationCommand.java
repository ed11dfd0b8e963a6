package io.thingport.shell.product;

import io.thingport.api.ThingportException;
import io.thingport.api.device.ProductService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

@Command(scope = "iot", name = "product-registration", description = "Turns dynamic registration of a product's devices on or off")
@Service
public class ProductRegistrationCommand extends IotCommand {
    @Reference
    ProductService products;

    @Argument(index = 0, name = "id", description = "Product id", required = true)
    @Completion(ProductIdCompleter.class)
    String id;

    @Argument(index = 1, name = "state", description = "on or off", required = true)
    @Completion(value = StringsCompleter.class, values = {"on", "off"})
    String state;

    @Override
    protected Object run() {
        boolean on = switch (state) {
            case "on" -> true;
            case "off" -> false;
            default -> throw ThingportException.invalidArgument("state must be on or off, not '" + state + "'");
        };
        products.setDynamicRegistration(id, on);
        println("Dynamic registration of " + id + " is " + state);
        return null;
    }
}
