package io.thingport.api.protocol;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Checks a connection's credentials.
 *
 * <p>Threading: called on a platform worker thread, never on a network event loop; the {@link AuthContext} look-ups
 * may touch storage.
 */
@ConsumerType
@FunctionalInterface
public interface Authenticator {
    AuthResult authenticate(AuthRequest request, AuthContext context);
}
