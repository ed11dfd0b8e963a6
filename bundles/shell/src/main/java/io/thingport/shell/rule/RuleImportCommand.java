package io.thingport.shell.rule;

import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Command(scope = "iot", name = "rule-import", description = "Creates or updates every rule of an exported JSON document, all or"
        + " none (one bad rule refuses the whole file)")
@Service
public class RuleImportCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Argument(index = 0, name = "file", description = "Rules JSON file (as written by rule-export --file)", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Override
    protected Object run() {
        List<RuleInfo> imported = rules.importJson(Values.readFile(file));
        for (RuleInfo r : imported) {
            println("Rule " + r.definition().id() + " imported (version " + r.version() + "): " + r.state());
        }
        println(imported.size() + " rule(s) imported");
        return null;
    }
}
