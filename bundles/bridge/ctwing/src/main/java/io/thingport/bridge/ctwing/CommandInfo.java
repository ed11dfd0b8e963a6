package io.thingport.bridge.ctwing;

import java.util.Map;
import java.util.Objects;

/**
 * The {@code result} of a create- or query-command answer: the platform's command id, its status (empty when the
 * answer has none) and the whole {@code result} object (unmodifiable) for fields not modelled here.
 */
public record CommandInfo(String commandId, String commandStatus, Map<String, Object> result) {
    public CommandInfo {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(commandStatus, "commandStatus");
        result = JsonValues.immutableCopy(Objects.requireNonNull(result, "result"));
    }
}
