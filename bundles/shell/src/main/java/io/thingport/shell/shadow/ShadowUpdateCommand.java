package io.thingport.shell.shadow;

import io.thingport.api.ThingportException;
import io.thingport.api.shadow.ShadowService;
import io.thingport.api.shadow.ShadowUpdate;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "shadow-update", description = "Sets desired (or reported) keys of a device's shadow",
        detailedDescription = "Values are JSON when they parse as JSON, else text; name=null deletes the key. The new"
                + " delta goes to the device at once when it is connected here, else when it next connects.\n"
                + "Examples: iot:shadow-update dev-1 led=true level=40\n"
                + "          iot:shadow-update --version 3 dev-1 level=null\n"
                + "          iot:shadow-update --reported dev-1 level=40\n"
                + "          iot:shadow-update --clear dev-1")
@Service
public class ShadowUpdateCommand extends IotCommand {
    @Reference
    ShadowService shadows;

    @Argument(index = 0, name = "device", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "values", description = "name=value pairs", multiValued = true)
    List<String> values;

    @Option(name = "--reported", description = "Change the reported state instead of the desired one")
    boolean reported;

    @Option(name = "--clear", description = "Empty the section (desired, or reported with --reported) first")
    boolean clear;

    @Option(name = "--version", description = "Refuse the update unless the shadow is still at this version")
    Long version;

    @Override
    protected Object run() {
        Map<String, Object> keys = Values.assignments(values);
        if (keys.isEmpty() && !clear) {
            throw ThingportException.invalidArgument("give name=value pairs, or --clear");
        }
        if (keys.size() > ShadowUpdate.MAX_KEYS) {
            throw ThingportException.invalidArgument("at most " + ShadowUpdate.MAX_KEYS + " keys at once");
        }
        ShadowUpdate update = reported ? new ShadowUpdate(Map.of(), false, keys, clear, null, version)
                : new ShadowUpdate(keys, clear, Map.of(), false, null, version);
        println(Values.prettyJson(shadows.update(deviceId, update).body(null)));
        return null;
    }
}
