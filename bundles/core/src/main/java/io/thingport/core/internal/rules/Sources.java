package io.thingport.core.internal.rules;

import io.thingport.api.device.AlarmService;
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
    static final Map<String, List<String>> EVENTS = Map.of(
            "$events/device/online", List.of("/device/+/+/online"),
            "$events/device/offline", List.of("/device/+/+/offline"),
            "$events/command/reply", List.of("/device/+/+/properties/read/reply", "/device/+/+/properties/write/reply",
                    "/device/+/+/function/invoke/reply"),
            "$events/message/rejected", List.of("/device/+/+/error"),
            "$events/device/alarm", List.of("/device/+/+/event/" + AlarmService.EVENT_ID));

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
