package io.thingport.rest.internal.resources;

import io.thingport.api.access.Role;
import io.thingport.rest.internal.auth.Allow;
import java.io.IOException;
import java.io.InputStream;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/**
 * The API's OpenAPI 3 document. It is generated from the resource classes by the build (OpenApiDocumentTest), which
 * fails while the checked-in {@code openapi.json} differs from what the resources describe: the document served is
 * the one reviewed with the change.
 */
@Path("/openapi.json")
@Allow(Role.VIEWER)
public class OpenApiResource {
    public static final String DOCUMENT = "/openapi.json";

    private final byte[] document;

    public OpenApiResource() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the bundle");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DOCUMENT, e);
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        return Response.ok(document, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
