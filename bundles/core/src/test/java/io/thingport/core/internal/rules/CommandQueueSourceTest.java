package io.thingport.core.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.TopicFilters;
import io.thingport.api.device.CommandState;
import io.thingport.api.device.DeviceEventBus;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.MessageHeader;
import io.thingport.core.internal.rules.sql.CompiledStatement;
import io.thingport.core.internal.rules.sql.RuleSql;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule sources {@code $events/command/queued|sent|replied|expired|failed|cancelled} of queued commands. */
class CommandQueueSourceTest {
    @Test
    void eachQueueTransitionIsItsOwnSourceAndItsDataIsSelectable() {
        // Verifies that FROM "$events/command/expired" compiles, reads exactly the expired transitions' bus topic (not
        // the other states'), and sees the transition under payload.data.
        // GIVEN a statement on the expired source and an expiry as the platform publishes it
        CompiledStatement st = RuleSql.compile("SELECT deviceId, payload.data.commandId AS id, payload.data.state AS state"
                + " FROM \"$events/command/expired\"");
        DeviceEvent expired = new DeviceEvent(MessageHeader.of("m1-expired", "meter", "meter-1", 1000),
                CommandState.EXPIRED.eventId(), Map.of("commandId", "m1", "type", "properties/write", "state", "expired"));
        String topic = DeviceEventBus.topicOf(expired);
        // WHEN its bus filters are taken
        List<String> filters = Sources.busFilters(st.sources());
        // THEN
        assertThat(filters).containsExactly("/device/+/+/event/$command-expired");
        assertThat(TopicFilters.matches(filters.get(0), topic)).isTrue();
        assertThat(TopicFilters.matches(filters.get(0), "/device/meter/meter-1/event/$command-queued")).isFalse();
        assertThat(st.apply(MessageFields.of(topic, expired)).orElseThrow())
                .containsEntry("deviceId", "meter-1").containsEntry("id", "m1").containsEntry("state", "expired");
        for (CommandState s : CommandState.values()) {
            assertThat(Sources.busFilters(List.of("$events/command/" + s.wireName())))
                    .containsExactly("/device/+/+/event/" + s.eventId());
        }
    }
}
