package io.thingport.core.internal.registry;

import io.thingport.api.ThingportException;

/** The display names of products and devices. */
final class Names {
    static final int MAX_LENGTH = 200;

    private Names() {
    }

    /** The trimmed name, or {@code fallback} when it is missing or blank; refused when longer than {@value #MAX_LENGTH}. */
    static String orDefault(String name, String fallback) {
        String n = name == null || name.isBlank() ? fallback : name.trim();
        if (n.length() > MAX_LENGTH) {
            throw ThingportException.invalidArgument("name is longer than " + MAX_LENGTH + " characters");
        }
        return n;
    }
}
