package io.thingport.shell.protocol;

import io.thingport.api.protocol.ProtocolPackageInfo;
import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Table;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "protocol-list", description = "Lists the protocol packages: built-in ones and those installed with"
        + " iot:protocol-add or deploy/")
@Service
public class ProtocolListCommand extends IotCommand {
    @Reference
    ProtocolPackageService packages;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    protected Object run() {
        Table table = new Table("Id", "Name", "Type", "Version", "Transports", "State", "Gateways", "Description");
        for (ProtocolPackageInfo p : packages.list()) {
            table.row(p.id(), p.name(), p.type(), p.version(),
                    p.transports().stream().map(Enum::name).sorted().collect(Collectors.joining(",")),
                    p.detail().isEmpty() ? p.state() : p.state() + " (!)", String.join(",", p.gateways()), p.description());
        }
        table.print(System.out, noFormat);
        return null;
    }
}
