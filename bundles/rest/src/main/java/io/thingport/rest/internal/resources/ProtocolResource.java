package io.thingport.rest.internal.resources;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.protocol.ProtocolPackageInfo;
import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import io.thingport.rest.internal.resources.ProtocolSources.Part;
import io.thingport.rest.internal.resources.ProtocolSources.Upload;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
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
import org.apache.cxf.attachment.ContentDisposition;
import org.apache.cxf.jaxrs.ext.multipart.Attachment;
import org.apache.cxf.jaxrs.ext.multipart.MultipartBody;

/**
 * Protocol packages, installed, replaced and removed while the platform runs: what {@code iot:protocol-*} manages,
 * through the same {@link ProtocolPackageService} calls. Admin only; a caller limited to some products is refused (403).
 *
 * <p>A package comes as {@code multipart/form-data} (field {@code file}, the jar, and optionally {@code name},
 * {@code description}, {@code sha256}), as the jar itself ({@code application/java-archive}, with {@code ?name=},
 * {@code ?description=}, {@code ?sha256=}) or as a URL to download ({@code {"url", "sha256", "name", "description"}}; see
 * {@link ProtocolSources} for which). An uploaded jar is written to a private directory under {@code java.io.tmpdir} for
 * the service to read and deleted as soon as it answered; the service keeps the package in its own store, and shows
 * that staged file as the package's source. The upload's size is bounded before it is read (the {@code maxUploadBytes}
 * setting).
 */
@Path("/protocols")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.ADMIN)
public class ProtocolResource {
    static final String JAR = "application/java-archive";
    static final String ZIP = "application/zip";

    /**
     * A package to download, or a change of one: {@code url} (https:, or http: with {@code sha256}); for a change each
     * part left out stays as it is (without {@code url} the package keeps its code).
     */
    public record UrlBody(String url, String sha256, String name, String description) {
    }

    private final ProtocolPackageService packages;
    private final String staging;

    @Context
    private SecurityContext security;

    /** @param staging the directory under which uploads are staged for the service to read: {@code java.io.tmpdir} */
    public ProtocolResource(ProtocolPackageService packages, String staging) {
        this.packages = packages;
        this.staging = staging;
    }

    @GET
    public Page<ProtocolPackageInfo> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        platformWide();
        return Pages.of(packages.list(), ProtocolPackageInfo::id, cursor, limit);
    }

    @GET
    @Path("/{id}")
    public ProtocolPackageInfo get(@PathParam("id") String id) {
        platformWide();
        return packages.info(id).orElseThrow(() -> ThingportException.notFound("protocol", id));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response addForm(MultipartBody body) {
        platformWide();
        return created(add(ProtocolSources.fromParts(parts(body))));
    }

    @POST
    @Consumes({ JAR, ZIP, MediaType.APPLICATION_OCTET_STREAM })
    public Response addJar(@QueryParam("name") String name, @QueryParam("description") String description,
            @QueryParam("sha256") String sha256, byte[] body) {
        platformWide();
        return created(add(ProtocolSources.fromBody(body, name, description, sha256)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addUrl(UrlBody body) {
        platformWide();
        if (body == null) {
            throw new FieldException("body", "send {\"url\", \"sha256\", \"name\", \"description\"}, or upload the jar");
        }
        return created(packages.add(ProtocolPackageService.TYPE_JAR, ProtocolSources.url(body.url()), body.sha256(),
                body.name(), body.description()));
    }

    /** Replaces the package's code with the uploaded jar, and/or changes its name and description (fields left out stay). */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public ProtocolPackageInfo updateForm(@PathParam("id") String id, MultipartBody body) {
        platformWide();
        return update(id, ProtocolSources.fromParts(parts(body)));
    }

    @PUT
    @Path("/{id}")
    @Consumes({ JAR, ZIP, MediaType.APPLICATION_OCTET_STREAM })
    public ProtocolPackageInfo updateJar(@PathParam("id") String id, @QueryParam("name") String name,
            @QueryParam("description") String description, @QueryParam("sha256") String sha256, byte[] body) {
        platformWide();
        return update(id, ProtocolSources.fromBody(body, name, description, sha256));
    }

    /** Replaces the package's code with a downloaded jar ({@code url}), and/or changes its name and description. */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ProtocolPackageInfo updateUrl(@PathParam("id") String id, UrlBody body) {
        platformWide();
        if (body == null) {
            throw new FieldException("body", "send {\"url\", \"sha256\", \"name\", \"description\"}, at least one");
        }
        String url = body.url() == null ? null : ProtocolSources.url(body.url());
        return packages.update(id, url, body.sha256(), body.name(), body.description());
    }

    /** Refused (409) while a gateway is configured with the protocol. */
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        platformWide();
        packages.delete(id);
        return Response.noContent().build();
    }

    /** Installs an uploaded jar: staged as a file for the service, deleted once it answered. */
    ProtocolPackageInfo add(Upload upload) {
        if (upload.jar() == null) {
            throw new FieldException(ProtocolSources.FILE, "file is required: the protocol package's jar");
        }
        try (JarStaging staged = stage(upload)) {
            return packages.add(ProtocolPackageService.TYPE_JAR, staged.file().toString(), upload.sha256(), upload.name(),
                    upload.description());
        }
    }

    /** Replaces a package's code with an uploaded jar (when one came) and/or changes its texts. */
    ProtocolPackageInfo update(String id, Upload upload) {
        if (upload.jar() == null) {
            if (upload.name() == null && upload.description() == null) {
                throw new FieldException(ProtocolSources.FILE, "send file (a new jar), name or description");
            }
            return packages.update(id, null, upload.sha256(), upload.name(), upload.description());
        }
        try (JarStaging staged = stage(upload)) {
            return packages.update(id, staged.file().toString(), upload.sha256(), upload.name(), upload.description());
        }
    }

    /** The parts of a multipart form with their field names, file names and bytes. */
    static List<Part> parts(MultipartBody body) {
        if (body == null) {
            throw new FieldException("body", "send the package as multipart/form-data with the field file");
        }
        List<Part> out = new ArrayList<>();
        for (Attachment a : body.getAllAttachments()) {
            ContentDisposition cd = a.getContentDisposition();
            String field = cd == null ? null : cd.getParameter("name");
            try (InputStream in = a.getDataHandler().getInputStream()) {
                out.add(new Part(field, cd == null ? null : cd.getFilename(), in.readAllBytes()));
            } catch (IOException e) {
                throw new FieldException(field == null ? "body" : field, "cannot read form field " + field + ": " + e.getMessage());
            }
        }
        return out;
    }

    private JarStaging stage(Upload upload) {
        try {
            return JarStaging.write(staging, upload.fileName(), upload.jar());
        } catch (IOException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot stage the uploaded package in " + staging, e);
        }
    }

    private static Response created(ProtocolPackageInfo p) {
        return Response.created(URI.create("protocols/" + p.id())).entity(p).build();
    }

    private void platformWide() {
        Access.allProducts(CallerPrincipal.of(security), "manage protocol packages (they serve every product)");
    }
}
