package io.thingport.shell.protocol;

import io.thingport.api.protocol.ProtocolPackageInfo;
import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.completers.StringsCompleter;

@Command(scope = "iot", name = "protocol-add", description = "Installs a protocol package while the platform runs: a jar (file or"
        + " URL) or, for development, a local folder of compiled classes that is reloaded when it changes")
@Service
public class ProtocolAddCommand extends IotCommand {
    @Reference
    ProtocolPackageService packages;

    @Option(name = "--type", description = "jar (a .jar/.zip file or a file:/http(s): URL) or local (an absolute folder such as"
            + " /src/protocol/target/classes)", required = true)
    @Completion(value = StringsCompleter.class, values = {"jar", "local"})
    String type;

    @Option(name = "--sha256", description = "The expected SHA-256 of the jar (64 hex digits), checked before anything is"
            + " installed; required for a plain http: URL")
    String sha256;

    @Option(name = "--name", description = "Name shown in the lists, at most 64 characters (default: the protocol's own name)")
    String name;

    @Option(name = "--description", description = "A note, at most 200 characters")
    String description;

    @Argument(index = 0, name = "source", description = "The jar file, URL or folder", required = true)
    @Completion(FileCompleter.class)
    String source;

    @Override
    protected Object run() {
        ProtocolPackageInfo p = packages.add(type, source, sha256, name, description);
        println("Protocol " + p.id() + " installed: " + p.name() + ", version " + p.version() + ", transports "
                + p.transports() + " (type " + p.type() + ", SHA-256 " + p.sha256() + ")");
        println("Use it with: iot:gateway-create <name> custom <network component> " + p.id());
        return null;
    }
}
