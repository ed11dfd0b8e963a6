package io.thingport.shell.access;

import io.thingport.api.access.ApplicationService;
import io.thingport.shell.support.AppIdCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "app-revoke", description = "Revokes an application: its requests are refused from now on, whatever"
        + " they carry, until it is deleted")
@Service
public class AppRevokeCommand extends IotCommand {
    @Reference
    ApplicationService applications;

    @Argument(index = 0, name = "id", description = "Application id", required = true)
    @Completion(AppIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        applications.revoke(id);
        println("Application " + id + " revoked: its requests are refused from now on");
        return null;
    }
}
