package io.thingport.rest.internal.resources;

import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.rule.DataSourceInfo;
import io.thingport.api.rule.RuleService;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
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
 * The rule engine's data sources, the named connections rule actions use (what {@code iot:datasource-*} manages, through
 * the same {@link RuleService} calls). They hold credentials: admin only, and a caller limited to some products is refused
 * (403). Their secret settings are shown masked, as the rule engine returns them.
 */
@Path("/datasources")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.ADMIN)
public class DataSourceResource {
    /** A data source: type, settings (secrets masked) and the rules whose actions use it. */
    public record DataSourceView(String name, String type, Map<String, String> options, Instant createdAt,
            List<String> usedBy) {
        static DataSourceView of(DataSourceInfo d) {
            return new DataSourceView(d.name(), d.type(), d.options(), Instant.ofEpochMilli(d.createdAt()), d.usedBy());
        }
    }

    /**
     * A new data source: {@code type} jdbc (url, user, password), kafka (brokers), http (secret: the HMAC key of webhook
     * signatures) or mqtt (url, user, password), and those settings as {@code options}.
     */
    public record DataSourceBody(String name, String type, Map<String, String> options) {
    }

    private final RuleService rules;

    @Context
    private SecurityContext security;

    public DataSourceResource(RuleService rules) {
        this.rules = rules;
    }

    @GET
    public Page<DataSourceView> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        platformWide();
        return Pages.of(rules.dataSources().stream().map(DataSourceView::of).toList(), DataSourceView::name, cursor, limit);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(DataSourceBody body) {
        platformWide();
        if (body == null) {
            throw new FieldException("body", "send the data source as {\"name\", \"type\", \"options\": {}}");
        }
        if (body.name() == null || body.name().isBlank()) {
            throw new FieldException("name", "name is required");
        }
        if (body.type() == null || body.type().isBlank()) {
            throw new FieldException("type", "type is required: jdbc, kafka, http or mqtt");
        }
        DataSourceInfo d = rules.addDataSource(body.name(), body.type(), body.options() == null ? Map.of() : body.options());
        return Response.created(URI.create("datasources/" + d.name())).entity(DataSourceView.of(d)).build();
    }

    @GET
    @Path("/{name}")
    public DataSourceView get(@PathParam("name") String name) {
        platformWide();
        return DataSourceView.of(rules.dataSource(name).orElseThrow(() -> ThingportException.notFound("data source", name)));
    }

    /** Refused (409) while a rule's action uses the data source. */
    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        platformWide();
        rules.deleteDataSource(name);
        return Response.noContent().build();
    }

    private void platformWide() {
        Access.allProducts(CallerPrincipal.of(security), "manage data sources (they are platform-wide)");
    }
}
