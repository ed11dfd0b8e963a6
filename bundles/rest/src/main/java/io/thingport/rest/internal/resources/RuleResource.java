package io.thingport.rest.internal.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.rule.ActionSpec;
import io.thingport.api.rule.DryRunResult;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleMetrics;
import io.thingport.api.rule.RuleService;
import io.thingport.api.rule.RuleVersion;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.ETags;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import io.thingport.rest.internal.http.RestJson;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * Rules of the rule engine: what {@code iot:rule-*} manages, through the same {@link RuleService} calls. A rule is sent and
 * shown in the form {@code iot:rule-export} writes and {@code iot:rule-create --file} reads
 * ({@code {"id","description","sql","enabled","actions":[{"type","options":{}}],"fallbacks":[...]}}); a stored rule is
 * shown as that {@code definition} with its {@code version}, {@code updatedAt} and {@code state}, and its ETag changes with
 * its version. The secret options of its actions are shown as {@value RuleSecrets#MASK} and kept when a rule comes back
 * with them masked ({@link RuleSecrets}).
 *
 * <p>Rules are platform-wide (a statement selects from every product's topics): a caller limited to some products is
 * refused (403) here, and on the failed-message store and the data sources, whatever its role. Reads need a viewer,
 * changes and dry runs (an authoring tool: they compile the statement they are given) an operator.
 *
 * <p>{@code /rules/export}, {@code /rules/import}, {@code /rules/test} and {@code /rules/failed} are paths of their own:
 * a rule with one of those ids is read and changed through the list, the export and {@code PUT}.
 */
@Path("/rules")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class RuleResource {
    /** The id a rule sent for a dry run gets when it has none. */
    static final String TEST_RULE_ID = "rule-test";
    static final int DEFAULT_TEST_COUNT = 10;

    /** An action or fallback: its type and options; in an answer the secret options are masked. */
    public record ActionView(String type, Map<String, String> options) {
        static ActionView of(ActionSpec a) {
            return new ActionView(a.type(), RuleSecrets.masked(a.options()));
        }
    }

    /** A rule's definition as it is shown (secrets masked). */
    public record DefinitionView(String id, String description, String sql, List<ActionView> actions,
            List<ActionView> fallbacks, boolean enabled) {
        static DefinitionView of(RuleDefinition d) {
            return new DefinitionView(d.id(), d.description(), d.sql(), d.actions().stream().map(ActionView::of).toList(),
                    d.fallbacks().stream().map(ActionView::of).toList(), d.enabled());
        }
    }

    /**
     * A stored rule: its definition (what a {@code PUT} sends back, edited), its version (one more with each change), when
     * it last changed and what runs: {@code running}, {@code disabled} or {@code failed: <why>}.
     */
    public record RuleView(DefinitionView definition, int version, Instant updatedAt, String state) {
        static RuleView of(RuleInfo r) {
            return new RuleView(DefinitionView.of(r.definition()), r.version(), Instant.ofEpochMilli(r.updatedAt()), r.state());
        }
    }

    /** One entry of a rule's history: the definition after a change ({@code created}, {@code updated}, ...). */
    public record VersionView(int version, Instant changedAt, String change, DefinitionView definition) {
        static VersionView of(RuleVersion v) {
            return new VersionView(v.version(), Instant.ofEpochMilli(v.changedAt()), v.change(),
                    DefinitionView.of(v.definition()));
        }
    }

    /**
     * A rule as sent: {@code enabled} left out means enabled for a new rule and unchanged for an update; {@code id} may be
     * left out of an update (the path names the rule).
     */
    public record RuleBody(String id, String description, String sql, List<ActionView> actions, List<ActionView> fallbacks,
            Boolean enabled) {
    }

    /**
     * A dry run: the rule to try, as {@code rule} (a rule as sent; its id may be left out) or as {@code ruleId} (a stored
     * rule), and {@code message}, one message's fields ({@code {"topic":"/p/d/properties/report","payload":{...}}}).
     */
    public record TestBody(String ruleId, RuleBody rule, JsonNode message) {
    }

    /** What the ETag of a rule is computed from: its version changes with every change of the rule. */
    record RuleTag(String id, int version) {
        static RuleTag of(RuleInfo r) {
            return new RuleTag(r.definition().id(), r.version());
        }
    }

    private final RuleService rules;

    @Context
    private SecurityContext security;

    public RuleResource(RuleService rules) {
        this.rules = rules;
    }

    @GET
    public Page<RuleView> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        platformWide("list rules");
        return Pages.of(rules.list().stream().map(RuleView::of).toList(), r -> r.definition().id(), cursor, limit);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response create(RuleBody body) {
        platformWide("create rules");
        RuleDefinition rule = RuleSecrets.restored(definition(body, null, true), null, "");
        RuleInfo created = rules.create(rule);
        return Response.created(URI.create("rules/" + created.definition().id())).entity(RuleView.of(created))
                .tag(ETags.of(RuleTag.of(created))).build();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        platformWide("read rules");
        return withTag(rule(id));
    }

    /**
     * Replaces a rule's definition (as a new version). With {@code If-Match} the update goes ahead only while the rule is
     * the version that was read (412 otherwise), checked again by the rule engine as it stores the change.
     */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public Response update(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, RuleBody body) {
        platformWide("change rules");
        RuleInfo current = rule(id);
        ETags.check(ifMatch, RuleTag.of(current));
        Integer expectedVersion = ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*") ? null
                : current.version();
        RuleDefinition rule = RuleSecrets.restored(definition(body, id, current.definition().enabled()),
                current.definition(), "");
        try {
            return withTag(rules.update(rule, expectedVersion));
        } catch (ThingportException e) {
            if (expectedVersion != null && e.code() == ErrorCode.CONFLICT) {
                throw new FieldException(ErrorCode.PRECONDITION_FAILED, "If-Match",
                        "rule " + id + " changed since it was read: read it again (" + e.getMessage() + ")");
            }
            throw e;
        }
    }

    @DELETE
    @Path("/{id}")
    @Allow(Role.OPERATOR)
    public Response delete(@PathParam("id") String id) {
        platformWide("delete rules");
        rules.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/enable")
    @Allow(Role.OPERATOR)
    public Response enable(@PathParam("id") String id) {
        platformWide("enable rules");
        return withTag(rules.setEnabled(id, true));
    }

    @POST
    @Path("/{id}/disable")
    @Allow(Role.OPERATOR)
    public Response disable(@PathParam("id") String id) {
        platformWide("disable rules");
        return withTag(rules.setEnabled(id, false));
    }

    /** The rule's versions, oldest first. */
    @GET
    @Path("/{id}/history")
    public Page<VersionView> history(@PathParam("id") String id, @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        platformWide("read rules");
        return Pages.of(rules.history(id).stream().map(VersionView::of).toList(), v -> versionKey(v.version()), cursor,
                limit);
    }

    /** Makes an earlier version current again, as a new version. */
    @POST
    @Path("/{id}/rollback")
    @Allow(Role.OPERATOR)
    public Response rollback(@PathParam("id") String id, @QueryParam("version") Integer version) {
        platformWide("roll rules back");
        if (version == null) {
            throw new FieldException("version", "version is required: the version to make current again (see the history)");
        }
        return withTag(rules.rollback(id, version));
    }

    @GET
    @Path("/{id}/metrics")
    public RuleMetrics metrics(@PathParam("id") String id) {
        platformWide("read rule metrics");
        return rules.metrics(id);
    }

    /** Dry run on one sample message: what the statement selects and what each action would receive; nothing is sent. */
    @POST
    @Path("/test")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public DryRunResult test(TestBody body) {
        platformWide("try rules");
        if (body == null) {
            throw new FieldException("body", "send {\"rule\": {...} or \"ruleId\": \"...\", \"message\": {...}}");
        }
        RuleDefinition rule = testRule(body);
        if (body.message() == null || !body.message().isObject()) {
            throw new FieldException("message", "message is required: one message's fields as a JSON object"
                    + " ({\"topic\": \"/<product>/<device>/properties/report\", \"payload\": {...}})");
        }
        return rules.test(rule, body.message().toString());
    }

    /** Dry run of a stored rule on a device's last stored messages, newest first; nothing is sent. */
    @POST
    @Path("/{id}/test-stored")
    @Allow(Role.OPERATOR)
    public List<DryRunResult> testStored(@PathParam("id") String id, @QueryParam("device") String deviceId,
            @QueryParam("count") Integer count) {
        platformWide("try rules");
        if (deviceId == null || deviceId.isBlank()) {
            throw new FieldException("device", "device is required: the device whose stored messages the rule is tried on");
        }
        return rules.testStored(rule(id).definition(), deviceId, count == null ? DEFAULT_TEST_COUNT : count);
    }

    /**
     * The rules (all, or those named by repeated {@code id}) as the document {@code iot:rule-export} writes, secret options
     * masked: an import of it keeps the stored secrets of the rules that exist.
     */
    @GET
    @Path("/export")
    public JsonNode export(@QueryParam("id") List<String> ids) throws JsonProcessingException {
        platformWide("export rules");
        return RuleSecrets.maskedDocument(RestJson.MAPPER.readTree(rules.exportJson(ids == null ? List.of() : ids)));
    }

    /** Creates or updates every rule of an export document, all or none (as {@code iot:rule-import}). */
    @POST
    @Path("/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allow(Role.OPERATOR)
    public List<RuleView> importRules(byte[] body) {
        platformWide("import rules");
        JsonNode document;
        try {
            document = RestJson.MAPPER.readTree(Bodies.text(body));
        } catch (JsonProcessingException e) {
            throw new FieldException("body", "the body is not JSON: " + e.getOriginalMessage());
        }
        if (document == null || !document.isObject()) {
            throw new FieldException("body", "send the rules as {\"rules\": [ ... ]} (as the export writes them)");
        }
        JsonNode restored = RuleSecrets.restoredDocument(document, id -> rules.get(id).map(RuleInfo::definition));
        List<RuleView> out = new ArrayList<>();
        rules.importJson(restored.toString()).forEach(r -> out.add(RuleView.of(r)));
        return out;
    }

    /**
     * A rule as sent turned into a definition, checking what the API itself requires.
     *
     * @param pathId           the rule the path names (an update), or {@code null} (a new rule)
     * @param enabledIfMissing what {@code enabled} is when the body leaves it out
     */
    static RuleDefinition definition(RuleBody body, String pathId, boolean enabledIfMissing) {
        if (body == null) {
            throw new FieldException("body", "send the rule as a JSON object: {\"id\", \"description\", \"sql\", \"enabled\","
                    + " \"actions\": [{\"type\", \"options\": {}}], \"fallbacks\": [...]}");
        }
        String id = body.id() == null ? pathId : body.id();
        if (id == null || id.isBlank()) {
            throw new FieldException("id", "id is required");
        }
        if (pathId != null && !pathId.equals(id)) {
            throw new FieldException("id", "the body's id " + id + " is not the rule the path names (" + pathId + ")");
        }
        if (body.sql() == null || body.sql().isBlank()) {
            throw new FieldException("sql", "sql is required: SELECT ... FROM \"<topic filter>\" WHERE ...");
        }
        return new RuleDefinition(id, body.description(), body.sql(), actions(body.actions(), "actions"),
                actions(body.fallbacks(), "fallbacks"), body.enabled() == null ? enabledIfMissing : body.enabled());
    }

    private static List<ActionSpec> actions(List<ActionView> given, String field) {
        List<ActionSpec> out = new ArrayList<>();
        for (int i = 0; i < (given == null ? 0 : given.size()); i++) {
            ActionView a = given.get(i);
            if (a == null || a.type() == null || a.type().isBlank()) {
                throw new FieldException(field + "[" + i + "].type", field + "[" + i + "] has no type (log, http, kafka,"
                        + " jdbc, device or mqtt)");
            }
            out.add(new ActionSpec(a.type(), a.options()));
        }
        return out;
    }

    private RuleDefinition testRule(TestBody body) {
        if ((body.ruleId() == null) == (body.rule() == null)) {
            throw new FieldException("rule", "give the rule to try as rule (a rule's JSON) or as ruleId (a stored rule),"
                    + " one of them");
        }
        if (body.ruleId() != null) {
            return rule(body.ruleId()).definition();
        }
        RuleBody r = body.rule();
        RuleBody named = r.id() == null ? new RuleBody(TEST_RULE_ID, r.description(), r.sql(), r.actions(), r.fallbacks(),
                r.enabled()) : r;
        return definition(named, null, true);
    }

    /** A version number as a key that sorts in number order. */
    static String versionKey(int version) {
        return String.format(Locale.ROOT, "%010d", version);
    }

    private Response withTag(RuleInfo r) {
        return Response.ok(RuleView.of(r)).tag(ETags.of(RuleTag.of(r))).build();
    }

    private RuleInfo rule(String id) {
        return rules.get(id).orElseThrow(() -> ThingportException.notFound("rule", id));
    }

    private void platformWide(String what) {
        Access.allProducts(CallerPrincipal.of(security), what + " (rules are platform-wide)");
    }
}
