package io.thingport.shell.product;

import io.thingport.api.device.ProductCategory;
import io.thingport.api.device.ProductService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "category-list", description = "Lists the product categories of the built-in catalogue and their"
        + " standard thing models (what iot:product-create --category starts from)")
@Service
public class CategoryListCommand extends IotCommand {
    @Reference
    ProductService products;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Id", "Name", "Chinese name", "Standard model");
        for (ProductCategory c : products.listCategories()) {
            table.row(c.id(), c.name(), c.localName(), c.hasTemplate() ? String.join(", ",
                    c.template().properties().stream().map(p -> p.id()).toList()) : "-");
        }
        table.print(System.out, noFormat);
        return null;
    }
}
