package io.thingport.core.internal.rules;

import io.thingport.api.device.AlarmService;
import io.thingport.api.device.CommandState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rule's FROM sources as filters of the platform's event topic ({@link io.thingport.api.device.DeviceEventBus}): a topic
 * filter of the official topic space {@code /thermo/+/properties/report} is {@code /device/thermo/+/properties/report}
 * there, and each platform event stands for the messages that make it.
 */
public final class Sources {
    static final Map<String, List<String>> EVENTS = Map.ofEntries(
            queueEvent(CommandState.QUEUED), queueEvent(CommandState.SENT), queueEvent(CommandState.REPLIED),
            queueEvent(CommandState.EXPIRED), queueEvent(CommandState.FAILED), queueEvent(CommandState.CANCELLED),
            Map.entry("$events/device/online", List.of("/device/+/+/online")),
            Map.entry("$events/device/offline", List.of("/device/+/+/offline")),
            Map.entry("$events/command/reply", List.of("/device/+/+/properties/read/reply", "/device/+/+/properties/write/reply",
                    "/device/+/+/function/invoke/reply")),
            Map.entry("$events/message/rejected", List.of("/device/+/+/error")),
            Map.entry("$events/device/alarm", List.of("/device/+/+/event/" + AlarmService.EVENT_ID)));

    /** {@code $events/command/queued} and the other transitions of queued commands ({@link CommandState#eventId()}). */
    private static Map.Entry<String, List<String>> queueEvent(CommandState state) {
        return Map.entry("$events/command/" + state.wireName(), List.of("/device/+/+/event/" + state.eventId()));
    }

    private Sources() {
    }

    /** The event-topic filters of the sources, each once (the statement's parser has checked their form). */
    public static List<String> busFilters(List<String> sources) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : sources) {
            List<String> event = EVENTS.get(s);
            if (event != null) {
                out.addAll(event);
            } else {
                out.add(MessageFields.BUS_PREFIX + s);
            }
        }
        return new ArrayList<>(out);
    }
}
