package io.thingport.rest.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.Role;
import io.thingport.rest.internal.users.UserDirectory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerChecksTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private final Map<String, UserDirectory.User> users = new HashMap<>();

    private final FakeApplications apps = new FakeApplications();

    private final CallerChecks checks = new CallerChecks(apps, new UserDirectory() {
        @Override
        public List<User> list() {
            return List.copyOf(users.values());
        }

        @Override
        public Optional<User> find(String name) {
            return Optional.ofNullable(users.get(name));
        }

        @Override
        public void add(String name, String password, Role role) {
            users.put(name, new User(name, role, false));
        }

        @Override
        public void setPassword(String name, String password) {
        }

        @Override
        public void setRole(String name, Role role) {
            users.put(name, new User(name, role, false));
        }

        @Override
        public void delete(String name) {
            users.remove(name);
        }
    }, Clock.fixed(NOW, ZoneOffset.UTC));

    private static ApplicationInfo app(boolean revoked, Instant expires, Role role, Set<String> products) {
        return new ApplicationInfo("app-1", "a", role, products, List.of(), expires, NOW, NOW, revoked);
    }

    @Test
    void anApplicationStaysValidOnlyAsItWas() {
        // Verifies that a stream's application is valid while unchanged, and not once revoked, expired, narrowed,
        // lowered or deleted.
        Caller caller = new Caller("app-1", Caller.APPLICATION, Role.VIEWER, Set.of("p1"));
        apps.add(app(false, null, Role.VIEWER, Set.of("p1")), "s");
        assertThat(checks.stillValid(caller)).isTrue();
        apps.add(app(true, null, Role.VIEWER, Set.of("p1")), "s");
        assertThat(checks.stillValid(caller)).isFalse();
        apps.add(app(false, NOW, Role.VIEWER, Set.of("p1")), "s");
        assertThat(checks.stillValid(caller)).isFalse();
        apps.add(app(false, null, Role.VIEWER, Set.of("p1", "p2")), "s");
        assertThat(checks.stillValid(caller)).isFalse();
        apps.delete("app-1");
        assertThat(checks.stillValid(caller)).isFalse();
    }

    @Test
    void aUserStaysValidWhileThereWithTheRole() {
        // Verifies that a stream's user is valid while present with at least its role, and not once deleted or lowered.
        Caller caller = new Caller("bob", Caller.USER, Role.OPERATOR, Set.of());
        users.put("bob", new UserDirectory.User("bob", Role.ADMIN, false));
        assertThat(checks.stillValid(caller)).isTrue();
        users.put("bob", new UserDirectory.User("bob", Role.VIEWER, false));
        assertThat(checks.stillValid(caller)).isFalse();
        users.remove("bob");
        assertThat(checks.stillValid(caller)).isFalse();
    }

}
