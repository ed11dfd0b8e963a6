package io.thingport.rest.internal.resources;

import io.thingport.api.ThingportException;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.ApplicationService;
import io.thingport.api.access.CreatedApplication;
import io.thingport.api.access.NewApplication;
import io.thingport.api.access.Role;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.ETags;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
 * Applications, the programs that call the Open API with an id and a secret (what {@code iot:app-*} manages, through the
 * same {@link ApplicationService} calls). Admin only, and a caller limited to some products is refused (403): it could
 * otherwise make itself an application without the limit. A secret is in the answer to a creation and to a rotation, that
 * once; the platform never shows it again.
 */
@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.ADMIN)
public class ApplicationResource {
    /** An application as the API shows it: never its secret. {@code products} empty means all products. */
    public record ApplicationView(String id, String name, String role, List<String> products, List<String> allowedSources,
            Instant expiresAt, Instant createdAt, Instant rotatedAt, boolean revoked) {
        static ApplicationView of(ApplicationInfo a) {
            return new ApplicationView(a.id(), a.name(), a.role().wireName(), a.products().stream().sorted().toList(),
                    a.allowedSources(), a.expiresAt(), a.createdAt(), a.rotatedAt(), a.revoked());
        }
    }

    /** An application with its secret, shown this once (at its creation and at each rotation). */
    public record CreatedApplicationView(ApplicationView application, String secret) {
        static CreatedApplicationView of(CreatedApplication c) {
            return new CreatedApplicationView(ApplicationView.of(c.application()), c.secret());
        }
    }

    /**
     * A new application: {@code role} viewer, operator or admin; {@code products} the products it may see (left out or
     * empty: all); {@code allowedSources} the addresses or CIDR blocks it may call from (left out or empty: any);
     * {@code expiresAt} when its secret stops working (left out: never).
     */
    public record NewApplicationBody(String name, String role, Set<String> products, List<String> allowedSources,
            Instant expiresAt) {
    }

    private final ApplicationService applications;

    @Context
    private SecurityContext security;

    public ApplicationResource(ApplicationService applications) {
        this.applications = applications;
    }

    @GET
    public Page<ApplicationView> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        platformWide();
        return Pages.of(applications.list().stream().map(ApplicationView::of).toList(), ApplicationView::id, cursor, limit);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewApplicationBody body) {
        platformWide();
        CreatedApplication created = applications.create(newApplication(body));
        return Response.created(URI.create("applications/" + created.application().id()))
                .entity(CreatedApplicationView.of(created)).build();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        platformWide();
        ApplicationView view = ApplicationView.of(application(id));
        return Response.ok(view).tag(ETags.of(view)).build();
    }

    /** Replaces the secret: the old one stops working at once; the new one is in the answer, this once. */
    @POST
    @Path("/{id}/rotate")
    public CreatedApplicationView rotate(@PathParam("id") String id) {
        platformWide();
        application(id);
        return CreatedApplicationView.of(applications.rotate(id));
    }

    /** Revokes the application: its requests are refused from now on, until it is deleted. */
    @POST
    @Path("/{id}/revoke")
    public ApplicationView revoke(@PathParam("id") String id) {
        platformWide();
        application(id);
        return ApplicationView.of(applications.revoke(id));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        platformWide();
        application(id);
        applications.delete(id);
        return Response.noContent().build();
    }

    /** A creation's body as the service takes it; the role is named as users write it. */
    static NewApplication newApplication(NewApplicationBody body) {
        if (body == null) {
            throw new FieldException("body", "send the application as {\"name\", \"role\", \"products\", \"allowedSources\","
                    + " \"expiresAt\"}");
        }
        if (body.role() == null) {
            throw new FieldException("role", "role is required: viewer, operator or admin");
        }
        Role role = Role.fromName(body.role());
        if (role == null) {
            throw new FieldException("role", "role must be viewer, operator or admin, not " + body.role());
        }
        return new NewApplication(body.name(), role, body.products(), body.allowedSources(), body.expiresAt());
    }

    private ApplicationInfo application(String id) {
        return applications.find(id).orElseThrow(() -> ThingportException.notFound("application", id));
    }

    private void platformWide() {
        Access.allProducts(CallerPrincipal.of(security), "manage applications");
    }
}
