package io.thingport.shell.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** What the command tests need: services that answer only what a test gives them, and the output of a command. */
public final class Fakes {
    private Fakes() {
    }

    /**
     * A service of {@code type} answering the methods named in {@code answers} (given the call's arguments); any other
     * method fails, so that a test says everything its command uses.
     */
    public static <T> T service(Class<T> type, Map<String, Function<Object[], Object>> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Function<Object[], Object> answer = answers.get(method.getName());
            if (answer != null) {
                return answer.apply(args == null ? new Object[0] : args);
            }
            return switch (method.getName()) {
                case "toString" -> "fake " + type.getSimpleName();
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
            };
        }));
    }

    /** What {@code command} prints on System.out (the console of a command's thread) while it runs. */
    public static String output(Callable<?> command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            command.call();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
