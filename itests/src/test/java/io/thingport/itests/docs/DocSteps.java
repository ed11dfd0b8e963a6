package io.thingport.itests.docs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the steps of a markdown document: every fenced code block must be preceded (on the line right before its
 * fence) by a directive {@code <!-- test: <kind> [| clause]... -->}, so that no example can be added without saying
 * whether and how it runs. Kinds: {@code karaf}, {@code shell}, {@code skip <reason>}, and {@code output <name>} (a
 * directive alone, checking a background block's output). Clauses: {@code expect <text>}, {@code absent <text>},
 * {@code fails}, {@code background <name>}, {@code timeout <seconds>}, {@code with <placeholder>=<path>}.
 */
public final class DocSteps {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern DIRECTIVE = Pattern.compile("^<!--\\s*test:\\s*(.*?)\\s*-->$");
    private static final Pattern FENCE = Pattern.compile("^(`{3,})(.*)$");

    private DocSteps() {
    }

    /**
     * The steps of {@code markdown}, in document order.
     *
     * @throws IllegalArgumentException naming every unmarked block and every bad directive, with its line
     */
    public static List<DocStep> parse(String document, String markdown) {
        List<DocStep> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        int directiveLine = -1;
        String directive = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            Matcher d = DIRECTIVE.matcher(line);
            Matcher f = FENCE.matcher(line);
            if (d.matches()) {
                if (directive != null) {
                    problems.add(document + ":" + directiveLine + ": a directive without a code block after it");
                }
                directive = d.group(1);
                directiveLine = i + 1;
                if (directive.startsWith("output")) {
                    add(steps, problems, document, directiveLine, directive, "");
                    directive = null;
                }
            } else if (f.matches()) {
                int close = closingFence(lines, i + 1, f.group(1));
                if (close < 0) {
                    problems.add(document + ":" + (i + 1) + ": a code block that is never closed");
                    directive = null;
                    break;
                }
                if (directive == null || directiveLine != i) {
                    if (directive != null) {
                        problems.add(document + ":" + directiveLine + ": a directive must be on the line right before its block");
                    }
                    problems.add(document + ":" + (i + 1) + ": a code block without a <!-- test: ... --> directive on the line before it");
                } else {
                    StringBuilder text = new StringBuilder();
                    for (int j = i + 1; j < close; j++) {
                        text.append(lines[j]).append('\n');
                    }
                    add(steps, problems, document, directiveLine, directive, text.toString());
                }
                directive = null;
                i = close;
            } else if (directive != null && !line.isEmpty()) {
                problems.add(document + ":" + directiveLine + ": a directive without a code block after it");
                directive = null;
            }
        }
        if (directive != null) {
            problems.add(document + ":" + directiveLine + ": a directive without a code block after it");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return steps;
    }

    private static int closingFence(String[] lines, int from, String ticks) {
        for (int j = from; j < lines.length; j++) {
            if (lines[j].strip().equals(ticks)) {
                return j;
            }
        }
        return -1;
    }

    private static void add(List<DocStep> steps, List<String> problems, String document, int line, String directive, String text) {
        try {
            steps.add(step(document, line, directive, text));
        } catch (IllegalArgumentException e) {
            problems.add(document + ":" + line + ": " + e.getMessage());
        }
    }

    /** One directive and its block as a step. */
    static DocStep step(String document, int line, String directive, String text) {
        String[] parts = directive.split("\\s*\\|\\s*");
        String[] head = parts[0].split("\\s+", 2);
        String argument = head.length > 1 ? head[1].strip() : "";
        DocStep.Kind kind = switch (head[0]) {
            case "karaf" -> DocStep.Kind.KARAF;
            case "shell" -> DocStep.Kind.SHELL;
            case "output" -> DocStep.Kind.OUTPUT;
            case "skip" -> DocStep.Kind.SKIP;
            default -> throw new IllegalArgumentException("unknown kind '" + head[0] + "' (karaf, shell, output, skip)");
        };
        if (kind == DocStep.Kind.SKIP && argument.isEmpty()) {
            throw new IllegalArgumentException("skip needs a reason: <!-- test: skip <why it does not run> -->");
        }
        if (kind == DocStep.Kind.OUTPUT && !argument.matches("[\\w-]+")) {
            throw new IllegalArgumentException("output needs the name of a background block");
        }
        if ((kind == DocStep.Kind.KARAF || kind == DocStep.Kind.SHELL) && !argument.isEmpty()) {
            throw new IllegalArgumentException(head[0] + " takes no argument: '" + argument + "'");
        }
        List<String> expect = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        boolean fails = false;
        String background = null;
        Duration timeout = kind == DocStep.Kind.OUTPUT ? Duration.ofSeconds(20) : DEFAULT_TIMEOUT;
        Map<String, String> with = new LinkedHashMap<>();
        for (int p = 1; p < parts.length; p++) {
            String[] clause = parts[p].split("\\s+", 2);
            String value = clause.length > 1 ? clause[1] : "";
            switch (clause[0]) {
                case "expect" -> expect.add(required(clause[0], value));
                case "absent" -> absent.add(required(clause[0], value));
                case "fails" -> fails = true;
                case "background" -> background = required(clause[0], value);
                case "timeout" -> timeout = Duration.ofSeconds(seconds(value));
                case "with" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0 || eq == value.length() - 1) {
                        throw new IllegalArgumentException("with needs <placeholder>=<path relative to the checkout>");
                    }
                    with.put(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown clause '" + clause[0]
                        + "' (expect, absent, fails, background, timeout, with)");
            }
        }
        if (kind == DocStep.Kind.SKIP && parts.length > 1) {
            throw new IllegalArgumentException("a skipped block takes no clauses");
        }
        if (background != null && kind != DocStep.Kind.SHELL) {
            throw new IllegalArgumentException("only a shell block runs in the background");
        }
        if (kind == DocStep.Kind.OUTPUT && expect.isEmpty() && absent.isEmpty()) {
            throw new IllegalArgumentException("output checks nothing: add expect or absent");
        }
        if (kind != DocStep.Kind.SKIP && kind != DocStep.Kind.OUTPUT && text.isBlank()) {
            throw new IllegalArgumentException("an empty block");
        }
        return new DocStep(document, line, kind, argument, text, List.copyOf(expect), List.copyOf(absent), fails, background,
                timeout, Map.copyOf(with));
    }

    private static String required(String clause, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(clause + " needs a text");
        }
        return value;
    }

    private static long seconds(String value) {
        try {
            long s = Long.parseLong(value);
            if (s > 0 && s <= 600) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("timeout takes seconds, 1..600: '" + value + "'");
    }
}
