package io.thingport.shell.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.AlarmPage;
import io.thingport.api.device.AlarmQuery;
import io.thingport.api.device.AlarmService;
import io.thingport.api.device.DeviceAlarm;
import io.thingport.api.model.PropertyKind;
import io.thingport.shell.support.Fakes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

/** iot:alarm-list and iot:alarm-ack. */
class AlarmCommandsTest {
    private static final DeviceAlarm ACTIVE = new DeviceAlarm(42, "b1", "boiler", "overheat", PropertyKind.ALARM, "true",
            Instant.EPOCH, null, null, null);

    @Test
    void alarmListPassesTheFiltersAndPrintsTheCursor() throws Exception {
        // Verifies that the filters reach the service and that a further page is announced with its cursor.
        // GIVEN a service with one more page
        AtomicReference<AlarmQuery> asked = new AtomicReference<>();
        AlarmListCommand command = new AlarmListCommand();
        command.alarms = Fakes.service(AlarmService.class, Map.of("listAlarms", args -> {
            asked.set((AlarmQuery) args[0]);
            return new AlarmPage(List.of(ACTIVE), 42L);
        }));
        command.productId = "boiler";
        command.activeOnly = true;
        command.from = "2026-12-01T00:00:00Z";
        command.limit = 1;
        command.noFormat = true;
        // WHEN it runs
        String out = Fakes.output(command::execute);
        // THEN
        assertThat(asked.get()).isEqualTo(new AlarmQuery(null, "boiler", true, Instant.parse("2026-12-01T00:00:00Z"), null, null, 1));
        assertThat(out).contains("42\tb1\tboiler\toverheat\talarm\ttrue").contains("active").contains("More: --before 42");
    }

    @Test
    void alarmListRefusesABadTime() {
        // Verifies that a malformed --from is refused naming the option, without a call to the service.
        // GIVEN
        AlarmListCommand command = new AlarmListCommand();
        command.alarms = Fakes.service(AlarmService.class, Map.of());
        command.from = "yesterday";
        // WHEN / THEN
        assertThatThrownBy(command::execute).isInstanceOf(CommandException.class).hasMessageContaining("--from");
    }

    @Test
    void alarmAckRecordsTheShellUserAndShowsARefusal() throws Exception {
        // Verifies that iot:alarm-ack passes who acknowledges (the console user without a login) and shows a conflict.
        // GIVEN a service that acknowledges once
        AtomicReference<String> by = new AtomicReference<>();
        AlarmAckCommand command = new AlarmAckCommand();
        command.alarms = Fakes.service(AlarmService.class, Map.of("acknowledge", args -> {
            if (by.get() != null) {
                throw new ThingportException(ErrorCode.CONFLICT, "alarm 42 was acknowledged already");
            }
            by.set((String) args[1]);
            return new DeviceAlarm(42, "b1", "boiler", "overheat", PropertyKind.ALARM, "true", Instant.EPOCH, null, Instant.EPOCH,
                    (String) args[1]);
        }));
        command.id = 42;
        // WHEN it runs twice
        String out = Fakes.output(command::execute);
        // THEN the first acknowledges as the console user, the second is refused
        assertThat(by.get()).isEqualTo("console");
        assertThat(out).contains("Alarm 42 (b1 overheat, active) acknowledged by console");
        assertThatThrownBy(command::execute).isInstanceOf(CommandException.class).hasMessageContaining("acknowledged already");
    }
}
