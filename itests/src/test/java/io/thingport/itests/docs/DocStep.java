package io.thingport.itests.docs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One marked step of a document: a fenced block (or, for {@code output}, a directive alone) with what its directive
 * says about it. The directive is an HTML comment on the line before the fence, invisible on a rendered page:
 * {@code <!-- test: <kind> [| clause]... -->}.
 *
 * @param document the document, relative to the checkout
 * @param line     the line of the directive (1-based)
 * @param kind     what to do with the block
 * @param argument the kind's argument: the reason of a {@code skip}, the name of an {@code output}
 * @param text     the block's text ({@code ""} for {@code output})
 * @param expect   texts the output must contain, in any order
 * @param absent   texts the output must not contain
 * @param fails    whether the block is expected to fail (every karaf line; the shell block's status)
 * @param background the name under which a shell block keeps running in the background, or {@code null}
 * @param timeout  how long the block may take (or, for {@code output}, how long to wait for the texts)
 * @param with     placeholders replaced before running: placeholder → path relative to the checkout
 */
public record DocStep(String document, int line, Kind kind, String argument, String text, List<String> expect,
        List<String> absent, boolean fails, String background, Duration timeout, Map<String, String> with) {

    /** What a step is. */
    public enum Kind {
        /** Lines for the Karaf shell, each run by {@code bin/client -b}. */
        KARAF,
        /** A bash script, run with the state (variables, functions, folder) the document's earlier scripts left. */
        SHELL,
        /** The output of a background shell block so far (no fence): waits for the expected texts. */
        OUTPUT,
        /** Not run, with the reason in the directive. */
        SKIP
    }

    /** The block's text with every {@code with} placeholder replaced by its absolute path under {@code checkout}. */
    public String resolved(Path checkout) {
        String result = text;
        for (Map.Entry<String, String> e : with.entrySet()) {
            result = result.replace(e.getKey(), checkout.resolve(e.getValue()).normalize().toString());
        }
        return result;
    }

    /** Where the step is, for messages. */
    public String where() {
        return document + ":" + line;
    }
}
