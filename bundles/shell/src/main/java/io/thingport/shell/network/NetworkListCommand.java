package io.thingport.shell.network;

import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.network.NetworkManager;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "network-list", description = "Lists network components (etc/io.thingport.network-*.cfg) and their state")
@Service
public class NetworkListCommand extends IotCommand {
    @Reference
    NetworkManager network;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Name", "Type", "State", "Connections", "Gateways", "Detail");
        for (NetworkComponentInfo c : network.components()) {
            table.row(c.id(), c.type(), c.state(), c.connections(), String.join(",", c.gateways()), c.detail());
        }
        table.print(System.out, noFormat);
        return null;
    }
}
