package io.thingport.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicFiltersTest {
    @Test
    void matchesMqttWildcards() {
        // Verifies + (one level) and # (the rest, including the parent level).
        assertThat(TopicFilters.matches("/p1/d1/#", "/p1/d1/function/invoke")).isTrue();
        assertThat(TopicFilters.matches("/p1/d1/#", "/p1/d1")).isTrue();
        assertThat(TopicFilters.matches("/p1/+/function/invoke", "/p1/d1/function/invoke")).isTrue();
        assertThat(TopicFilters.matches("/p1/d1/+", "/p1/d1/a/b")).isFalse();
        assertThat(TopicFilters.matches("/p1/d1", "/p1/d1/a")).isFalse();
        assertThat(TopicFilters.matches("/device/+/+/properties/report", "/device/p/d/properties/report")).isTrue();
    }

    @Test
    void validatesFilters() {
        // Verifies the filter syntax rules.
        assertThat(TopicFilters.isValid("/a/#")).isTrue();
        assertThat(TopicFilters.isValid("/a/#/b")).isFalse();
        assertThat(TopicFilters.isValid("/a/b+")).isFalse();
        assertThat(TopicFilters.isValid("")).isFalse();
    }
}
