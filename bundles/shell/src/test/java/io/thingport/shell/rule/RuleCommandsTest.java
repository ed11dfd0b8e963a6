package io.thingport.shell.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.rule.ActionSpec;
import io.thingport.api.rule.DryRunResult;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleMetrics;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.Fakes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule commands: the definitions they hand the rule engine, and what they print (escaped, secrets masked). */
class RuleCommandsTest {
    private static final String SQL = "SELECT deviceId, temp FROM \"/thermo/+/properties/report\"\nWHERE temp > 30";
    private static final String PASSWORD = "Sup3rSecretPass-42";

    private final List<RuleDefinition> created = new ArrayList<>();

    private RuleService recording() {
        return Fakes.service(RuleService.class, Map.of("create", args -> {
            RuleDefinition rule = (RuleDefinition) args[0];
            created.add(rule);
            return new RuleInfo(rule, 1, 1_700_000_000_000L, rule.enabled() ? "running" : "disabled");
        }));
    }

    @Test
    void createTakesTheStatementFromAFileAndTheActionsFromTheArguments(@TempDir Path dir) throws Exception {
        // Verifies that rule-create builds the definition from <id> <statement-file> <action>... and --fallback,
        // --description, --disabled, the statement without its surrounding blank lines.
        // GIVEN
        Path sql = Files.writeString(dir.resolve("hot.sql"), "\n" + SQL + "\n\n");
        RuleCreateCommand command = new RuleCreateCommand();
        command.rules = recording();
        command.id = "hot";
        command.statementFile = sql.toString();
        command.actions = List.of("kafka:datasource=k1,topic=temps,key=${deviceId}", "log:");
        command.fallbacks = List.of("jdbc:datasource=db,table=failed");
        command.description = "too hot";
        command.disabled = true;
        // WHEN
        String out = Fakes.output(command::execute);
        // THEN
        assertThat(created).containsExactly(new RuleDefinition("hot", "too hot", SQL,
                List.of(new ActionSpec("kafka", Map.of("datasource", "k1", "topic", "temps", "key", "${deviceId}")),
                        new ActionSpec("log", Map.of())),
                List.of(new ActionSpec("jdbc", Map.of("datasource", "db", "table", "failed"))), false));
        assertThat(out).isEqualTo("Rule hot created (version 1): disabled" + System.lineSeparator());
    }

    @Test
    void createTakesAWholeRuleFromAJsonFile(@TempDir Path dir) throws Exception {
        // Verifies rule-create --file: a rule as rule-export writes one (a value may hold commas there), or an export
        // document of one rule; without "enabled" the rule is enabled, with --disabled it is not.
        // GIVEN
        String rule = "{\"id\":\"hook\",\"description\":\"d\",\"sql\":\"SELECT * FROM \\\"/a/#\\\"\","
                + "\"actions\":[{\"type\":\"http\",\"options\":{\"url\":\"http://127.0.0.1/h\",\"body\":\"{\\\"a\\\":1,\\\"b\\\":2}\"}}],"
                + "\"fallbacks\":[{\"type\":\"log\",\"options\":{}}]}";
        Path single = Files.writeString(dir.resolve("rule.json"), rule);
        Path document = Files.writeString(dir.resolve("rules.json"), "{\"rules\":[" + rule.replace("\"id\":", "\"enabled\":false,\"id\":")
                + "]}");
        RuleCreateCommand command = new RuleCreateCommand();
        command.rules = recording();
        // WHEN
        command.file = single.toString();
        Fakes.output(command::execute);
        command.file = document.toString();
        Fakes.output(command::execute);
        command.file = single.toString();
        command.disabled = true;
        Fakes.output(command::execute);
        // THEN
        RuleDefinition expected = new RuleDefinition("hook", "d", "SELECT * FROM \"/a/#\"",
                List.of(new ActionSpec("http", Map.of("url", "http://127.0.0.1/h", "body", "{\"a\":1,\"b\":2}"))),
                List.of(new ActionSpec("log", Map.of())), true);
        assertThat(created).containsExactly(expected, expected.withEnabled(false), expected.withEnabled(false));
    }

