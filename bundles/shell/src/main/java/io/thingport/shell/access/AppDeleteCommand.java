package io.thingport.shell.access;

import io.thingport.api.access.ApplicationService;
import io.thingport.shell.support.AppIdCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "app-delete", description = "Deletes an application: its id and secret stop working at once")
@Service
public class AppDeleteCommand extends IotCommand {
    @Reference
    ApplicationService applications;

    @Argument(index = 0, name = "id", description = "Application id", required = true)
    @Completion(AppIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        applications.delete(id);
        println("Application " + id + " deleted");
        return null;
    }
}
