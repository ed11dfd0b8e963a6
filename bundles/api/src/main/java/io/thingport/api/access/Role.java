package io.thingport.api.access;

import java.util.Locale;

/**
 * What a caller may do, each role including the ones before it: a {@code viewer} reads, an {@code operator} also
 * changes devices, products, rules and sends commands, an {@code admin} also manages the platform itself (network
 * components, gateways, protocol packages, certificates, applications, users, the access and system logs).
 */
public enum Role {
    VIEWER,
    OPERATOR,
    ADMIN;

    /** Whether a caller holding this role may do what {@code needed} allows. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role's name as users write it: {@code viewer}, {@code operator}, {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of this name (any case), or {@code null} when the name is not a role. */
    public static Role fromName(String name) {
        if (name == null) {
            return null;
        }
        for (Role r : values()) {
            if (r.wireName().equalsIgnoreCase(name.trim())) {
                return r;
            }
        }
        return null;
    }
}
