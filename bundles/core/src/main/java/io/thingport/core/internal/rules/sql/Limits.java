package io.thingport.core.internal.rules.sql;

/** The bounds on statements (they come from API and shell users) and on the values evaluation builds. */
final class Limits {
    static final int MAX_STATEMENT_LENGTH = 10_000;
    static final int MAX_DEPTH = 50;
    static final int MAX_SELECT_ITEMS = 100;
    static final int MAX_SOURCES = 16;
    static final int MAX_IN_ITEMS = 100;
    static final int MAX_IDENTIFIER_LENGTH = 128;
    static final int MAX_STRING_LENGTH = 65_536;
    static final int MAX_DATE_PATTERN_LENGTH = 256;
    /** LIKE runs in O(text x pattern) at worst: the pattern is short, the text at most a string's limit. */
    static final int MAX_LIKE_PATTERN_LENGTH = 1_000;

    private Limits() {
    }
}
