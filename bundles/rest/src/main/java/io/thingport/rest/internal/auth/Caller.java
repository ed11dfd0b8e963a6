package io.thingport.rest.internal.auth;

import io.thingport.api.access.Role;
import java.util.Set;

/**
 * Who made a request, once authenticated.
 *
 * @param name     a user name or an application id
 * @param kind     {@code user} or {@code application}
 * @param role     what the caller may do
 * @param products the products the caller may see; empty means all
 */
public record Caller(String name, String kind, Role role, Set<String> products) {
    public static final String USER = "user";
    public static final String APPLICATION = "application";

    public Caller {
        products = Set.copyOf(products);
    }

    public boolean mayAccessProduct(String productId) {
        return products.isEmpty() || products.contains(productId);
    }
}
