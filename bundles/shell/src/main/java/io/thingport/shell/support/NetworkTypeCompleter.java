package io.thingport.shell.support;

import io.thingport.api.network.NetworkManager;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes installed network component types. */
@Service
public class NetworkTypeCompleter implements Completer {
    @Reference
    NetworkManager service;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        service.types().keySet().stream().forEach(delegate.getStrings()::add);
        return delegate.complete(session, commandLine, candidates);
    }
}
