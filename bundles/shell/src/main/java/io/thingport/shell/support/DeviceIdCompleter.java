package io.thingport.shell.support;

import io.thingport.api.Identifiers;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceQuery;
import io.thingport.api.device.DeviceService;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes device ids: the first 1000 that start with what was typed, read as one page of the device list. */
@Service
public class DeviceIdCompleter implements Completer {
    @Reference
    DeviceService devices;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        String typed = commandLine.getCursorArgument() == null ? ""
                : commandLine.getCursorArgument().substring(0, Math.max(0, commandLine.getArgumentPosition()));
        String prefix = typed.length() > Identifiers.MAX_ID_LENGTH ? null : typed;
        devices.queryDevices(new DeviceQuery(null, null, null, prefix, null, DeviceQuery.MAX_LIMIT)).devices().stream().map(Device::id)
                .forEach(delegate.getStrings()::add);
        return delegate.complete(session, commandLine, candidates);
    }
}
