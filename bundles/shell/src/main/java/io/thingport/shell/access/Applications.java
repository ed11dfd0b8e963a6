package io.thingport.shell.access;

import io.thingport.api.ThingportException;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.CreatedApplication;
import io.thingport.api.access.Role;
import io.thingport.shell.support.Values;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/** How the application commands show an application, and read a role. */
final class Applications {
    private Applications() {
    }

    /** {@code active}, {@code revoked} or {@code expired} at {@code now}. */
    static String state(ApplicationInfo a, Instant now) {
        if (a.revoked()) {
            return "revoked";
        }
        return a.expiresAt() != null && !now.isBefore(a.expiresAt()) ? "expired" : "active";
    }

    static String products(ApplicationInfo a) {
        return a.products().isEmpty() ? "all" : String.join(",", new TreeSet<>(a.products()));
    }

    static String sources(ApplicationInfo a) {
        return a.allowedSources().isEmpty() ? "any" : String.join(",", a.allowedSources());
    }

    static String expires(ApplicationInfo a) {
        return a.expiresAt() == null ? "never" : Values.time(a.expiresAt());
    }

    /** The role a user wrote, or a refusal naming the option. */
    static Role role(String name) {
        Role role = Role.fromName(name);
        if (role == null) {
            throw ThingportException.invalidArgument("--role must be viewer, operator or admin, not '" + name + "'");
        }
        return role;
    }

    /** The lines that show a new secret, the one time it is shown. */
    static List<String> secretLines(CreatedApplication created) {
        return List.of("application id:     " + created.application().id(),
                "application secret: " + created.secret(),
                "Keep the secret now: it is not shown again (iot:app-rotate replaces it). Sign each request with it,"
                        + " see io.thingport.api.access.RequestSignature.");
    }
}
