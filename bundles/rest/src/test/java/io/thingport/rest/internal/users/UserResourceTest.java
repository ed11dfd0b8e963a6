package io.thingport.rest.internal.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.auth.TokenStore;
import io.thingport.rest.internal.http.FieldException;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserResourceTest {
    private final Map<String, UserDirectory.User> stored = new TreeMap<>();
    private final Map<String, String> passwords = new TreeMap<>();
    private final TokenStore tokens = new TokenStore(100, 10);
    private UserResource resource;

    /** An in-memory directory. */
    private final UserDirectory directory = new UserDirectory() {
        @Override
        public List<User> list() {
            return new ArrayList<>(stored.values());
        }

        @Override
        public Optional<User> find(String name) {
            return Optional.ofNullable(stored.get(name));
        }

        @Override
        public void add(String name, String password, Role role) {
            stored.put(name, new User(name, role, false));
            passwords.put(name, password);
        }

        @Override
        public void setPassword(String name, String password) {
            find(name).orElseThrow(() -> ThingportException.notFound("user", name));
            passwords.put(name, password);
        }

        @Override
        public void setRole(String name, Role role) {
            stored.put(name, new User(name, role, false));
        }

        @Override
        public void delete(String name) {
            stored.remove(name);
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        resource = new UserResource(directory, tokens);
        as(new Caller("root", Caller.USER, Role.ADMIN, Set.of()));
    }

    private void as(Caller caller) throws Exception {
        Field f = UserResource.class.getDeclaredField("security");
        f.setAccessible(true);
        f.set(resource, CallerPrincipal.context(caller, false));
    }

    @Test
    void createsUsersWithoutShowingPasswords() {
        // Verifies that a user is created with its role and that no answer carries the password.
        // GIVEN / WHEN
        var created = resource.create(new UserResource.NewUser("bob", "correct-horse-battery", "operator"));

        // THEN
        assertThat(created.getStatus()).isEqualTo(201);
        assertThat(created.getEntity().toString()).doesNotContain("correct-horse");
        assertThat(resource.list()).extracting(UserResource.UserView::role).containsExactly("operator");
        assertThat(passwords).containsEntry("bob", "correct-horse-battery");
    }

    @Test
    void refusesBadNamesPasswordsAndRoles() {
        // Verifies that each bad part is refused naming its field, and nothing is created.
        assertThat(field(() -> resource.create(new UserResource.NewUser("", "correct-horse-battery", "viewer"))))
                .isEqualTo("name");
        assertThat(field(() -> resource.create(new UserResource.NewUser("x y", "correct-horse-battery", "viewer"))))
                .isEqualTo("name");
        assertThat(field(() -> resource.create(new UserResource.NewUser("bob", "short", "viewer")))).isEqualTo("password");
        assertThat(field(() -> resource.create(new UserResource.NewUser("bob", "has,a-comma-inside", "viewer"))))
                .isEqualTo("password");
        assertThat(field(() -> resource.create(new UserResource.NewUser("bob", "correct-horse-battery", "root"))))
                .isEqualTo("role");
        assertThat(stored).isEmpty();
    }

    @Test
    void aNewPasswordEndsTheUsersTokens() {
        // Verifies that replacing a password or deleting a user ends their bearer tokens at once.
        // GIVEN bob with a token
        resource.create(new UserResource.NewUser("bob", "correct-horse-battery", "viewer"));
        Instant now = Instant.now();
        String token = tokens.issue(new Caller("bob", Caller.USER, Role.VIEWER, Set.of()), Duration.ofHours(1), now);

        // WHEN his password is replaced
        resource.setPassword("bob", new UserResource.PasswordBody("another-long-password"));

        // THEN the token no longer works
        assertThat(tokens.caller(token, now)).isEmpty();
        assertThat(passwords).containsEntry("bob", "another-long-password");
    }

    @Test
    void anAdminCannotLockThemselvesOut() throws Exception {
        // Verifies that an admin can neither delete themselves nor drop their own admin role.
        resource.create(new UserResource.NewUser("root", "correct-horse-battery", "admin"));
        assertThatThrownBy(() -> resource.delete("root")).hasMessageContaining("cannot delete themselves");
        assertThatThrownBy(() -> resource.setRole("root", new UserResource.RoleBody("viewer")))
                .hasMessageContaining("own admin role");
        assertThat(stored.get("root").role()).isEqualTo(Role.ADMIN);
        // and an admin limited to some products manages no users
        as(new Caller("app-x", Caller.APPLICATION, Role.ADMIN, Set.of("p1")));
        assertThatThrownBy(() -> resource.list()).hasMessageContaining("may not manage users");
    }

    private static String field(Runnable call) {
        try {
            call.run();
        } catch (FieldException e) {
            return e.field();
        }
        throw new AssertionError("not refused");
    }

}
