package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.rule.ActionSpec;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.RestJson;
import io.thingport.rest.internal.resources.RuleResource.ActionView;
import io.thingport.rest.internal.resources.RuleResource.RuleBody;
import io.thingport.rest.internal.resources.RuleResource.RuleView;
import io.thingport.rest.internal.resources.RuleResource.TestBody;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class RuleResourceTest {
    private static final String SQL = "SELECT temp FROM \"/p/+/properties/report\" WHERE temp > 30";

    private final FakeRuleService service = new FakeRuleService();
    private final RuleResource resource = Callers.as(Callers.OPERATOR, new RuleResource(service));

    private static RuleBody body(String id, Boolean enabled, Map<String, String> httpOptions) {
        return new RuleBody(id, "hot", SQL, List.of(new ActionView("http", httpOptions)), null, enabled);
    }

    private static String etag(Response r) {
        return "\"" + r.getEntityTag().getValue() + "\"";
    }

    // Verifies that a rule's JSON maps onto the definition the shell's rule file gives, enabled unless it says otherwise.
    @Test
    void mapsARuleBodyOntoADefinition() throws Exception {
        // GIVEN a rule as iot:rule-export writes one, without "enabled"
        RuleBody body = RestJson.MAPPER.readValue("{\"id\":\"hot\",\"description\":\"d\",\"sql\":\"" + SQL.replace("\"", "\\\"")
                + "\",\"actions\":[{\"type\":\"kafka\",\"options\":{\"datasource\":\"k1\",\"topic\":\"t\"}}],"
                + "\"fallbacks\":[{\"type\":\"log\"}]}", RuleBody.class);

        // WHEN it becomes a definition for a new rule
        RuleDefinition d = RuleResource.definition(body, null, true);

        // THEN every part is there, and the rule is enabled
        assertThat(d).isEqualTo(new RuleDefinition("hot", "d", SQL, List.of(new ActionSpec("kafka", Map.of("datasource", "k1",
                "topic", "t"))), List.of(new ActionSpec("log", Map.of())), true));
    }

    // Verifies that what the API requires of a rule is refused naming the field: id, sql, an action's type, the path's id.
    @Test
    void refusesAnIncompleteRuleNamingTheField() {
        // GIVEN / WHEN / THEN
        assertThatThrownBy(() -> RuleResource.definition(new RuleBody(null, null, SQL, null, null, null), null, true))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("id");
        assertThatThrownBy(() -> RuleResource.definition(new RuleBody("r", null, " ", null, null, null), null, true))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("sql");
        assertThatThrownBy(() -> RuleResource.definition(new RuleBody("r", null, SQL, List.of(new ActionView(null, null)), null,
                null), null, true)).extracting(e -> ((FieldException) e).field()).isEqualTo("actions[0].type");
        assertThatThrownBy(() -> RuleResource.definition(body("other", null, Map.of()), "r", true))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("id");
    }

    // Verifies that a created rule is answered 201 with its secrets masked, and stored with them.
    @Test
    void createsARuleAndMasksItsSecrets() {
        // GIVEN a rule whose webhook carries a bearer token
        RuleBody body = body("hot", null, Map.of("url", "https://h.example/x", "header.Authorization", "Bearer t0k"));

        // WHEN it is created
        Response r = resource.create(body);

        // THEN the answer shows the mask, the engine holds the token, and the rule is enabled at version 1
        RuleView view = (RuleView) r.getEntity();
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(view.definition().actions().get(0).options()).containsEntry("header.Authorization", RuleSecrets.MASK);
        assertThat(view.definition().enabled()).isTrue();
        assertThat(view.version()).isEqualTo(1);
        assertThat(service.rules.get("hot").definition().actions().get(0).option("header.Authorization")).isEqualTo("Bearer t0k");
    }

    // Verifies that a rule read, edited as JSON and sent back with its ETag goes to the engine with the stored version as the
    // expected one, keeps its masked secrets and its enabled state, and answers the new version's ETag.
    @Test
    void updatesARuleReadAndSentBackWithIfMatch() throws Exception {
        // GIVEN a disabled rule read with its ETag
        resource.create(body("hot", false, Map.of("url", "https://a", "secret", "s1")));
        Response read = resource.get("hot");
        String json = RestJson.MAPPER.writeValueAsString(((RuleView) read.getEntity()).definition());

        // WHEN its definition's JSON is sent back with a new description (the secret still masked, as it was shown)
        RuleBody edited = RestJson.MAPPER.readValue(json.replace("\"hot\",\"description\":\"hot\"",
                "\"hot\",\"description\":\"hotter\""), RuleBody.class);
        Response updated = resource.update("hot", etag(read), edited);

        // THEN the engine was asked for version 1, stored the secret and the disabled state, and the ETag changed
        assertThat(json).doesNotContain("s1");
        assertThat(service.lastExpectedVersion).isEqualTo(1);
        RuleDefinition stored = service.rules.get("hot").definition();
        assertThat(stored.actions().get(0).options()).containsEntry("secret", "s1").containsEntry("url", "https://a");
        assertThat(stored.description()).isEqualTo("hotter");
        assertThat(stored.enabled()).isFalse();
        assertThat(((RuleView) updated.getEntity()).version()).isEqualTo(2);
        assertThat(etag(updated)).isNotEqualTo(etag(read));
    }

    // Verifies that an update with a stale ETag is refused with 412 and changes nothing, and one without If-Match has no
    // expected version.
    @Test
    void refusesAStaleIfMatch() {
        // GIVEN a rule read, then changed by someone else
        resource.create(body("hot", true, Map.of("url", "https://a")));
        String stale = etag(resource.get("hot"));
        resource.disable("hot");

        // WHEN it is updated with the old ETag / without one
        // THEN the first is refused as a failed precondition, the second goes through unconditionally
        assertThatThrownBy(() -> resource.update("hot", stale, body(null, null, Map.of("url", "https://b"))))
                .isInstanceOf(ThingportException.class).extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(service.rules.get("hot").version()).isEqualTo(2);
        resource.update("hot", null, body(null, null, Map.of("url", "https://b")));
        assertThat(service.lastExpectedVersion).isNull();
    }

    // Verifies that the engine's refusal of a version that changed meanwhile is answered as a failed precondition too.
    @Test
    void answersARaceLostInTheEngineAsAFailedPrecondition() {
        // GIVEN a rule whose version the engine finds stale as it stores the update
        resource.create(body("hot", true, Map.of("url", "https://a")));
        String tag = etag(resource.get("hot"));
        service.staleOnUpdate = true;

        // WHEN / THEN
        assertThatThrownBy(() -> resource.update("hot", tag, body(null, null, Map.of("url", "https://b"))))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
    }

    // Verifies that the export masks secrets and an import of that export keeps the stored ones, through importJson.
    @Test
    void exportsMaskedAndImportsBackWithTheStoredSecrets() throws Exception {
        // GIVEN a rule with a webhook secret
        resource.create(body("hot", true, Map.of("url", "https://a", "secret", "s1")));

        // WHEN it is exported and the export imported again
        JsonNode export = resource.export(List.of("hot"));
        resource.importRules(export.toString().getBytes(StandardCharsets.UTF_8));

        // THEN the export has no secret, the engine received the document with the secret, and the rule keeps it
        assertThat(export.toString()).doesNotContain("s1");
        assertThat(service.lastImport).contains("\"s1\"");
        assertThat(service.rules.get("hot").definition().actions().get(0).option("secret")).isEqualTo("s1");
        assertThat(service.rules.get("hot").version()).isEqualTo(2);
    }

    // Verifies that a dry run takes a stored rule by id or a rule as sent (named rule-test when it has no id), not both.
    @Test
    void triesAStoredRuleOrASentOne() throws Exception {
        // GIVEN a stored rule and a sample message
        resource.create(body("hot", true, Map.of("url", "https://a")));
        JsonNode message = RestJson.MAPPER.readTree("{\"topic\":\"/p/d/properties/report\",\"payload\":{}}");

        // WHEN it is tried by id, then a rule without id is tried
        resource.test(new TestBody("hot", null, message));
        String storedTried = service.lastTested.id();
        resource.test(new TestBody(null, new RuleBody(null, null, SQL, List.of(new ActionView("log", null)), null, null), message));

        // THEN the engine got each rule and the message; both at once is refused
        assertThat(storedTried).isEqualTo("hot");
        assertThat(service.lastTested.id()).isEqualTo(RuleResource.TEST_RULE_ID);
        assertThat(RestJson.MAPPER.readTree(service.lastTestMessage)).isEqualTo(message);
        assertThatThrownBy(() -> resource.test(new TestBody("hot", body(null, null, Map.of()), message)))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("rule");
    }

    // Verifies that a rollback needs the version, and makes it current as a new version.
    @Test
    void rollsBackToAVersion() {
        // GIVEN a rule at version 2
        resource.create(body("hot", true, Map.of("url", "https://a")));
        resource.update("hot", null, body(null, null, Map.of("url", "https://b")));

        // WHEN it is rolled back to 1
        Response r = resource.rollback("hot", 1);

        // THEN it is version 3 with version 1's url; without a version it is refused
        RuleView v = (RuleView) r.getEntity();
        assertThat(v.version()).isEqualTo(3);
        assertThat(v.definition().actions().get(0).options()).containsEntry("url", "https://a");
        assertThatThrownBy(() -> resource.rollback("hot", null)).extracting(e -> ((FieldException) e).field())
                .isEqualTo("version");
    }

    // Verifies that the history pages in version order, past version 9.
    @Test
    void pagesTheHistoryInVersionOrder() {
        // GIVEN a rule changed 10 times (11 versions)
        resource.create(body("hot", true, Map.of("url", "https://a")));
        for (int i = 0; i < 10; i++) {
            resource.update("hot", null, body(null, null, Map.of("url", "https://" + i)));
        }

        // WHEN its history is read 5 at a time
        var first = resource.history("hot", null, 5);
        var second = resource.history("hot", first.next(), 5);
        var third = resource.history("hot", second.next(), 5);

        // THEN the versions come 1..11 in order
        assertThat(first.items()).extracting(RuleResource.VersionView::version).containsExactly(1, 2, 3, 4, 5);
        assertThat(second.items()).extracting(RuleResource.VersionView::version).containsExactly(6, 7, 8, 9, 10);
        assertThat(third.items()).extracting(RuleResource.VersionView::version).containsExactly(11);
        assertThat(third.next()).isNull();
    }

    // Verifies that a caller limited to some products may not use the rule engine at all, whatever its role.
    @Test
    void refusesACallerLimitedToSomeProducts() {
        // GIVEN an admin application limited to product p1
        RuleResource limited = Callers.as(Callers.LIMITED_ADMIN, new RuleResource(service));
        resource.create(body("hot", true, Map.of("url", "https://a")));

        // WHEN / THEN reads and changes are forbidden
        assertThatThrownBy(() -> limited.list(null, null)).extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> limited.get("hot")).extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> limited.delete("hot")).extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(service.rules).containsKey("hot");
    }
}
