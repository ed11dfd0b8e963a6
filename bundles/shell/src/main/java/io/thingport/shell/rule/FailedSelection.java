package io.thingport.shell.rule;

import io.thingport.api.ThingportException;

/**
 * Which failed messages {@code rule-failed-replay} and {@code rule-failed-discard} act on: one by id, all of a rule, or
 * all; exactly one of the three must be given.
 *
 * @param id     the message, or {@code null}
 * @param ruleId the rule, or {@code null} (both {@code null}: all)
 */
record FailedSelection(Long id, String ruleId) {

    static FailedSelection of(Long id, String ruleId, boolean all) {
        int given = (id != null ? 1 : 0) + (ruleId != null ? 1 : 0) + (all ? 1 : 0);
        if (given == 0) {
            throw ThingportException.invalidArgument("say which failed messages: an <id>, --rule R (all of a rule) or --all");
        }
        if (given > 1) {
            throw ThingportException.invalidArgument("give only one of <id>, --rule R and --all");
        }
        return new FailedSelection(id, ruleId);
    }

    /** What the selection covers, for the command's confirmation. */
    String describe() {
        return id != null ? "failed message " + id : ruleId != null ? "failed messages of rule " + ruleId : "all failed messages";
    }
}
