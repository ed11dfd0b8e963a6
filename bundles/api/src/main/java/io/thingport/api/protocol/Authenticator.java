package io.thingport.api.protocol;

/**
 * Checks a connection's credentials.
 *
 * <p>Threading: called on a platform worker thread, never on a network event loop; the {@link AuthContext} look-ups
 * may touch storage.
 */
@FunctionalInterface
public interface Authenticator {
    AuthResult authenticate(AuthRequest request, AuthContext context);
}
