package io.thingport.api.access;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What {@link ApplicationService#create} needs: see {@link ApplicationInfo} for the meaning of each part.
 * {@code products} and {@code allowedSources} may be empty (all products, any source); {@code expiresAt} may be null.
 */
public record NewApplication(String name, Role role, Set<String> products, List<String> allowedSources, Instant expiresAt) {
    public NewApplication {
        products = products == null ? Set.of() : Set.copyOf(products);
        allowedSources = allowedSources == null ? List.of() : List.copyOf(allowedSources);
    }
}
