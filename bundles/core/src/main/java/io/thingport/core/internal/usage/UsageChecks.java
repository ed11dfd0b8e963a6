package io.thingport.core.internal.usage;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.ComponentServiceObjects;

/**
 * The {@link UsageCheck}s a store follows, asked together.
 *
 * <p>Stores bind them as {@link ComponentServiceObjects}, which Declarative Services hands over without creating the
 * service: the network runtime that answers depends on the stores, so creating it while a store is being created
 * would be a cycle. The service is looked up when a question is asked, by which time both are active.
 */
public final class UsageChecks {
    private final Map<Object, UsageCheck> checks = new ConcurrentHashMap<>();

    public void add(ComponentServiceObjects<UsageCheck> service) {
        checks.put(service, (kind, name) -> LazyServices.call(service, check -> check.users(kind, name)));
    }

    public void remove(ComponentServiceObjects<UsageCheck> service) {
        checks.remove(service);
    }

    /** A check that is no service (tests, or a store's own rules). */
    public void add(UsageCheck check) {
        checks.put(check, check);
    }

    public void remove(UsageCheck check) {
        checks.remove(check);
    }

    /** Every user that any check knows of, sorted, without repeats. */
    public List<String> users(UsageCheck.Kind kind, String name) {
        TreeSet<String> out = new TreeSet<>();
        for (UsageCheck check : checks.values()) {
            out.addAll(check.users(kind, name));
        }
        return List.copyOf(out);
    }
}
