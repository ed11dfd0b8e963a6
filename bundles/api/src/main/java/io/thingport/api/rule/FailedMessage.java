package io.thingport.api.rule;

/**
 * A row an action gave up on, kept in the failed-message store until an operator replays or discards it.
 *
 * @param action  the action's position in the rule ({@code actions[0]}, {@code fallbacks[1]}) and type
 * @param payload the selected row as JSON, as the action received it
 */
public record FailedMessage(long id, String ruleId, String action, String deviceId, String error, String payload, int attempts,
                            long failedAt) {
}
