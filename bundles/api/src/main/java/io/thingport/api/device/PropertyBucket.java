package io.thingport.api.device;

import java.time.Instant;

/**
 * A property's values within one interval of a downsampled series: how many there were, the smallest, largest and
 * mean of the numeric ones ({@code null} when the property is not numeric), and the last value.
 */
public record PropertyBucket(Instant start, long count, Double min, Double max, Double avg, Object last) {
}
