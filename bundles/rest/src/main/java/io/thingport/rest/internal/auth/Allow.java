package io.thingport.rest.internal.auth;

import io.thingport.api.access.Role;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role a resource method needs (on a method, or on a class for all its methods). A method without one,
 * on a class without one, needs {@code admin}: what was not thought about is closed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Allow {
    Role value();
}
