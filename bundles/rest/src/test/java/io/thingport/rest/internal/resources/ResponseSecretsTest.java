package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No answer of the API holds a secret, except the answers that hand one out once on purpose: a new product's or device's
 * secret, a device's new secret, a new or rotated application's secret, and the devices of a done import (to its caller,
 * while the job is held).
 */
class ResponseSecretsTest {
    private static final Set<String> SECRET_NAMES = Set.of("secret", "password", "privatekey");
    private static final Set<String> ONE_TIME_ANSWERS = Set.of("ProductResource$CreatedProduct.secret",
            "DeviceResource$CreatedDeviceView.secret", "DeviceResource$SecretView.secret",
            "ApplicationResource$CreatedApplicationView.secret", "ImportJobs$DeviceSecret.secret");

    // Verifies that the records an answer is made of (every record a resource declares that is not a request body, the
    // types its methods return, and every record reachable from those) name no secret but in the one-time answers.
    @Test
    void noAnswerHoldsASecretButTheOneTimeOnes() {
        // GIVEN every type an answer may be made of
        Set<Class<?>> bodies = new HashSet<>();
        Set<Type> roots = new HashSet<>();
        for (Class<?> c : ResourceClasses.all()) {
            for (Method m : ResourceClasses.publicMethods(c)) {
                roots.add(m.getGenericReturnType());
                for (Parameter p : m.getParameters()) {
                    if (p.getAnnotations().length == 0) {
                        bodies.add(p.getType());
                    }
                }
            }
        }
        for (Class<?> c : ResourceClasses.all()) {
            for (Class<?> nested : c.getDeclaredClasses()) {
                if (nested.isRecord() && !bodies.contains(nested)) {
                    roots.add(nested);
                }
            }
        }

        // WHEN their record components are walked for names of secrets
        Set<String> found = new TreeSet<>();
        Set<Type> seen = new HashSet<>();
        roots.forEach(t -> walk(t, seen, found));

        // THEN the one-time answers are the only ones (and they are found: the walk sees them)
        assertThat(found).isEqualTo(ONE_TIME_ANSWERS);
    }

    private static void walk(Type type, Set<Type> seen, Set<String> found) {
        if (!seen.add(type)) {
            return;
        }
        if (type instanceof ParameterizedType p) {
            walk(p.getRawType(), seen, found);
            for (Type arg : p.getActualTypeArguments()) {
                walk(arg, seen, found);
            }
            return;
        }
        if (!(type instanceof Class<?> c) || !c.isRecord()) {
            return;
        }
        for (RecordComponent rc : c.getRecordComponents()) {
            if (SECRET_NAMES.contains(rc.getName().toLowerCase(Locale.ROOT))) {
                found.add(c.getName().substring(c.getPackageName().length() + 1) + "." + rc.getName());
            }
            walk(rc.getGenericType(), seen, found);
        }
    }
}
