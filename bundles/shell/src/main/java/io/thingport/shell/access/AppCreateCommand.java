package io.thingport.shell.access;

import io.thingport.api.access.ApplicationService;
import io.thingport.api.access.CreatedApplication;
import io.thingport.api.access.NewApplication;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import io.thingport.shell.support.Values;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

@Command(scope = "iot", name = "app-create", description = "Creates an application that signs its Open API requests, and prints its"
        + " id and its secret (the only time the secret is shown)")
@Service
public class AppCreateCommand extends IotCommand {
    @Reference
    ApplicationService applications;

    @Argument(index = 0, name = "name", description = "A label for people (1 to 64 printable characters)", required = true)
    String name;

    @Option(name = "--role", description = "What it may do: viewer (read), operator (also change devices, products, rules and send"
            + " commands) or admin (also manage the platform)", required = true)
    @Completion(value = StringsCompleter.class, values = {"viewer", "operator", "admin"})
    String role;

    @Option(name = "--product", description = "A product whose devices and data it may see (repeat it; default: all products)",
            multiValued = true)
    @Completion(ProductIdCompleter.class)
    List<String> products;

    @Option(name = "--source", description = "An address or CIDR block it may call from, e.g. 10.0.0.0/8 or 2001:db8::/32 (repeat it;"
            + " default: any)", multiValued = true)
    List<String> sources;

    @Option(name = "--expires", description = "When its secret stops working, an ISO-8601 instant such as 2027-01-01T00:00:00Z"
            + " (default: never)")
    String expires;

    @Override
    protected Object run() {
        CreatedApplication created = applications.create(new NewApplication(name, Applications.role(role),
                products == null ? Set.of() : Set.copyOf(products), sources == null ? List.of() : sources,
                Values.instant("--expires", expires)));
        println("Application " + created.application().id() + " (" + created.application().name() + ") created with role "
                + created.application().role().wireName() + ", products " + Applications.products(created.application())
                + ", sources " + Applications.sources(created.application()) + ", expires " + Applications.expires(created.application()));
        Applications.secretLines(created).forEach(IotCommand::println);
        return null;
    }
}
