package io.thingport.api;

import java.util.regex.Pattern;

/** The identifier rules shared by products, devices, thing-model members and network components. */
public final class Identifiers {
    /** Thing-model identifiers: a letter, then letters, digits, underscore. */
    public static final Pattern THING_MODEL_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    /**
     * Product and device ids: they travel inside topics and in {@code id|timestamp} user names, so they may not
     * contain {@code / | + #}, white space or control characters.
     */
    public static final Pattern OBJECT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]*");
    public static final int MAX_ID_LENGTH = 64;
    /**
     * Names of network components, gateways and certificates: they become configuration file names
     * ({@code etc/io.thingport.network-<name>.cfg}).
     */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private Identifiers() {
    }

    /** Checks a product/device id and returns it; the exception names the field and the rule. */
    public static String requireObjectId(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ThingportException.invalidArgument(field + " is required");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw ThingportException.invalidArgument(field + " '" + value + "' is longer than " + MAX_ID_LENGTH + " characters");
        }
        if (!OBJECT_ID.matcher(value).matches()) {
            throw ThingportException.invalidArgument(field + " '" + value
                    + "' may contain only letters, digits and _ . : - and must start with a letter or digit");
        }
        return value;
    }

    /** Checks the name of a network component, gateway or certificate and returns it. */
    public static String requireName(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ThingportException.invalidArgument(field + " is required");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw ThingportException.invalidArgument(field + " '" + value + "' is longer than " + MAX_ID_LENGTH + " characters");
        }
        if (!NAME.matcher(value).matches()) {
            throw ThingportException.invalidArgument(field + " '" + value
                    + "' may contain only letters, digits, _ and - and must start with a letter or digit");
        }
        return value;
    }

    /** Checks a thing-model identifier and returns it. */
    public static String requireThingModelId(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ThingportException.invalidArgument(field + " is required");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw ThingportException.invalidArgument(field + " '" + value + "' is longer than " + MAX_ID_LENGTH + " characters");
        }
        if (!THING_MODEL_ID.matcher(value).matches()) {
            throw ThingportException.invalidArgument(field + " '" + value
                    + "' must start with a letter and contain only letters, digits and underscores");
        }
        return value;
    }
}
