package io.thingport.rest.internal.users;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.rest.internal.auth.RequestAuthenticator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.karaf.jaas.boot.principal.GroupPrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngine;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.apache.karaf.jaas.modules.BackingEngineService;

/**
 * The users of a Karaf JAAS realm through its backing engine (for the default realm {@code karaf}:
 * {@code etc/users.properties}, the file {@code jaas:*} commands change too). The first login module of the realm
 * that has a backing engine is the one managed.
 */
public final class JaasUserDirectory implements UserDirectory {
    private final Supplier<List<JaasRealm>> realms;
    private final Supplier<List<BackingEngineFactory>> factories;
    private final String realmName;

    /** The realms and engine factories are looked up at each call: Karaf's JAAS services may come and go. */
    public JaasUserDirectory(Supplier<List<JaasRealm>> realms, Supplier<List<BackingEngineFactory>> factories,
            String realmName) {
        this.realms = realms;
        this.factories = factories;
        this.realmName = realmName;
    }

    @Override
    public synchronized List<User> list() {
        BackingEngine engine = engine();
        List<User> out = new ArrayList<>();
        for (UserPrincipal u : engine.listUsers()) {
            out.add(user(engine, u));
        }
        return out;
    }

    @Override
    public synchronized Optional<User> find(String name) {
        BackingEngine engine = engine();
        UserPrincipal u = engine.lookupUser(name);
        return u == null ? Optional.empty() : Optional.of(user(engine, u));
    }

    @Override
    public synchronized void add(String name, String password, Role role) {
        BackingEngine engine = engine();
        if (engine.lookupUser(name) != null) {
            throw new ThingportException(ErrorCode.CONFLICT, "user " + name + " already exists");
        }
        engine.addUser(name, password);
        engine.addRole(name, role.wireName());
    }

    @Override
    public synchronized void setPassword(String name, String password) {
        BackingEngine engine = engine();
        existing(engine, name);
        engine.addUser(name, password); // an existing user keeps its roles and groups
    }

    @Override
    public synchronized void setRole(String name, Role role) {
        BackingEngine engine = engine();
        User user = user(engine, existing(engine, name));
        if (user.roleFromGroup()) {
            throw new ThingportException(ErrorCode.CONFLICT, "the role of user " + name + " comes from a group; change the "
                    + "group with the jaas:* shell commands");
        }
        for (Role r : Role.values()) {
            engine.deleteRole(name, r.wireName());
        }
        engine.addRole(name, role.wireName());
    }

    @Override
    public synchronized void delete(String name) {
        BackingEngine engine = engine();
        existing(engine, name);
        engine.deleteUser(name);
    }

    private static UserPrincipal existing(BackingEngine engine, String name) {
        UserPrincipal u = engine.lookupUser(name);
        if (u == null) {
            throw ThingportException.notFound("user", name);
        }
        return u;
    }

    private static User user(BackingEngine engine, UserPrincipal u) {
        Set<String> all = new HashSet<>();
        engine.listRoles(u).forEach(r -> all.add(r.getName())); // a group's roles included
        Set<String> fromGroups = new HashSet<>();
        for (GroupPrincipal g : engine.listGroups(u)) {
            engine.listRoles(g).forEach(r -> fromGroups.add(r.getName()));
        }
        Role role = RequestAuthenticator.roleOf(all).orElse(null);
        return new User(u.getName(), role, role != null && fromGroups.contains(role.wireName()));
    }

    private BackingEngine engine() {
        BackingEngineService service = new BackingEngineService();
        service.setEngineFactories(factories.get());
        for (JaasRealm realm : realms.get()) {
            if (realm.getName().equals(realmName)) {
                for (AppConfigurationEntry entry : realm.getEntries()) {
                    BackingEngine engine = service.get(entry);
                    if (engine != null) {
                        return engine;
                    }
                }
            }
        }
        throw new ThingportException(ErrorCode.UNAVAILABLE, "the JAAS realm " + realmName
                + " has no login module whose users can be managed");
    }
}
