package io.thingport.shell.network;

import io.thingport.api.network.GatewayInfo;
import io.thingport.api.network.GatewayManager;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "gateway-list",
        description = "Lists device access gateways (etc/io.thingport.gateway-*.cfg) and their state")
@Service
public class GatewayListCommand extends IotCommand {
    @Reference
    GatewayManager gateways;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Name", "Type", "Network", "Protocol", "State", "Connections", "Products", "Detail");
        for (GatewayInfo g : gateways.gateways()) {
            table.row(g.id(), g.type(), g.network(), g.protocol(), g.state(), g.connections(), String.join(",", g.products()), g.detail());
        }
        table.print(System.out, noFormat);
        return null;
    }
}
