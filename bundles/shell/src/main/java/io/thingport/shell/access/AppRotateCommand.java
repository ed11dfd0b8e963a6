package io.thingport.shell.access;

import io.thingport.api.access.ApplicationService;
import io.thingport.api.access.CreatedApplication;
import io.thingport.shell.support.AppIdCompleter;
import io.thingport.shell.support.IotCommand;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "app-rotate", description = "Replaces an application's secret and prints the new one (the only time it"
        + " is shown): the old secret stops working at once")
@Service
public class AppRotateCommand extends IotCommand {
    @Reference
    ApplicationService applications;

    @Argument(index = 0, name = "id", description = "Application id", required = true)
    @Completion(AppIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        CreatedApplication rotated = applications.rotate(id);
        println("New secret of application " + id + "; the old one no longer works");
        Applications.secretLines(rotated).forEach(IotCommand::println);
        return null;
    }
}
