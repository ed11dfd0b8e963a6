package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.rule.ActionSpec;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.RestJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleSecretsTest {
    private static final String SQL = "SELECT temp FROM \"/p/+/properties/report\"";

    private static RuleDefinition rule(ActionSpec... actions) {
        return new RuleDefinition("r1", "", SQL, List.of(actions), List.of(), true);
    }

    // Verifies that credentials an action sends are masked and ordinary options are shown as they are.
    @Test
    void masksSecretOptionsOnly() {
        // GIVEN an http action with a bearer header, a webhook secret and a url
        Map<String, String> options = Map.of("url", "https://hooks.example/x", "header.Authorization", "Bearer abc",
                "secret", "k3y", "header.X-Api-Key", "zzz", "password", "pw", "header.Accept", "application/json");

        // WHEN it is masked
        Map<String, String> shown = RuleSecrets.masked(options);

        // THEN every credential is the mask, the rest unchanged
        assertThat(shown).containsEntry("url", "https://hooks.example/x").containsEntry("header.Accept", "application/json")
                .containsEntry("header.Authorization", RuleSecrets.MASK).containsEntry("secret", RuleSecrets.MASK)
                .containsEntry("header.X-Api-Key", RuleSecrets.MASK).containsEntry("password", RuleSecrets.MASK);
    }

    // Verifies that a rule sent back with a masked secret keeps the stored value of the same, unchanged action, and that
    // a secret never follows an action whose destination was changed (it would be sent to the new url).
    @Test
    void restoresAMaskedSecretFromTheSameAction() {
        // GIVEN a stored http action with a secret
        RuleDefinition stored = rule(new ActionSpec("http", Map.of("url", "https://a", "secret", "s3cr3t")));

        // WHEN it is sent back masked and unchanged, or masked with another url
        RuleDefinition same = RuleSecrets.restored(rule(new ActionSpec("http", Map.of("url", "https://a", "secret",
                RuleSecrets.MASK))), stored, "");
        RuleDefinition redirected = rule(new ActionSpec("http", Map.of("url", "https://attacker", "secret",
                RuleSecrets.MASK)));

        // THEN the first keeps the stored secret, the second is refused naming the option
        assertThat(same.actions().get(0).options()).containsEntry("secret", "s3cr3t").containsEntry("url", "https://a");
        assertThatThrownBy(() -> RuleSecrets.restored(redirected, stored, "")).isInstanceOf(FieldException.class)
                .hasMessageContaining("actions[0].options.secret").hasMessageContaining("other options changed");
    }

    // Verifies that a masked secret with nothing to keep (new rule, other position, other type) is refused, naming it.
    @Test
    void refusesAMaskWithNothingStored() {
        // GIVEN a stored http action at actions[0] and a kafka action with a masked password at the same position
        RuleDefinition stored = rule(new ActionSpec("http", Map.of("url", "https://a", "password", "pw")));
        RuleDefinition sent = rule(new ActionSpec("kafka", Map.of("topic", "t", "password", RuleSecrets.MASK)));

        // WHEN / THEN restoring against that rule, or for a new rule, is refused naming the option
        assertThatThrownBy(() -> RuleSecrets.restored(sent, stored, "")).isInstanceOf(FieldException.class)
                .extracting(e -> ((FieldException) e).field()).isEqualTo("actions[0].options.password");
        assertThatThrownBy(() -> RuleSecrets.restored(sent, null, "rule.")).isInstanceOf(FieldException.class)
                .extracting(e -> ((FieldException) e).field()).isEqualTo("rule.actions[0].options.password");
    }

    // Verifies that the mask in an option that is not secret is an ordinary value.
    @Test
    void leavesTheMaskTextOfAnOrdinaryOption() {
        // GIVEN a log action whose message is literally the mask text
        RuleDefinition sent = rule(new ActionSpec("log", Map.of("message", RuleSecrets.MASK)));

        // WHEN restored for a new rule
        RuleDefinition restored = RuleSecrets.restored(sent, null, "");

        // THEN it is kept as written
        assertThat(restored.actions().get(0).option("message")).isEqualTo(RuleSecrets.MASK);
    }

    // Verifies that an export document is masked, and an import of it gets the stored secrets of existing rules back.
    @Test
    void masksAndRestoresAnExportDocument() throws Exception {
        // GIVEN an export of a rule with a jdbc password in a fallback
        String json = "{\"rules\":[{\"id\":\"r1\",\"description\":\"\",\"sql\":\"x\",\"enabled\":true,\"actions\":[],"
                + "\"fallbacks\":[{\"type\":\"jdbc\",\"options\":{\"datasource\":\"db\",\"password\":\"pw\"}}]}]}";
        RuleDefinition stored = RestJson.MAPPER.treeToValue(RestJson.MAPPER.readTree(json).path("rules").get(0),
                RuleDefinition.class);

        // WHEN it is masked, then restored
        JsonNode masked = RuleSecrets.maskedDocument(RestJson.MAPPER.readTree(json));
        String shown = masked.toString();
        JsonNode restored = RuleSecrets.restoredDocument(masked, id -> id.equals("r1") ? Optional.of(stored) : Optional.empty());

        // THEN the shown document has no password, and the restored one has it again
        assertThat(shown).doesNotContain("\"pw\"").contains(RuleSecrets.MASK);
        assertThat(restored.path("rules").get(0).path("fallbacks").get(0).path("options").path("password").asText())
                .isEqualTo("pw");
    }

    // Verifies that an import naming a rule that does not exist with a masked secret is refused, naming the rule's field.
    @Test
    void refusesAMaskedImportOfANewRule() throws Exception {
        // GIVEN a document whose second rule is new and has a masked secret
        JsonNode document = RestJson.MAPPER.readTree("{\"rules\":[{\"id\":\"a\",\"actions\":[]},{\"id\":\"b\",\"actions\":"
                + "[{\"type\":\"http\",\"options\":{\"secret\":\"" + RuleSecrets.MASK + "\"}}]}]}");

        // WHEN / THEN it is refused naming rules[1]
        assertThatThrownBy(() -> RuleSecrets.restoredDocument(document, id -> Optional.empty()))
                .isInstanceOf(FieldException.class).extracting(e -> ((FieldException) e).field())
                .isEqualTo("rules[1].actions[0].options.secret");
    }
}
