package io.thingport.rest.internal.resources;

import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.network.CertificateInfo;
import io.thingport.api.network.CertificateService;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.http.Pages;
import java.net.URI;
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
 * Managed certificates for TLS/DTLS: what {@code iot:cert-*} manages, through the same {@link CertificateService} calls.
 * Admin only; a caller limited to some products is refused (403). A private key goes in once, with the certificate, and
 * never comes out: an answer says only whether the certificate has one.
 */
@Path("/certificates")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.ADMIN)
public class CertificateResource {
    /**
     * A new certificate as PEM text: {@code certificate} (optionally followed by its chain), {@code privateKey} (PKCS#8 or
     * PKCS#1 RSA, unencrypted; left out for a certificate that is only trusted) and {@code caChain} (the CA certificates
     * that issued it).
     */
    public record CertificateBody(String name, String description, String certificate, String privateKey, String caChain) {
        /** Never the private key, should a body be logged. */
        @Override
        public String toString() {
            return "CertificateBody[name=" + name + ", privateKey=" + (privateKey == null ? "none" : "(given)") + "]";
        }
    }

    private final CertificateService certificates;

    @Context
    private SecurityContext security;

    public CertificateResource(CertificateService certificates) {
        this.certificates = certificates;
    }

    @GET
    public Page<CertificateInfo> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        platformWide();
        return Pages.of(certificates.list(), CertificateInfo::name, cursor, limit);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(CertificateBody body) {
        platformWide();
        if (body == null) {
            throw new FieldException("body", "send the certificate as {\"name\", \"description\", \"certificate\","
                    + " \"privateKey\", \"caChain\"} (PEM text)");
        }
        if (body.name() == null || body.name().isBlank()) {
            throw new FieldException("name", "name is required");
        }
        if (body.certificate() == null || body.certificate().isBlank()) {
            throw new FieldException("certificate", "certificate is required: the certificate as PEM text");
        }
        CertificateInfo c = certificates.add(body.name(), body.description(), body.certificate(),
                blankToNull(body.privateKey()), blankToNull(body.caChain()));
        return Response.created(URI.create("certificates/" + c.name())).entity(c).build();
    }

    @GET
    @Path("/{name}")
    public CertificateInfo get(@PathParam("name") String name) {
        platformWide();
        return certificates.find(name).orElseThrow(() -> ThingportException.notFound("certificate", name));
    }

    /** Refused (409) while a network component uses the certificate. */
    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        platformWide();
        certificates.delete(name);
        return Response.noContent().build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private void platformWide() {
        Access.allProducts(CallerPrincipal.of(security), "manage certificates (they serve every product)");
    }
}
