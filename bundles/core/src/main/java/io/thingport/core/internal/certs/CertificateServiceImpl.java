package io.thingport.core.internal.certs;

import io.thingport.api.ErrorCode;
import io.thingport.api.Identifiers;
import io.thingport.api.ThingportException;
import io.thingport.api.network.CertificateInfo;
import io.thingport.api.network.CertificateService;
import io.thingport.api.network.Fingerprints;
import io.thingport.api.network.TlsMaterial;
import io.thingport.core.internal.storage.RowMapper;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.usage.UsageCheck;
import io.thingport.core.internal.usage.UsageChecks;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Managed certificates, stored in the {@code certificate} table (PEM text; the private key is stored as given, so
 * protect the database like a key store). Network components reference them by name; the network manager asks
 * for the parsed {@link TlsMaterial} when it starts a component.
 */
@Component(service = {CertificateServiceImpl.class, CertificateService.class})
public final class CertificateServiceImpl implements CertificateService {
    private static final int MAX_DESCRIPTION = 200;

    private final Storage storage;
    /** The components whose configuration names a certificate (the network manager answers). */
    private final UsageChecks usages = new UsageChecks();

    private record Row(String name, String description, String certificatePem, String keyPem, String chainPem, long createdAt) {
        /** As the generated one, but without the PEM texts: the private key is never shown, not even masked. */
        @Override
        public String toString() {
            return "Row[name=" + name + ", description=" + description + ", key=" + (keyPem == null ? "none" : "(withheld)")
                    + ", createdAt=" + createdAt + "]";
        }
    }

    @Activate
    public CertificateServiceImpl(@Reference Storage storage) {
        this.storage = storage;
    }

    @Reference(service = UsageCheck.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindUsageCheck(ComponentServiceObjects<UsageCheck> check) {
        usages.add(check);
    }

    void unbindUsageCheck(ComponentServiceObjects<UsageCheck> check) {
        usages.remove(check);
    }

    /** The checks asked before a delete (tests add their own). */
    UsageChecks usages() {
        return usages;
    }

    private List<String> users(String name) {
        return usages.users(UsageCheck.Kind.CERTIFICATE, name);
    }

    @Override
    public CertificateInfo add(String name, String description, String certificatePem, String privateKeyPem, String caChainPem) {
        Identifiers.requireName("certificate name", name);
        String d = description == null ? "" : description.trim();
        if (d.length() > MAX_DESCRIPTION) {
            throw ThingportException.invalidArgument("certificate " + name + ": description is longer than " + MAX_DESCRIPTION
                    + " characters");
        }
        TlsMaterial material = TlsMaterial.fromPem(name, certificatePem, privateKeyPem, caChainPem);
        X509Certificate leaf = material.certificate();
        Instant now = Instant.now();
        if (leaf.getNotAfter().toInstant().isBefore(now)) {
            throw ThingportException.invalidArgument("certificate " + name + ": it expired on " + leaf.getNotAfter().toInstant());
        }
        Row row = new Row(name, d, certificatePem.trim() + "\n", blankToNull(privateKeyPem), blankToNull(caChainPem), now.toEpochMilli());
        storage.transaction(c -> {
            if (!Storage.query(c, "SELECT 1 FROM certificate WHERE name = ?", rs -> 1, name).isEmpty()) {
                throw new ThingportException(ErrorCode.CONFLICT, "certificate " + name + " already exists");
            }
            return Storage.update(c, "INSERT INTO certificate (name, description, certificate_pem, private_key_pem, ca_chain_pem,"
                    + " created_at) VALUES (?, ?, ?, ?, ?, ?)", row.name, row.description, row.certificatePem, row.keyPem,
                    row.chainPem, row.createdAt);
        });
        return info(row, material);
    }

    private static String blankToNull(String pem) {
        return pem == null || pem.isBlank() ? null : pem.trim() + "\n";
    }

    @Override
    public List<CertificateInfo> list() {
        return rows(null).stream().map(r -> info(r, parse(r))).toList();
    }

    @Override
    public Optional<CertificateInfo> find(String name) {
        return rows(name).stream().findFirst().map(r -> info(r, parse(r)));
    }

    /** The parsed certificate for a network component. */
    public Optional<TlsMaterial> material(String name) {
        return rows(name).stream().findFirst().map(CertificateServiceImpl::parse);
    }

    @Override
    public void delete(String name) {
        if (find(name).isEmpty()) {
            throw ThingportException.notFound("certificate", name);
        }
        List<String> using = users(name);
        if (!using.isEmpty()) {
            throw new ThingportException(ErrorCode.CONFLICT, "certificate " + name + " is used by network component(s) "
                    + String.join(", ", using) + ": change or delete them first");
        }
        storage.transaction(c -> Storage.update(c, "DELETE FROM certificate WHERE name = ?", name));
    }

    private List<Row> rows(String name) {
        String sql = "SELECT name, description, certificate_pem, private_key_pem, ca_chain_pem, created_at FROM certificate";
        RowMapper<Row> mapper = rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getLong(6));
        return name == null ? storage.query(sql + " ORDER BY name", mapper) : storage.query(sql + " WHERE name = ?", mapper, name);
    }

    private static TlsMaterial parse(Row r) {
        return TlsMaterial.fromPem(r.name, r.certificatePem, r.keyPem, r.chainPem);
    }

    private CertificateInfo info(Row r, TlsMaterial m) {
        X509Certificate c = m.certificate();
        return new CertificateInfo(r.name, r.description, c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                c.getSerialNumber().toString(16), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), Fingerprints.sha256Text(c),
                m.key() != null, m.chain().size(), Instant.ofEpochMilli(r.createdAt), users(r.name));
    }
}
