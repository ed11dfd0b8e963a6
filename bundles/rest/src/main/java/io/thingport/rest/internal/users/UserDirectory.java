package io.thingport.rest.internal.users;

import io.thingport.api.access.Role;
import java.util.List;
import java.util.Optional;

/** The people who may log in (a JAAS realm's users), as far as the Open API manages them. */
public interface UserDirectory {
    /** A user: its name, its Thingport role (none when it has none of them), and whether that role comes from a group. */
    record User(String name, Role role, boolean roleFromGroup) {
    }

    List<User> list();

    Optional<User> find(String name);

    /** Adds a user with a password and a role. */
    void add(String name, String password, Role role);

    /** Replaces a user's password. */
    void setPassword(String name, String password);

    /** Replaces a user's Thingport role (its other roles stay). */
    void setRole(String name, Role role);

    void delete(String name);
}
