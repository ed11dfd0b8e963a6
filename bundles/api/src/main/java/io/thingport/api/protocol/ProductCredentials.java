package io.thingport.api.protocol;

/** What an authenticator may know about a product: its secret and whether devices may register themselves. */
public record ProductCredentials(String productId, String secret, boolean dynamicRegistration) {
}
