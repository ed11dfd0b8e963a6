package io.thingport.rest.internal.auth;

import java.util.Optional;
import java.util.Set;

/** Checks a person's user name and password (Karaf JAAS in the platform). */
public interface PasswordCheck {
    /** The user's role names when the password is right, empty when it is not (or the user does not exist). */
    Optional<Set<String>> roles(String user, String password);
}
