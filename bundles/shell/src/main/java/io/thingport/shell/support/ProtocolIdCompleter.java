package io.thingport.shell.support;

import io.thingport.api.protocol.ProtocolRegistry;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes installed protocol ids. */
@Service
public class ProtocolIdCompleter implements Completer {
    @Reference
    ProtocolRegistry service;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        service.protocols().stream().map(p -> p.id()).forEach(delegate.getStrings()::add);
        return delegate.complete(session, commandLine, candidates);
    }
}
