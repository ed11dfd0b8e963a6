package io.thingport.shell.network;

import io.thingport.api.network.NetworkManager;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "network-types", description = "Lists the installed network component types")
@Service
public class NetworkTypesCommand extends IotCommand {
    @Reference
    NetworkManager network;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Type", "Transport");
        network.types().forEach((type, transport) -> table.row(type, transport));
        table.print(System.out, noFormat);
        return null;
    }
}
