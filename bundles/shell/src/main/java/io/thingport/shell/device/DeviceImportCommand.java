package io.thingport.shell.device;

import io.thingport.api.ThingportException;
import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.ImportFormat;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import io.thingport.shell.support.ProgressLine;
import io.thingport.shell.support.Values;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Process;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.completers.StringsCompleter;

@Command(scope = "iot", name = "device-import", description = "Creates many devices from a CSV or JSON file, all or none",
        detailedDescription = "CSV: a header naming the columns id,name,secret,mac (only id required), then one device per line."
                + " JSON: an array of {\"id\":..,\"name\":..,\"secret\":..,\"mac\":..}. A MAC address may be written"
                + " aa:bb:cc:dd:ee:ff, with - or as aabb.ccdd.eeff or 12 digits. Every row is checked first; one bad row refuses the"
                + " whole file and every bad row is reported. Prints id,secret of each created device (the only time the"
                + " secrets are shown). While it runs, prints how far it has come on the error stream: checked (rows parsed and"
                + " checked), then stored, as one line that overwrites itself on a terminal, otherwise a line every 10%.")
@Service
public class DeviceImportCommand extends IotCommand {
    @Reference
    DeviceService devices;

    /** The session's terminal: the progress line overwrites itself only on one. */
    @Reference
    Session session;

    @Argument(index = 0, name = "product", description = "Product id", required = true)
    @Completion(ProductIdCompleter.class)
    String productId;

    @Argument(index = 1, name = "file", description = "CSV or JSON file", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--format", description = "csv or json (default: from the file extension)")
    @Completion(value = StringsCompleter.class, values = {"csv", "json"})
    String format;

    @Override
    protected Object run() {
        String f = format != null ? format : file.toLowerCase(Locale.ROOT).endsWith(".json") ? "json" : "csv";
        ImportFormat importFormat = switch (f.toLowerCase(Locale.ROOT)) {
            case "csv" -> ImportFormat.CSV;
            case "json" -> ImportFormat.JSON;
            default -> throw ThingportException.invalidArgument("--format must be csv or json, not '" + f + "'");
        };
        String content = Values.readFile(file);
        ProgressLine progress = new ProgressLine(System.err, ProgressLine.isTerminal(Process.Utils.current(),
                session == null ? null : session.getTerminal()));
        List<CreatedDevice> created;
        try {
            created = devices.importDevices(productId, content, importFormat, progress);
        } finally {
            progress.finish();
        }
        println("id,secret");
        created.forEach(d -> println(d.device().id() + "," + d.secret()));
        System.err.println(created.size() + " device(s) created in product " + productId);
        return null;
    }
}
