package io.thingport.rest.internal.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One page of a list and the cursor of the next ({@code null} at the end): pass it back as {@code ?cursor=}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, String next) {
    public Page {
        items = List.copyOf(items);
    }
}