    @Test
    void createSaysWhatIsMissingOrTooMuch(@TempDir Path dir) throws Exception {
        // Verifies the refusals of rule-create: neither --file nor the arguments, no action, --file with arguments, a file
        // that is not a rule; none reaches the rule engine.
        Path sql = Files.writeString(dir.resolve("hot.sql"), SQL);
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"id\":\"x\",\"sql\":\"S\",\"action\":[]}");
        Path noId = Files.writeString(dir.resolve("noid.json"), "{\"sql\":\"S\"}");
        RuleCreateCommand command = new RuleCreateCommand();
        command.rules = recording();
        assertThatThrownBy(command::execute).isInstanceOf(CommandException.class)
                .hasMessage("give <id> <statement-file> <action>... (at least one action), or the whole rule with --file rule.json");
        command.id = "hot";
        command.statementFile = sql.toString();
        assertThatThrownBy(command::execute).hasMessageStartingWith("give <id> <statement-file> <action>...");
        command.file = bad.toString();
        assertThatThrownBy(command::execute).hasMessageStartingWith("--file holds the whole rule: give no <id>");
        command.id = null;
        assertThatThrownBy(command::execute).hasMessageStartingWith(bad + " is not a rule: Unrecognized field \"action\"");
        command.file = noId.toString();
        assertThatThrownBy(command::execute).hasMessage(noId + ": the rule has no id");
        assertThat(created).isEmpty();
    }

    @Test
    void infoShowsTheDefinitionWithoutSecretsAndEscaped() throws Exception {
        // Verifies rule-info: statement lines, each action's options in key order with a password or secret masked,
        // control characters from the definition escaped, and the metrics with latencies in ms.
        // GIVEN
        Map<String, String> options = new LinkedHashMap<>();
        options.put("url", "http://127.0.0.1/h");
        options.put("password", PASSWORD);
        options.put("clientSecret", PASSWORD);
        RuleDefinition rule = new RuleDefinition("hook", "note\u001b[2J", SQL, List.of(new ActionSpec("http", options)), List.of(),
                true);
        RuleInfoCommand command = new RuleInfoCommand();
        command.rules = Fakes.service(RuleService.class, Map.of(
                "get", args -> Optional.of(new RuleInfo(rule, 4, 1_700_000_000_000L, "running")),
                "metrics", args -> new RuleMetrics("hook", 10, 8, 2, 0, 1.25, 3, 0.5,
                        List.of(new RuleMetrics.ActionMetrics("actions[0] http", 8, 0, 0, 1, 0, 1_250, 20_049, 31_000)))));
        command.id = "hook";
        // WHEN
        String out = Fakes.output(command::execute);
        // THEN
        assertThat(out).doesNotContain(PASSWORD).doesNotContain("\u001b")
                .contains("Description: note\\u001b[2J", "Version:     4", "Statement:\n  SELECT deviceId, temp FROM"
                        + " \"/thermo/+/properties/report\"\n  WHERE temp > 30\n", "Actions:\n  actions[0] http\n"
                        + "    clientSecret = ******\n    password = ******\n    url = http://127.0.0.1/h\nFallbacks: -\n",
                        "matched 10, passed 8, filtered 2, failed 0; 1.3/s now, 3.0/s max, 0.5/s over 5 min",
                        "latency p50 1.3 ms, p99 20.0 ms, max 31.0 ms");
    }

    @Test
    void exportToTheConsoleMasksSecretOptions() throws Exception {
        // Verifies that rule-export prints the document pretty with secret action options masked (a file keeps them).
        RuleExportCommand command = new RuleExportCommand();
        command.rules = Fakes.service(RuleService.class, Map.of("exportJson", args -> "{\"rules\":[{\"id\":\"hook\",\"actions\":"
                + "[{\"type\":\"http\",\"options\":{\"password\":\"" + PASSWORD + "\",\"url\":\"u\"}}],\"fallbacks\":[]}]}"));
        String out = Fakes.output(command::execute);
        assertThat(out).doesNotContain(PASSWORD).contains("\"password\" : \"******\"", "\"url\" : \"u\"");
    }

    @Test
    void testTriesAStatementFileWithOneLogActionAndPrintsEachResult(@TempDir Path dir) throws Exception {
        // Verifies rule-test --statement --device: the definition it builds, the count, and one line per message (matched
        // with its row, filtered out, an error, not matched) with the action inputs, escaped.
        // GIVEN
        Path sql = Files.writeString(dir.resolve("hot.sql"), SQL);
        List<Object> asked = new ArrayList<>();
        RuleTestCommand command = new RuleTestCommand();
        command.rules = Fakes.service(RuleService.class, Map.of("testStored", args -> {
            asked.addAll(List.of(args));
            return List.of(new DryRunResult("/thermo/t-1/properties/report", true, Map.of("temp", 31), null, List.of("{\"temp\":31}")),
                    new DryRunResult("/thermo/t-1/properties/report", true, null, null, List.of()),
                    new DryRunResult("/thermo/t-1/properties/report", true, null, "division by zero", List.of()),
                    new DryRunResult("/thermo/t-1/online\u001b[2J", false, null, null, List.of()));
        }));
        command.statementFile = sql.toString();
        command.deviceId = "t-1";
        command.count = 4;
        // WHEN
        String out = Fakes.output(command::execute);
        // THEN
        assertThat(asked).containsExactly(new RuleDefinition(RuleTestCommand.STATEMENT_RULE_ID, "", SQL,
                List.of(new ActionSpec("log", Map.of())), List.of(), true), "t-1", 4);
        assertThat(out.lines()).containsExactly(
                "/thermo/t-1/properties/report: matched, row {\"temp\":31}",
                "  action input: {\"temp\":31}",
                "/thermo/t-1/properties/report: matched, filtered out",
                "/thermo/t-1/properties/report: matched, error: division by zero",
                "/thermo/t-1/online\\u001b[2J: not matched (not one of the statement's sources)");
    }

    @Test
    void testNeedsExactlyOneRuleAndOneSourceOfMessages(@TempDir Path dir) throws Exception {
        // Verifies the refusals of rule-test when the rule or the messages are missing or given twice.
        RuleTestCommand command = new RuleTestCommand();
        command.rules = Fakes.service(RuleService.class, Map.of());
        command.id = "hot";
        assertThatThrownBy(command::execute).hasMessage("give the messages to try: --message FILE or --device D (one of them)");
        command.deviceId = "t-1";
        command.statementFile = Files.writeString(dir.resolve("hot.sql"), SQL).toString();
        assertThatThrownBy(command::execute).hasMessage("give the rule to try: a rule <id>, --file rule.json or --statement FILE"
                + " (only one of them)");
    }
}
