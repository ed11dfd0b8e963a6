package io.thingport.core.internal.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LikeMatcherTest {
    @Test
    void wildcardsMatchLikeSql() {
        // Verifies % (any sequence, empty included) and _ (one character, a code point) anchored at both ends.
        // GIVEN / WHEN / THEN
        assertThat(LikeMatcher.matches("", "")).isTrue();
        assertThat(LikeMatcher.matches("", "%")).isTrue();
        assertThat(LikeMatcher.matches("", "_")).isFalse();
        assertThat(LikeMatcher.matches("abc", "abc")).isTrue();
        assertThat(LikeMatcher.matches("abc", "ab")).isFalse();
        assertThat(LikeMatcher.matches("abc", "a%")).isTrue();
        assertThat(LikeMatcher.matches("abc", "%c")).isTrue();
        assertThat(LikeMatcher.matches("abc", "%b%")).isTrue();
        assertThat(LikeMatcher.matches("abc", "a_c")).isTrue();
        assertThat(LikeMatcher.matches("abc", "a__c")).isFalse();
        assertThat(LikeMatcher.matches("aXbXc", "a%b%c")).isTrue();
        assertThat(LikeMatcher.matches("abab", "%ab")).isTrue();
        assertThat(LikeMatcher.matches("aba", "ab%ba")).isFalse();
        assertThat(LikeMatcher.matches("abba", "ab%ba")).isTrue();
        assertThat(LikeMatcher.matches("a.c", "a.c")).isTrue();
        assertThat(LikeMatcher.matches("abc", "a.c")).isFalse();
        assertThat(LikeMatcher.matches("x\uD83D\uDE00y", "x_y")).isTrue();
        assertThat(LikeMatcher.matches("/thermo/t-1/properties/report", "/%/%/properties/%")).isTrue();
        assertThat(LikeMatcher.matches("/thermo/t-1/event/overheat", "/%/%/properties/%")).isFalse();
    }

    @Test
    void aPathologicalPatternStaysFast() {
        // Verifies the absence of exponential backtracking: many %s against a long non-matching text finish at once.
        // GIVEN a pattern a%a%a%...%b and a text of 65,536 a's (a backtracking regex would take forever)
        String text = "a".repeat(65_536);
        String pattern = "a%".repeat(499) + "b";
        // WHEN
        long start = System.nanoTime();
        boolean matched = LikeMatcher.matches(text, pattern);
        long millis = (System.nanoTime() - start) / 1_000_000;
        // THEN
        assertThat(matched).isFalse();
        assertThat(millis).isLessThan(2_000);
    }
}
