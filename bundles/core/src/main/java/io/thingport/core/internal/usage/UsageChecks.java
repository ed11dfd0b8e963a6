package io.thingport.core.internal.usage;

import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@link UsageCheck} services a store follows (bound and unbound by DS), asked together. */
public final class UsageChecks {
    private final List<UsageCheck> checks = new CopyOnWriteArrayList<>();

    public void add(UsageCheck check) {
        checks.add(check);
    }

    public void remove(UsageCheck check) {
        checks.remove(check);
    }

    /** Every user that any check knows of, sorted, without repeats. */
    public List<String> users(UsageCheck.Kind kind, String name) {
        TreeSet<String> out = new TreeSet<>();
        for (UsageCheck check : checks) {
            out.addAll(check.users(kind, name));
        }
        return List.copyOf(out);
    }
}
