package io.thingport.shell.product;

import io.thingport.api.Secrets;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.api.model.EventSpec;
import io.thingport.api.model.FunctionSpec;
import io.thingport.api.model.PropertyKind;
import io.thingport.api.model.PropertySpec;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "product-info", description = "Shows a product and its thing model")
@Service
public class ProductInfoCommand extends IotCommand {
    @Reference
    ProductService products;

    @Argument(index = 0, name = "id", description = "Product id", required = true)
    @Completion(ProductIdCompleter.class)
    String id;

    @Option(name = "--show-secret", description = "Print the product secret in full")
    boolean showSecret;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Product p = products.getProduct(id);
        println("Id:                   " + p.id());
        println("Name:                 " + p.name());
        println("Description:          " + p.description());
        println("Secret:               " + (showSecret ? p.secret() : Secrets.mask(p.secret())));
        println("Dynamic registration: " + (p.dynamicRegistration() ? "on" : "off"));
        println("Gateway:              " + (p.gateway() == null ? "any" : p.gateway()));
        println("Data format:          " + p.dataFormat().wireName());
        println("Category:             " + p.options().category());
        println("Communication:        " + p.options().communication().wireName());
        println("Power:                " + p.options().power().wireName());
        println("Downlink:             " + p.options().downlink().wireName());
        println("Carrier:              " + (p.options().carrier() == null ? "-" : p.options().carrier()));
        println("Node type:            " + p.options().node().wireName());
        println("Created:              " + Values.time(p.createdAt()));
        Table table = new Table("Kind", "Id", "Name", "Type", "Details");
        for (PropertySpec s : p.thingModel().properties()) {
            table.row("property", s.id(), s.name(), s.type().kind().wireName(),
                    s.access().name().toLowerCase() + (s.kind() == PropertyKind.STATUS ? "" : " " + s.kind().name().toLowerCase())
                            + rangeOf(s));
        }
        for (FunctionSpec f : p.thingModel().functions()) {
            StringBuilder inputs = new StringBuilder();
            f.inputs().forEach(in -> inputs.append(inputs.length() == 0 ? "" : ", ").append(in.id()).append(':')
                    .append(in.type().kind().wireName()).append(in.required() ? "" : "?"));
            table.row("function", f.id(), f.name(), f.output() == null ? "-" : f.output().kind().wireName(),
                    "inputs(" + inputs + ")" + (f.async() ? " async" : ""));
        }
        for (EventSpec e : p.thingModel().events()) {
            table.row("event", e.id(), e.name(), e.output() == null ? "any" : e.output().kind().wireName(),
                    e.level().name().toLowerCase());
        }
        println("");
        table.print(System.out, noFormat);
        return null;
    }

    private static String rangeOf(PropertySpec s) {
        StringBuilder b = new StringBuilder();
        if (s.type().min() != null || s.type().max() != null) {
            b.append(" [").append(s.type().min() == null ? "" : s.type().min().toPlainString()).append("..")
                    .append(s.type().max() == null ? "" : s.type().max().toPlainString()).append(']');
        }
        if (s.type().unit() != null) {
            b.append(' ').append(s.type().unit());
        }
        if (!s.type().enumValues().isEmpty()) {
            b.append(' ').append(s.type().enumValues());
        }
        return b.toString();
    }
}
