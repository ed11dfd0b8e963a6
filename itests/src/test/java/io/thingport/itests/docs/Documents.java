package io.thingport.itests.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The documents whose examples run, in the order a reader meets them: the README first (it creates the product and the
 * device the others use), then each module's README. Every README.md of the checkout must be listed here.
 */
final class Documents {
    static final List<String> ORDER = List.of(
            "README.md",
            "bundles/network/mqtt-server/README.md",
            "bundles/network/tcp/README.md",
            "bundles/network/udp/README.md",
            "bundles/network/websocket/README.md",
            "bundles/network/http/README.md",
            "bundles/network/coap/README.md",
            "bundles/network/mqtt-client/README.md",
            "bundles/bridge/ctwing/README.md",
            "bundles/bridge/onenet/README.md",
            "bundles/protocol/gizwits/README.md",
            "bundles/simulator/README.md",
            "examples/protocol-compact/README.md",
            "bench/README.md");

    private Documents() {
    }

    /** The checkout: the system property {@code thingport.checkout}, else the parent of the working folder (itests/). */
    static Path checkout() {
        String property = System.getProperty("thingport.checkout");
        return (property != null ? Path.of(property) : Path.of("").toAbsolutePath().getParent()).toAbsolutePath().normalize();
    }

    /** The steps of one document. */
    static List<DocStep> steps(Path checkout, String document) {
        try {
            return DocSteps.parse(document, Files.readString(checkout.resolve(document), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every README.md of the checkout outside build output, relative to it. */
    static List<String> readmes(Path checkout) throws IOException {
        try (Stream<Path> files = Files.walk(checkout)) {
            return files.filter(p -> p.getFileName().toString().equals("README.md"))
                    .map(p -> checkout.relativize(p).toString())
                    .filter(p -> !p.contains("/target/") && !p.startsWith("target/") && !p.contains("node_modules/") && !p.startsWith("."))
                    .sorted().toList();
        }
    }
}
