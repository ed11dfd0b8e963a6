package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.itests.docs.DocumentationRun;
import org.junit.Test;

/**
 * Every example of the README and the module READMEs, run as written against a fresh distribution: see
 * {@link DocumentationRun}. {@code -Dthingport.docs=README.md,bundles/network/http/README.md} runs only those documents
 * (in the usual order).
 */
public class DocumentationIT {
    @Test
    public void everyDocumentedExampleRunsAsWritten() throws Exception {
        DocumentationRun run = new DocumentationRun();
        assertThat(run.run()).as(run.summary()).isEmpty();
    }
}
