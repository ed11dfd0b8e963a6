package io.thingport.api.rule;

import java.util.List;
import java.util.Map;

/**
 * What a statement does with one message: whether it matched the sources, the selected row (or {@code null} when the WHERE
 * clause filtered it out), an evaluation error, and what each action would receive.
 */
public record DryRunResult(String topic, boolean matched, Map<String, Object> row, String error, List<String> actionInputs) {
}
