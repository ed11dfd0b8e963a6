package io.thingport.shell.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.Fakes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

class FailedSelectionTest {
    private final List<String> calls = new ArrayList<>();

    @Test
    void exactlyOneOfIdRuleAndAllIsTaken() {
        // Verifies the three selections and what each hands the service (id, or rule, or neither for all).
        assertThat(FailedSelection.of(7L, null, false)).isEqualTo(new FailedSelection(7L, null));
        assertThat(FailedSelection.of(null, "hot", false)).isEqualTo(new FailedSelection(null, "hot"));
        assertThat(FailedSelection.of(null, null, true)).isEqualTo(new FailedSelection(null, null));
        assertThat(FailedSelection.of(null, null, true).describe()).isEqualTo("all failed messages");
    }

    @Test
    void noneOrMoreThanOneIsRefused() {
        // Verifies that nothing given is not read as "all", and that two selections together are refused.
        assertThatThrownBy(() -> FailedSelection.of(null, null, false)).isInstanceOf(ThingportException.class)
                .hasMessage("say which failed messages: an <id>, --rule R (all of a rule) or --all");
        assertThatThrownBy(() -> FailedSelection.of(7L, "hot", false)).hasMessage("give only one of <id>, --rule R and --all");
        assertThatThrownBy(() -> FailedSelection.of(7L, null, true)).hasMessage("give only one of <id>, --rule R and --all");
        assertThatThrownBy(() -> FailedSelection.of(null, "hot", true)).hasMessage("give only one of <id>, --rule R and --all");
    }

    @Test
    void replayAndDiscardAskTheServiceOnlyForAValidSelection() throws Exception {
        // Verifies that the commands pass the selection on and print the count, and that a refused selection asks nothing.
        // GIVEN
        RuleService rules = Fakes.service(RuleService.class, Map.of(
                "replay", args -> {
                    calls.add("replay " + args[0] + " " + args[1]);
                    return 3;
                },
                "discard", args -> {
                    calls.add("discard " + args[0] + " " + args[1]);
                    return 1;
                }));
        RuleFailedReplayCommand replay = new RuleFailedReplayCommand();
        replay.rules = rules;
        RuleFailedDiscardCommand discard = new RuleFailedDiscardCommand();
        discard.rules = rules;
        // WHEN
        replay.ruleId = "hot";
        String replayed = Fakes.output(replay::execute);
        discard.id = 42L;
        String discarded = Fakes.output(discard::execute);
        discard.all = true;
        // THEN
        assertThatThrownBy(discard::execute).isInstanceOf(CommandException.class).hasMessage("give only one of <id>, --rule R and --all");
        assertThat(calls).containsExactly("replay null hot", "discard 42 null");
        assertThat(replayed).isEqualTo("3 message(s) handed back to their actions (failed messages of rule hot)" + System.lineSeparator());
        assertThat(discarded).isEqualTo("1 message(s) discarded (failed message 42)" + System.lineSeparator());
    }
}
