package io.thingport.shell.rule;

import io.thingport.api.rule.DataSourceInfo;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.KeyValues;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

@Command(scope = "iot", name = "datasource-add", description = "Adds a data source: a named connection rule actions use",
        detailedDescription = "Example: iot:datasource-add k1 kafka brokers=127.0.0.1:9092\n"
                + "Settings: jdbc url, user, password; kafka brokers; http secret (the HMAC key of webhook signatures);"
                + " mqtt url, user, password. Secret settings are never shown again (masked).")
@Service
public class DataSourceAddCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Argument(index = 0, name = "name", description = "Data source name", required = true)
    String name;

    @Argument(index = 1, name = "type", description = "jdbc, kafka, http or mqtt", required = true)
    @Completion(value = StringsCompleter.class, values = {"jdbc", "kafka", "http", "mqtt"})
    String type;

    @Argument(index = 2, name = "key=value", description = "Settings", multiValued = true)
    List<String> settings;

    @Override
    protected Object run() {
        DataSourceInfo d = rules.addDataSource(name, type, KeyValues.parse(settings));
        println("Data source " + d.name() + " (" + d.type() + ") added");
        d.options().forEach((k, v) -> println("  " + k + " = " + v));
        return null;
    }
}
