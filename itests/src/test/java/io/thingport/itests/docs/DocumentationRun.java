package io.thingport.itests.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The documentation run: in a private network (when the machine allows one), a fresh distribution from the build's
 * archive, then each document's steps in {@link Documents#ORDER}, each document with a shell of its own (the platform
 * carries over: the module READMEs use the README's product and device).
 */
public final class DocumentationRun {
    private final Path checkout = Documents.checkout();
    private final StringBuilder summary = new StringBuilder();

    /** Runs the documents and returns every failure (empty when everything ran as written). */
    public List<String> run() throws Exception {
        Set<String> only = Arrays.stream(System.getProperty("thingport.docs", "").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        Map<String, List<DocStep>> documents = new LinkedHashMap<>();
        for (String document : Documents.ORDER) {
            if (only.isEmpty() || only.contains(document)) {
                documents.put(document, Documents.steps(checkout, document));
            }
        }
        Path work = Files.createDirectories(checkout.resolve("itests/target/docs-it").toAbsolutePath());
        Path archive = Path.of(System.getProperty("thingport.assembly")).toAbsolutePath();
        List<String> failures = new ArrayList<>();
        try (NetworkNamespace network = NetworkNamespace.create()) {
            if (network.refusal() != null) {
                summary.append("no private network (").append(network.refusal()).append("): the documented ports must be free; ");
            }
            Map<String, String> environment = Map.of("JAVA_HOME", System.getProperty("java.home"),
                    "PATH", System.getenv("PATH") + ":/usr/sbin");
            Processes processes = new Processes(network.prefix(), environment, Files.createDirectories(work.resolve("out")));
            try (DocPlatform platform = DocPlatform.start(processes, archive, work.resolve("thingport"))) {
                for (Map.Entry<String, List<DocStep>> document : documents.entrySet()) {
                    Path scratch = work.resolve("shell").resolve(document.getKey().replace('/', '_'));
                    try (DocShell shell = new DocShell(processes, checkout, scratch)) {
                        DocRun run = new DocRun(platform, shell, checkout);
                        failures.addAll(run.run(document.getValue()));
                        summary.append(document.getKey()).append(": ").append(run.summary()).append("; ");
                    }
                }
            }
        }
        return failures;
    }

    /** What ran, per document. */
    public String summary() {
        return summary.toString();
    }
}
