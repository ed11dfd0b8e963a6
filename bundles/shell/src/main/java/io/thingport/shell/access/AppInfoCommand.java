package io.thingport.shell.access;

import io.thingport.api.ThingportException;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.ApplicationService;
import io.thingport.shell.support.AppIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "app-info", description = "Shows an application (never its secret)")
@Service
public class AppInfoCommand extends IotCommand {
    @Reference
    ApplicationService applications;

    @Argument(index = 0, name = "id", description = "Application id", required = true)
    @Completion(AppIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        ApplicationInfo a = applications.find(id).orElseThrow(() -> ThingportException.notFound("application", id));
        println("Id:       " + a.id());
        println("Name:     " + a.name());
        println("Role:     " + a.role().wireName());
        println("Products: " + Applications.products(a));
        println("Sources:  " + Applications.sources(a));
        println("Expires:  " + Applications.expires(a));
        println("State:    " + Applications.state(a, Instant.now()));
        println("Created:  " + Values.time(a.createdAt()));
        println("Rotated:  " + Values.time(a.rotatedAt()));
        return null;
    }
}
