package io.thingport.shell.protocol;

import io.thingport.api.ThingportException;
import io.thingport.api.protocol.ProtocolPackageInfo;
import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProtocolIdCompleter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Command(scope = "iot", name = "protocol-update", description = "Replaces a protocol package's code with a new jar (or re-reads its"
        + " folder) and/or edits its name and description; online devices keep their connections, a broken package is refused"
        + " and the running version stays")
@Service
public class ProtocolUpdateCommand extends IotCommand {
    @Reference
    ProtocolPackageService packages;

    @Argument(index = 0, name = "id", description = "Protocol id", required = true)
    @Completion(ProtocolIdCompleter.class)
    String id;

    @Argument(index = 1, name = "source", description = "New jar file or URL (type jar) or folder (type local); without it a jar"
            + " package keeps its code and a local package re-reads its folder")
    @Completion(FileCompleter.class)
    String source;

    @Option(name = "--name", description = "New name, at most 64 characters")
    String name;

    @Option(name = "--description", description = "New note, at most 200 characters")
    String description;

    @Option(name = "--sha256", description = "The expected SHA-256 of the new jar (64 hex digits), checked before anything is"
            + " installed; required for a plain http: URL")
    String sha256;

    @Option(name = "--type", description = "Not editable: refused (delete the package and add it again to change its type)")
    String type;

    @Override
    protected Object run() {
        if (type != null) {
            throw ThingportException.invalidArgument("the type of a protocol package cannot be changed: delete it and add it again");
        }
        ProtocolPackageInfo p = packages.update(id, source, sha256, name, description);
        println("Protocol " + p.id() + " is " + p.name() + ", version " + p.version() + " (revision " + p.revision() + ")");
        return null;
    }
}
