package io.thingport.shell.support;

import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandQueue;
import io.thingport.api.device.CommandState;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the ids of the commands still waiting in the queue of the device named on {@code iot:device-queue}'s line. */
@Service
public class WaitingCommandCompleter implements Completer {
    /** The options of {@code iot:device-queue} that take a value (the value is not the device id). */
    private static final Set<String> VALUED = Set.of("--cancel", "--limit");

    @Reference
    CommandQueue queue;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        deviceId(Arrays.asList(commandLine.getArguments()), commandLine.getCursorArgumentIndex()).ifPresent(device -> {
            try {
                queue.list(device, CommandQueue.MAX_LIST).stream().filter(q -> q.state() == CommandState.QUEUED)
                        .forEach(q -> delegate.getStrings().add(q.commandId()));
            } catch (ThingportException e) {
                // an unknown device has nothing to complete
            }
        });
        return delegate.complete(session, commandLine, candidates);
    }

    /**
     * The device id on a command line: its first argument after the command's name that is neither an option nor an
     * option's value, and not the argument being completed.
     */
    static Optional<String> deviceId(List<String> arguments, int cursorIndex) {
        for (int i = 1; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if (VALUED.contains(a)) {
                i++;
            } else if (!a.startsWith("-") && i != cursorIndex && !a.isEmpty()) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
