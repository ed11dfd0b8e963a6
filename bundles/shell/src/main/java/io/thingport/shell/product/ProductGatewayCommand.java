package io.thingport.shell.product;

import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.shell.support.GatewayNameCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "product-gateway",
        description = "Binds a product to a device access gateway (its devices may then connect only through it); 'any' unbinds")
@Service
public class ProductGatewayCommand extends IotCommand {
    @Reference
    ProductService products;

    @Argument(index = 0, name = "id", description = "Product id", required = true)
    @Completion(ProductIdCompleter.class)
    String id;

    @Argument(index = 1, name = "gateway", description = "Gateway name, or any", required = true)
    @Completion(GatewayNameCompleter.class)
    String gateway;

    @Override
    protected Object run() {
        Product p = products.setGateway(id, gateway.equals("any") ? null : gateway);
        println("Product " + p.id() + (p.gateway() == null ? " accepts devices through any gateway"
                : " accepts devices only through gateway " + p.gateway()));
        return null;
    }
}
