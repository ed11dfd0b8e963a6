package io.thingport.rest.internal.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.rule.FailedMessage;
import io.thingport.api.rule.RuleService;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import io.thingport.rest.internal.http.RestJson;
import java.time.Instant;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * The rule engine's failed-message store: rows an action gave up on, kept until they are replayed or discarded (what
 * {@code iot:rule-failed-*} shows and does, through the same {@link RuleService} calls). Platform-wide like the rules: a
 * caller limited to some products is refused (403). Reads need a viewer, replays and discards an operator.
 *
 * <p>A replay or discard of many messages names them as the shell does, exactly one of {@code ?rule=R} and
 * {@code ?all=true}: nothing is replayed or deleted by a parameter left out by mistake.
 */
@Path("/rules/failed")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class FailedMessageResource {
    /** A failed message; {@code payload} is the selected row as the action received it. */
    public record FailedView(long id, String ruleId, String action, String deviceId, String error, JsonNode payload,
            int attempts, Instant failedAt) {
        static FailedView of(FailedMessage f) {
            return new FailedView(f.id(), f.ruleId(), f.action(), f.deviceId(), f.error(), json(f.payload()), f.attempts(),
                    Instant.ofEpochMilli(f.failedAt()));
        }
    }

    /** How many failed messages a replay handed back to their actions, or a discard deleted, and which were meant. */
    public record Outcome(String selection, int count) {
    }

    private final RuleService rules;

    @Context
    private SecurityContext security;

    public FailedMessageResource(RuleService rules) {
        this.rules = rules;
    }

    /** Failed messages, newest first, optionally of one rule: at most {@code limit} (the store is not paged further). */
    @GET
    public Page<FailedView> list(@QueryParam("rule") String ruleId, @QueryParam("limit") Integer limit) {
        platformWide("read failed messages");
        return new Page<>(rules.failed(blankToNull(ruleId), Pages.limit(limit)).stream().map(FailedView::of).toList(), null);
    }

    @GET
    @Path("/{id}")
    public FailedView get(@PathParam("id") String id) {
        platformWide("read failed messages");
        return FailedView.of(failed(id));
    }

    /** Sends one failed message to its action again; it leaves the store once the action accepted it. */
    @POST
    @Path("/{id}/replay")
    @Allow(Role.OPERATOR)
    public Outcome replayOne(@PathParam("id") String id) {
        platformWide("replay failed messages");
        FailedMessage f = failed(id);
        return new Outcome("failed message " + f.id(), rules.replay(f.id(), null));
    }

    /** Sends the failed messages of a rule ({@code ?rule=R}) or all ({@code ?all=true}) to their actions again. */
    @POST
    @Path("/replay")
    @Allow(Role.OPERATOR)
    public Outcome replay(@QueryParam("rule") String ruleId, @QueryParam("all") Boolean all) {
        platformWide("replay failed messages");
        String rule = selection(ruleId, all);
        return new Outcome(describe(rule), rules.replay(null, rule));
    }

    @DELETE
    @Path("/{id}")
    @Allow(Role.OPERATOR)
    public Response discardOne(@PathParam("id") String id) {
        platformWide("discard failed messages");
        long n = number(id);
        if (rules.discard(n, null) == 0) {
            throw ThingportException.notFound("failed message", id);
        }
        return Response.noContent().build();
    }

    /** Deletes the failed messages of a rule ({@code ?rule=R}) or all ({@code ?all=true}). */
    @POST
    @Path("/discard")
    @Allow(Role.OPERATOR)
    public Outcome discard(@QueryParam("rule") String ruleId, @QueryParam("all") Boolean all) {
        platformWide("discard failed messages");
        String rule = selection(ruleId, all);
        return new Outcome(describe(rule), rules.discard(null, rule));
    }

    /**
     * The rule whose messages a replay or discard of many is meant for, {@code null} for all of them; exactly one of
     * {@code rule} and {@code all=true} must be given.
     */
    static String selection(String ruleId, Boolean all) {
        String rule = blankToNull(ruleId);
        boolean everything = Boolean.TRUE.equals(all);
        if ((rule == null) == !everything) {
            throw new FieldException("rule", "say which failed messages: rule=<rule id> (all of a rule) or all=true,"
                    + (rule == null ? " one of them" : " not both"));
        }
        return rule;
    }

    static String describe(String ruleId) {
        return ruleId == null ? "all failed messages" : "failed messages of rule " + ruleId;
    }

    /** A payload as JSON when it is JSON, else as the text it is. */
    static JsonNode json(String payload) {
        if (payload == null) {
            return null;
        }
        try {
            JsonNode node = RestJson.MAPPER.readTree(payload);
            return node == null || node.isMissingNode() ? TextNode.valueOf(payload) : node;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(payload);
        }
    }

    private FailedMessage failed(String id) {
        return rules.failedMessage(number(id)).orElseThrow(() -> ThingportException.notFound("failed message", id));
    }

    /** A failed message's id: one that is not a number cannot exist. */
    private static long number(String id) {
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            throw ThingportException.notFound("failed message", id);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private void platformWide(String what) {
        Access.allProducts(CallerPrincipal.of(security), what + " (rules are platform-wide)");
    }
}
