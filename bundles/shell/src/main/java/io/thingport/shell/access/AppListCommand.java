package io.thingport.shell.access;

import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.ApplicationService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import io.thingport.shell.support.Values;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "app-list", description = "Lists the applications: role, products, allowed sources, expiry and state"
        + " (active / revoked / expired); never their secrets")
@Service
public class AppListCommand extends IotCommand {
    @Reference
    ApplicationService applications;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Instant now = Instant.now();
        Table table = new Table("Id", "Name", "Role", "Products", "Sources", "Expires", "State", "Created");
        for (ApplicationInfo a : applications.list()) {
            table.row(a.id(), a.name(), a.role().wireName(), Applications.products(a), Applications.sources(a), Applications.expires(a),
                    Applications.state(a, now), Values.time(a.createdAt()));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
