package io.thingport.shell.support;

import io.thingport.api.rule.RuleService;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes rule ids. */
@Service
public class RuleIdCompleter implements Completer {
    @Reference
    RuleService rules;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        rules.list().stream().map(r -> r.definition().id()).forEach(delegate.getStrings()::add);
        return delegate.complete(session, commandLine, candidates);
    }
}
