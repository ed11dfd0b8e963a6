package io.thingport.api.protocol;

import io.thingport.api.Secrets;

/** What an authenticator may know about a product: its secret and whether devices may register themselves. */
public record ProductCredentials(String productId, String secret, boolean dynamicRegistration) {
    /** As the generated one, but the secret masked ({@link Secrets#mask}). */
    @Override
    public String toString() {
        return "ProductCredentials[productId=" + productId + ", secret=" + Secrets.mask(secret) + ", dynamicRegistration="
                + dynamicRegistration + "]";
    }
}
