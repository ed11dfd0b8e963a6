package io.thingport.core.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.TopicFilters;
import io.thingport.api.device.AlarmService;
import io.thingport.api.device.DeviceEventBus;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.MessageHeader;
import io.thingport.core.internal.rules.sql.CompiledStatement;
import io.thingport.core.internal.rules.sql.RuleSql;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule source {@code $events/device/alarm}: which bus topic it reads and what a statement sees of it. */
class AlarmSourceTest {
    @Test
    void alarmTransitionsAreTheSourceAndTheirDataIsSelectable() {
        // Verifies that a rule FROM "$events/device/alarm" compiles, reads exactly the alarm events' bus topic, and
        // sees the transition under payload.data.
        // GIVEN a statement on the alarm source and an alarm transition as the platform publishes it
        CompiledStatement st = RuleSql.compile("SELECT deviceId, payload.data.property AS property, payload.data.state AS state"
                + " FROM \"$events/device/alarm\" WHERE payload.data.kind = 'fault'");
        DeviceEvent raised = new DeviceEvent(MessageHeader.of("alarm-7-raised", "boiler", "b1", 1000), AlarmService.EVENT_ID,
                Map.of("alarmId", 7L, "property", "errorCode", "kind", "fault", "state", "raised", "value", 3L, "raisedAt", 1000L));
        String topic = DeviceEventBus.topicOf(raised);
        // WHEN its bus filters are taken
        List<String> filters = Sources.busFilters(st.sources());
        // THEN they match the alarm topic only, and the row holds the transition
        assertThat(filters).containsExactly("/device/+/+/event/$alarm");
        assertThat(TopicFilters.matches(filters.get(0), topic)).isTrue();
        assertThat(TopicFilters.matches(filters.get(0), "/device/boiler/b1/event/overheated")).isFalse();
        assertThat(st.apply(MessageFields.of(topic, raised)).orElseThrow())
                .containsEntry("deviceId", "b1").containsEntry("property", "errorCode").containsEntry("state", "raised");
    }
}
