package io.thingport.shell.rule;

import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.DataSourceNameCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "datasource-delete", description = "Deletes a data source (refused while a rule's action uses it)")
@Service
public class DataSourceDeleteCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Argument(index = 0, name = "name", description = "Data source name", required = true)
    @Completion(DataSourceNameCompleter.class)
    String name;

    @Override
    protected Object run() {
        rules.deleteDataSource(name);
        println("Data source " + name + " deleted");
        return null;
    }
}
