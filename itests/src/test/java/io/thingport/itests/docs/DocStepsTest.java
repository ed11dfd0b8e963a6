package io.thingport.itests.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class DocStepsTest {
    @Test
    public void readsDirectivesAndTheirBlocks() {
        List<DocStep> steps = DocSteps.parse("d.md", """
                Text.
                <!-- test: karaf | expect temp 21.5 | expect humidity -->
                ```
                iot:device-props dev-1
                ```
                <!-- test: shell | background sub | timeout 5 -->
                ```sh
                mosquitto_sub -t x
                ```
                <!-- test: output sub | absent error -->
                <!-- test: skip a layout, not a command -->
                ```
                bundles/api
                ```
                <!-- test: shell | fails | with <dir>=examples/x -->
                ````
                ls <dir>
                ````
                """);
        assertThat(steps).extracting(DocStep::kind).containsExactly(DocStep.Kind.KARAF, DocStep.Kind.SHELL, DocStep.Kind.OUTPUT,
                DocStep.Kind.SKIP, DocStep.Kind.SHELL);
        assertThat(steps.get(0).expect()).containsExactly("temp 21.5", "humidity");
        assertThat(steps.get(0).text()).isEqualTo("iot:device-props dev-1\n");
        assertThat(steps.get(0).where()).isEqualTo("d.md:2");
        assertThat(steps.get(0).timeout()).isEqualTo(DocSteps.DEFAULT_TIMEOUT);
        assertThat(steps.get(1).background()).isEqualTo("sub");
        assertThat(steps.get(1).timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(steps.get(2).argument()).isEqualTo("sub");
        assertThat(steps.get(2).absent()).containsExactly("error");
        assertThat(steps.get(3).argument()).isEqualTo("a layout, not a command");
        assertThat(steps.get(4).fails()).isTrue();
        assertThat(steps.get(4).with()).isEqualTo(Map.of("<dir>", "examples/x"));
        assertThat(steps.get(4).resolved(Path.of("/co"))).isEqualTo("ls /co/examples/x\n");
    }

    @Test
    public void refusesUnmarkedBlocksAndBadDirectives() {
        assertThatThrownBy(() -> DocSteps.parse("d.md", "x\n```\nls\n```\n"))
                .hasMessage("d.md:2: a code block without a <!-- test: ... --> directive on the line before it");
        assertThatThrownBy(() -> DocSteps.parse("d.md", "<!-- test: shell -->\n\n```\nls\n```\n"))
                .hasMessageContaining("d.md:1: a directive must be on the line right before its block")
                .hasMessageContaining("d.md:3: a code block without");
        assertThatThrownBy(() -> DocSteps.parse("d.md", "<!-- test: skip -->\n```\nls\n```\n"))
                .hasMessage("d.md:1: skip needs a reason: <!-- test: skip <why it does not run> -->");
        assertThatThrownBy(() -> DocSteps.parse("d.md", "<!-- test: run -->\n```\nls\n```\n"))
                .hasMessageContaining("unknown kind 'run'");
        assertThatThrownBy(() -> DocSteps.parse("d.md", "<!-- test: shell | expects x -->\n```\nls\n```\n"))
                .hasMessageContaining("unknown clause 'expects'");
        assertThatThrownBy(() -> DocSteps.parse("d.md", "<!-- test: karaf | background b -->\n```\nls\n```\n"))
                .hasMessageContaining("only a shell block runs in the background");
        assertThatThrownBy(() -> DocSteps.parse("d.md", "<!-- test: shell | timeout 0 -->\n```\nls\n```\n"))
                .hasMessageContaining("timeout takes seconds, 1..600: '0'");
        assertThatThrownBy(() -> DocSteps.parse("d.md", "<!-- test: output sub -->\n"))
                .hasMessageContaining("output checks nothing");
        assertThatThrownBy(() -> DocSteps.parse("d.md", "<!-- test: shell -->\ntext\n"))
                .hasMessage("d.md:1: a directive without a code block after it");
        assertThatThrownBy(() -> DocSteps.parse("d.md", "<!-- test: shell -->\n```\nls\n"))
                .hasMessage("d.md:2: a code block that is never closed");
    }

    @Test
    public void everyReadmeIsListedAndEveryBlockMarked() throws Exception {
        Path checkout = Documents.checkout();
        assertThat(Documents.ORDER).containsExactlyInAnyOrderElementsOf(Documents.readmes(checkout));
        for (String document : Documents.ORDER) {
            Documents.steps(checkout, document);
        }
    }
}
