package io.thingport.core.internal.usage;

import java.util.List;

/**
 * Answers "who uses this name?" for one kind of named resource, so that the store of that resource refuses to delete
 * what is still referenced and can show its users.
 *
 * <p>Published as an OSGi service by whoever holds the references (the network manager: components name
 * certificates, gateways name protocols). Stores take every {@code UsageCheck} service through a dynamic, optional
 * reference, so the dependency is visible to Declarative Services and no activation cycle hides in a constructor.
 * Implementations answer from memory and must not call back into the asking store.
 */
public interface UsageCheck {
    /** The kinds of resources that are referenced by name. */
    enum Kind {
        /** A managed certificate, named by network components ({@code certificate}, {@code trust}). */
        CERTIFICATE,
        /** A protocol (package or built-in), named by device access gateways. */
        PROTOCOL
    }

    /** The names of what uses {@code name} of this kind, in a stable order; empty when nothing does. */
    List<String> users(Kind kind, String name);
}
