package io.thingport.rest.internal.resources;

import java.io.File;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.Path;

/** The root resource classes of this package as compiled, and their resource methods, found by reflection. */
final class ResourceClasses {
    private ResourceClasses() {
    }

    /** Every class of this package with {@code @Path}, by name. */
    static List<Class<?>> all() {
        String pkg = ResourceClasses.class.getPackageName();
        // the main classes' directory: the test classes of the same package come first on the class path
        URL classes = RuleResource.class.getProtectionDomain().getCodeSource().getLocation();
        List<Class<?>> out = new ArrayList<>();
        try {
            for (File f : new File(new File(classes.toURI()), pkg.replace('.', '/')).listFiles()) {
                String name = f.getName();
                if (name.endsWith(".class") && !name.contains("$")) {
                    Class<?> c = Class.forName(pkg + "." + name.substring(0, name.length() - ".class".length()));
                    if (c.isAnnotationPresent(Path.class)) {
                        out.add(c);
                    }
                }
            }
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
        out.sort(Comparator.comparing(Class::getName));
        if (out.isEmpty()) {
            throw new AssertionError("no resource classes found under " + classes);
        }
        return out;
    }

    /** The public instance methods a class declares: each must be a resource method. */
    static List<Method> publicMethods(Class<?> c) {
        return Arrays.stream(c.getDeclaredMethods()).filter(m -> Modifier.isPublic(m.getModifiers()))
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()).toList();
    }

    /** The HTTP method of a resource method ({@code GET}, ...), or {@code null}. */
    static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }

    /** {@code Class.method}. */
    static String key(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName();
    }
}
