package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.ApplicationService;
import io.thingport.api.access.CreatedApplication;
import io.thingport.api.access.NewApplication;
import io.thingport.api.access.Role;
import io.thingport.api.access.SignedRequest;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.RestJson;
import io.thingport.rest.internal.resources.ApplicationResource.CreatedApplicationView;
import io.thingport.rest.internal.resources.ApplicationResource.NewApplicationBody;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ApplicationResourceTest {
    /** Applications in memory; each secret is "secret-" and a counter. */
    static final class Applications implements ApplicationService {
        final Map<String, ApplicationInfo> apps = new TreeMap<>();
        NewApplication lastCreated;
        int secrets;

        @Override
        public CreatedApplication create(NewApplication a) {
            lastCreated = a;
            ApplicationInfo info = new ApplicationInfo("app-" + (apps.size() + 1), a.name(), a.role(), a.products(),
                    a.allowedSources(), a.expiresAt(), Instant.EPOCH, Instant.EPOCH, false);
            apps.put(info.id(), info);
            return new CreatedApplication(info, "secret-" + ++secrets);
        }

        @Override
        public List<ApplicationInfo> list() {
            return List.copyOf(apps.values());
        }

        @Override
        public Optional<ApplicationInfo> find(String id) {
            return Optional.ofNullable(apps.get(id));
        }

        @Override
        public CreatedApplication rotate(String id) {
            return new CreatedApplication(apps.get(id), "secret-" + ++secrets);
        }

        @Override
        public ApplicationInfo revoke(String id) {
            ApplicationInfo a = apps.get(id);
            ApplicationInfo revoked = new ApplicationInfo(a.id(), a.name(), a.role(), a.products(), a.allowedSources(),
                    a.expiresAt(), a.createdAt(), a.rotatedAt(), true);
            apps.put(id, revoked);
            return revoked;
        }

        @Override
        public void delete(String id) {
            apps.remove(id);
        }

        @Override
        public ApplicationInfo verify(SignedRequest request, Instant now) {
            throw new UnsupportedOperationException();
        }
    }

    private final Applications service = new Applications();
    private final ApplicationResource resource = Callers.as(Callers.ADMIN, new ApplicationResource(service));

    // Verifies that a creation's JSON becomes the service's NewApplication, the role named as users write it.
    @Test
    void mapsANewApplication() throws Exception {
        // GIVEN
        NewApplicationBody body = RestJson.MAPPER.readValue("{\"name\":\"erp\",\"role\":\"Operator\",\"products\":[\"p1\"],"
                + "\"allowedSources\":[\"10.0.0.0/8\"],\"expiresAt\":\"2027-01-01T00:00:00Z\"}", NewApplicationBody.class);

        // WHEN
        NewApplication a = ApplicationResource.newApplication(body);

        // THEN
        assertThat(a).isEqualTo(new NewApplication("erp", Role.OPERATOR, Set.of("p1"), List.of("10.0.0.0/8"),
                Instant.parse("2027-01-01T00:00:00Z")));
        assertThatThrownBy(() -> ApplicationResource.newApplication(new NewApplicationBody("x", "root", null, null, null)))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("role");
        assertThatThrownBy(() -> ApplicationResource.newApplication(new NewApplicationBody("x", null, null, null, null)))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("role");
    }

    // Verifies that the secret is in the creation's and the rotation's answers only, never in a read.
    @Test
    void showsTheSecretOnceAtCreationAndRotation() throws Exception {
        // GIVEN / WHEN an application is created, read, listed and rotated
        Response created = resource.create(new NewApplicationBody("erp", "viewer", null, null, null));
        CreatedApplicationView first = (CreatedApplicationView) created.getEntity();
        String read = RestJson.MAPPER.writeValueAsString(resource.get(first.application().id()).getEntity());
        String listed = RestJson.MAPPER.writeValueAsString(resource.list(null, null));
        CreatedApplicationView rotated = resource.rotate(first.application().id());

        // THEN
        assertThat(created.getStatus()).isEqualTo(201);
        assertThat(first.secret()).isEqualTo("secret-1");
        assertThat(first.application().role()).isEqualTo("viewer");
        assertThat(read).doesNotContain("secret-1").doesNotContain("\"secret\"");
        assertThat(listed).doesNotContain("secret-1");
        assertThat(rotated.secret()).isEqualTo("secret-2");
    }

    // Verifies that an admin limited to some products may not create an application (it could lift its own limit).
    @Test
    void refusesACallerLimitedToSomeProducts() {
        // GIVEN / WHEN / THEN
        ApplicationResource limited = Callers.as(Callers.LIMITED_ADMIN, new ApplicationResource(service));
        assertThatThrownBy(() -> limited.create(new NewApplicationBody("all", "admin", null, null, null)))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(service.lastCreated).isNull();
    }
}
