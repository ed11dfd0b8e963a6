package io.thingport.shell.alarm;

import io.thingport.api.device.AlarmService;
import io.thingport.api.device.DeviceAlarm;
import io.thingport.shell.access.ShellAccessRecorder;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import javax.security.auth.Subject;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

@Command(scope = "iot", name = "alarm-ack", description = "Acknowledges a device alarm or fault (records who and when; it stays"
        + " active until the device reports it cleared)")
@Service
public class AlarmAckCommand extends IotCommand {
    @Reference
    AlarmService alarms;

    @Reference
    Session session;

    @Argument(index = 0, name = "id", description = "Alarm id (iot:alarm-list)", required = true)
    long id;

    @Override
    protected Object run() {
        String user = ShellAccessRecorder.user(session == null ? null : session.get(Subject.class.getName()));
        DeviceAlarm a = alarms.acknowledge(id, user);
        println("Alarm " + a.id() + " (" + a.deviceId() + " " + a.property() + ", " + (a.active() ? "active" : "cleared")
                + ") acknowledged by " + a.acknowledgedBy() + " at " + Values.time(a.acknowledgedAt()));
        return null;
    }
}
