package io.thingport.shell.platform;

import io.thingport.api.protocol.ProtocolRegistry;
import io.thingport.api.protocol.ProtocolSupport;
import java.util.stream.Collectors;
import io.thingport.shell.support.Table;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "protocol-list", description = "Lists installed protocol packages")
@Service
public class ProtocolListCommand implements Action {
    @Reference
    ProtocolRegistry protocols;

    @Option(name = "--no-format", description = "Plain tab-separated output for scripts")
    boolean noFormat;

    @Override
    public Object execute() {
        Table table = new Table("Id", "Name", "Version", "Transports", "Description");
        for (ProtocolSupport p : protocols.protocols()) {
            table.row(p.id(), p.name(), p.version(),
                    p.transports().stream().map(Enum::name).sorted().collect(Collectors.joining(",")), p.description());
        }
        table.print(System.out, noFormat);
        return null;
    }
}
