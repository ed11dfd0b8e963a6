package io.thingport.api.access;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An application: a program that calls the Open API with an id and a secret, signing each request
 * ({@link RequestSignature}). Its secret is never part of this record.
 *
 * @param id             the application id, sent with each request
 * @param name           a label for people
 * @param role           what it may do
 * @param products       the products whose devices, data and rules it may see; empty means all products
 * @param allowedSources the source addresses (an IPv4/IPv6 address or a CIDR block) it may call from; empty means any
 * @param expiresAt      when its secret stops working, or {@code null} for never
 * @param createdAt      when it was created
 * @param rotatedAt      when its secret was last replaced (its creation at first)
 * @param revoked        whether it was revoked: a revoked application is refused until deleted
 */
public record ApplicationInfo(String id, String name, Role role, Set<String> products, List<String> allowedSources,
        Instant expiresAt, Instant createdAt, Instant rotatedAt, boolean revoked) {
    public ApplicationInfo {
        products = Set.copyOf(products);
        allowedSources = List.copyOf(allowedSources);
    }

    /** Whether this application may see the product's devices and data. */
    public boolean mayAccessProduct(String productId) {
        return products.isEmpty() || products.contains(productId);
    }
}
