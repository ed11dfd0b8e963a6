package io.thingport.core.internal.rules.sql;

import java.util.Locale;
import java.util.Set;

/** The reserved words: they cannot name a field at the start of a path or a column alias. */
final class Keywords {
    private static final Set<String> ALL = Set.of("SELECT", "AS", "FROM", "WHERE", "AND", "OR", "NOT", "IS", "NULL", "TRUE",
            "FALSE", "IN", "LIKE", "CASE", "WHEN", "THEN", "ELSE", "END");

    private Keywords() {
    }

    static boolean is(String word) {
        return ALL.contains(word.toUpperCase(Locale.ROOT));
    }
}
