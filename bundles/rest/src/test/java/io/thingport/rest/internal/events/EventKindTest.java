package io.thingport.rest.internal.events;

import static io.thingport.rest.internal.events.FakeDeviceLog.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.device.LogType;
import io.thingport.api.message.MessageType;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventKindTest {
    @ParameterizedTest
    @EnumSource(MessageType.class)
    void anUplinkIsReadByItsMessageType(MessageType type) {
        // Verifies the uplink kinds for every message type: a property report is a property, an event an event, a
        // reply a reply, and any other uplink (online, register, direct, error, requests) no stream's.
        // GIVEN an accepted uplink of that message type, as the device log records it (its topic suffix)
        EventKind expected = switch (type) {
            case REPORT_PROPERTIES -> EventKind.PROPERTY;
            case EVENT -> EventKind.EVENT;
            case READ_PROPERTIES_REPLY, WRITE_PROPERTIES_REPLY, INVOKE_FUNCTION_REPLY, REGISTER_REPLY -> EventKind.REPLY;
            default -> null;
        };

        // WHEN its kind is read
        EventKind kind = EventKind.of(entry(1, LogType.UPLINK, type.topicSuffix(), "p1", "d1"));

        // THEN it is the expected one
        assertThat(kind).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(MessageType.class)
    void aDownlinkIsACommandOnlyWhenItIsOne(MessageType type) {
        // Verifies the downlink kinds for every message type: read, write and invoke are commands; the platform's
        // other downlinks (a registration's reply carrying the device secret, an error report about a rejected
        // uplink) are no command and no stream's.
        // GIVEN a downlink of that message type
        Set<MessageType> commands = EnumSet.of(MessageType.READ_PROPERTIES, MessageType.WRITE_PROPERTIES,
                MessageType.INVOKE_FUNCTION);

        // WHEN its kind is read
        EventKind kind = EventKind.of(entry(1, LogType.DOWNLINK, type.topicSuffix(), "p1", "d1"));

        // THEN only commands are COMMAND
        assertThat(kind).isEqualTo(commands.contains(type) ? EventKind.COMMAND : null);
    }

    @Test
    void connectionsAndRejectionsAreTheirOwnKindWhateverTheirMessageType() {
        // Verifies ONLINE, OFFLINE and REJECTED entries: their kind follows the entry type alone.
        // GIVEN such entries with and without a message type
        for (String messageType : new String[] {"", "online", "properties/report", null}) {
            // WHEN / THEN each keeps its type's kind
            assertThat(EventKind.of(entry(1, LogType.ONLINE, messageType, "p1", "d1"))).isEqualTo(EventKind.ONLINE);
            assertThat(EventKind.of(entry(1, LogType.OFFLINE, messageType, "p1", "d1"))).isEqualTo(EventKind.OFFLINE);
            assertThat(EventKind.of(entry(1, LogType.REJECTED, messageType, "p1", "d1"))).isEqualTo(EventKind.REJECTED);
        }
    }

    @Test
    void refusedLoginsAndRegistrationsAreNoStreamsKind() {
        // Verifies that AUTH_REFUSED and REGISTERED entries are carried by no stream.
        // GIVEN such entries
        // WHEN / THEN their kind is null
        assertThat(EventKind.of(entry(1, LogType.AUTH_REFUSED, "", "p1", "d1"))).isNull();
        assertThat(EventKind.of(entry(1, LogType.REGISTERED, "register", "p1", "d1"))).isNull();
    }

    @Test
    void uplinksWithoutOrWithUnusualMessageTypes() {
        // Verifies the uplink edge cases: a sub-typed event ("event/alarm") is an event, any ".../reply" a reply, and
        // an empty or missing message type no stream's (nor a downlink without one).
        // GIVEN uplinks with such message types
        // WHEN / THEN
        assertThat(EventKind.of(entry(1, LogType.UPLINK, "event/alarm", "p1", "d1"))).isEqualTo(EventKind.EVENT);
        assertThat(EventKind.of(entry(1, LogType.UPLINK, "custom/reply", "p1", "d1"))).isEqualTo(EventKind.REPLY);
        assertThat(EventKind.of(entry(1, LogType.UPLINK, "events", "p1", "d1"))).isNull();
        assertThat(EventKind.of(entry(1, LogType.UPLINK, "", "p1", "d1"))).isNull();
        assertThat(EventKind.of(entry(1, LogType.UPLINK, null, "p1", "d1"))).isNull();
        assertThat(EventKind.of(entry(1, LogType.DOWNLINK, "", "p1", "d1"))).isNull();
        assertThat(EventKind.of(entry(1, LogType.DOWNLINK, null, "p1", "d1"))).isNull();
    }

    @Test
    void everyKindIsReachable() {
        // Verifies that each kind a client may select is produced by some entry (no kind streams nothing).
        // GIVEN one entry of every log type and message type
        Set<EventKind> seen = EnumSet.noneOf(EventKind.class);
        for (LogType logType : LogType.values()) {
            for (MessageType messageType : MessageType.values()) {
                // WHEN its kind is read
                EventKind k = EventKind.of(entry(1, logType, messageType.topicSuffix(), "p1", "d1"));
                if (k != null) {
                    seen.add(k);
                }
            }
        }

        // THEN every kind occurred
        assertThat(seen).containsExactlyInAnyOrder(EventKind.values());
    }

    @Test
    void fromNameReadsAnyCaseAndBlanksAndRefusesOthers() {
        // Verifies fromName(): each wire name in any case and with surrounding blanks; anything else is null.
        // GIVEN every kind's name in several spellings
        for (EventKind k : EventKind.values()) {
            // WHEN / THEN each reads back
            assertThat(k.wireName()).isEqualTo(k.name().toLowerCase(Locale.ROOT));
            assertThat(EventKind.fromName(k.wireName())).isEqualTo(k);
            assertThat(EventKind.fromName(" " + k.name() + " ")).isEqualTo(k);
        }
        assertThat(EventKind.fromName("properties")).isNull();
        assertThat(EventKind.fromName("")).isNull();
        assertThat(EventKind.fromName("on line")).isNull();
    }
}
