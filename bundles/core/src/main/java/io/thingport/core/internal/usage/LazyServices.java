package io.thingport.core.internal.usage;

import java.util.function.Function;
import org.osgi.service.component.ComponentServiceObjects;

/** Calls a service bound as {@link ComponentServiceObjects}: gets it for the call and releases it after. */
public final class LazyServices {
    private LazyServices() {
    }

    /** The answer of {@code call} on the service; a service that is gone meanwhile answers as {@code call(null)} must not. */
    public static <S, R> R call(ComponentServiceObjects<S> service, Function<S, R> call) {
        S instance = service.getService();
        try {
            return call.apply(instance);
        } finally {
            service.ungetService(instance);
        }
    }
}
