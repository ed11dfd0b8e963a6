package io.thingport.shell.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.access.AccessLogService;
import io.thingport.api.access.AccessQuery;
import io.thingport.api.access.AccessRecord;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.ApplicationService;
import io.thingport.api.access.CreatedApplication;
import io.thingport.api.access.NewApplication;
import io.thingport.api.access.Role;
import io.thingport.shell.support.Fakes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

/** The application and access-log commands: what they hand the services and what they print. */
class AccessCommandsTest {
    private static final String SECRET = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo";
    private static final Instant CREATED = Instant.parse("2026-12-01T08:00:00Z");

    private final List<Object> calls = new ArrayList<>();

    private static ApplicationInfo info(NewApplication a) {
        return new ApplicationInfo("app-abcdefghijkl", a.name(), a.role(), a.products(), a.allowedSources(), a.expiresAt(), CREATED,
                CREATED, false);
    }

    private ApplicationService applications() {
        return Fakes.service(ApplicationService.class, Map.of("create", args -> {
            NewApplication a = (NewApplication) args[0];
            calls.add(a);
            return new CreatedApplication(info(a), SECRET);
        }));
    }

    @Test
    void appCreateHandsOverEveryOptionAndShowsTheSecretOnceWithAWarning() throws Exception {
        // Verifies that app-create builds the application from its name, role, products, sources and expiry, and
        // prints the id and the secret with the warning that it is not shown again.
        // GIVEN
        AppCreateCommand command = new AppCreateCommand();
        command.applications = applications();
        command.name = "Billing";
        command.role = "Operator";
        command.products = List.of("p1", "p2");
        command.sources = List.of("10.0.0.0/8");
        command.expires = "2027-01-01T01:00:00+01:00";
        // WHEN
        String out = Fakes.output(command::execute);
        // THEN
        assertThat(calls).containsExactly(new NewApplication("Billing", Role.OPERATOR, Set.of("p1", "p2"), List.of("10.0.0.0/8"),
                Instant.parse("2027-01-01T00:00:00Z")));
        assertThat(out).contains("Application app-abcdefghijkl (Billing) created with role operator, products p1,p2, sources"
                + " 10.0.0.0/8").contains("application id:     app-abcdefghijkl").contains("application secret: " + SECRET)
                .contains("it is not shown again");
    }

    @Test
    void aBadRoleOrInstantIsRefusedNamingTheOption() {
        // Verifies the shell's own checks, before the service is called.
        AppCreateCommand command = new AppCreateCommand();
        command.applications = applications();
        command.name = "Billing";
        command.role = "root";
        assertThatThrownBy(command::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("--role must be viewer, operator or admin, not 'root'");
        command.role = "viewer";
        command.expires = "next week";
        assertThatThrownBy(command::execute).hasMessageContaining("--expires 'next week' is not an ISO-8601 instant");
        assertThat(calls).isEmpty();
    }

    @Test
    void accessLogPassesItsFiltersAndPrintsTheNewestRecordsOldestFirst() throws Exception {
        // Verifies the query access-log makes of its options and the order of its rows (the service answers newest
        // first); control characters in an action are escaped.
        // GIVEN
        List<AccessQuery> queries = new ArrayList<>();
        AccessLogCommand command = new AccessLogCommand();
        command.log = Fakes.service(AccessLogService.class, Map.of("query", args -> {
            queries.add((AccessQuery) args[0]);
            return List.of(new AccessRecord(8, CREATED.plusSeconds(2), "api", "app-1", "application", "GET /x\u001b[2J", "10.0.0.9",
                    404, "not_found", 3), new AccessRecord(7, CREATED, "shell", "karaf", "user", "iot:device-list", "local", 200,
                    "ok", 12));
        }));
        command.from = "2026-12-01T00:00:00Z";
        command.principal = "app-1";
        command.result = "error";
        command.limit = 20;
        command.noFormat = true;
        // WHEN
        String out = Fakes.output(command::execute);
        // THEN
        assertThat(queries).containsExactly(new AccessQuery(Instant.parse("2026-12-01T00:00:00Z"), null, null, "app-1", "error", null, 20));
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("7\t").contains("\tiot:device-list\tlocal\t200\tok\t12");
        assertThat(lines.get(1)).startsWith("8\t").contains("GET /x\\u001b[2J").doesNotContain("\u001b");
    }
}
