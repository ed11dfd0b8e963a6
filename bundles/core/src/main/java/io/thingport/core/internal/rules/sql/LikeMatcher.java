package io.thingport.core.internal.rules.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * SQL LIKE without regular expressions: {@code %} matches any sequence, {@code _} one character (code point). The
 * pattern is cut at its {@code %}s into segments that must occur in order; each is placed at its leftmost position,
 * which is enough for a match, so there is no backtracking: O(text length x pattern length) at worst.
 */
final class LikeMatcher {
    private LikeMatcher() {
    }

    /** Checks the pattern's length (a compile error for a literal pattern, an evaluation error otherwise). */
    static String patternProblem(String pattern) {
        if (pattern.length() > Limits.MAX_LIKE_PATTERN_LENGTH) {
            return "a LIKE pattern of " + pattern.length() + " characters is longer than the limit of "
                    + Limits.MAX_LIKE_PATTERN_LENGTH;
        }
        return null;
    }

    static boolean matches(String text, String pattern) {
        String problem = patternProblem(pattern);
        if (problem != null) {
            throw new RuleEvalException(problem);
        }
        if (text.length() > Limits.MAX_STRING_LENGTH) {
            throw new RuleEvalException("LIKE on a string of " + text.length() + " characters, more than the limit of "
                    + Limits.MAX_STRING_LENGTH);
        }
        int[] t = text.codePoints().toArray();
        List<int[]> segments = segments(pattern);
        int[] first = segments.get(0);
        if (segments.size() == 1) {
            return t.length == first.length && matchesAt(t, 0, first);
        }
        int[] last = segments.get(segments.size() - 1);
        int end = t.length - last.length;
        if (end < first.length || !matchesAt(t, 0, first) || !matchesAt(t, end, last)) {
            return false;
        }
        int pos = first.length;
        for (int i = 1; i < segments.size() - 1; i++) {
            int[] seg = segments.get(i);
            int found = find(t, pos, end, seg);
            if (found < 0) {
                return false;
            }
            pos = found + seg.length;
        }
        return true;
    }

    private static List<int[]> segments(String pattern) {
        List<int[]> segments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= pattern.length(); i++) {
            if (i == pattern.length() || pattern.charAt(i) == '%') {
                segments.add(pattern.substring(start, i).codePoints().toArray());
                start = i + 1;
            }
        }
        return segments;
    }

    /** The leftmost position in [from, end - seg.length] where seg matches, or -1. */
    private static int find(int[] t, int from, int end, int[] seg) {
        for (int p = from; p + seg.length <= end; p++) {
            if (matchesAt(t, p, seg)) {
                return p;
            }
        }
        return -1;
    }

    private static boolean matchesAt(int[] t, int at, int[] seg) {
        if (at < 0 || at + seg.length > t.length) {
            return false;
        }
        for (int i = 0; i < seg.length; i++) {
            if (seg[i] != '_' && seg[i] != t[at + i]) {
                return false;
            }
        }
        return true;
    }
}
