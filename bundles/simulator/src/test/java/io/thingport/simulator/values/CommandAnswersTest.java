package io.thingport.simulator.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.thingport.api.model.ThingModel;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CommandAnswersTest {
    private final ThingModel model = EveryType.model();
    private final ValueGenerator generator = new ValueGenerator(new SplittableRandom(7), () -> 1L);
    private final CommandAnswers answers = new CommandAnswers(model, generator);

    @Test
    void readAnswersWithTheCurrentValues() {
        // Verifies that a read is answered with the values held, generating (and then holding) those not held yet.
        // GIVEN a device holding a level of 40
        Map<String, Object> held = Map.of("level", 40L);

        // WHEN the platform reads level and temp
        CommandAnswers.Answer a = answers.answer("properties/read",
                Map.of("messageId", "m1", "properties", List.of("level", "temp")), held).orElseThrow();

        // THEN the reply carries the held level and a valid temp, which the device now holds
        assertThat(a.topicSuffix()).isEqualTo("properties/read/reply");
        assertThat(a.payload()).containsEntry("messageId", "m1").containsEntry("success", true);
        Map<?, ?> props = (Map<?, ?>) a.payload().get("properties");
        assertThat(props.get("level")).isEqualTo(40L);
        assertThatCode(() -> model.checkReported(Map.of("temp", props.get("temp")))).doesNotThrowAnyException();
        assertThat(a.values()).containsEntry("level", 40L).containsKey("temp");
    }

    @Test
    void writeAppliesAndEchoesNormalizedValues() {
        // Verifies that a write is applied and echoed in its canonical form (an enum label becomes its key).
        // GIVEN a device holding on=false
        // WHEN the platform writes on=true and mode by its label
        CommandAnswers.Answer a = answers.answer("properties/write",
                Map.of("messageId", "m2", "properties", Map.of("on", true, "mode", "eco")), Map.of("on", false)).orElseThrow();

        // THEN the device holds and echoes the values
        assertThat(a.topicSuffix()).isEqualTo("properties/write/reply");
        assertThat(a.success()).isTrue();
        assertThat(a.payload().get("properties")).isEqualTo(Map.of("on", true, "mode", "1"));
        assertThat(a.values()).containsEntry("on", true).containsEntry("mode", "1");
    }

    @Test
    void invokeRepliesWithAnOutputOfTheFunctionsType() {
        // Verifies that an invocation is answered with an output valid for the function's output type.
        // GIVEN functions returning an object and a float
        for (String f : List.of("get_where", "get_fine", "get_points")) {
            // WHEN the platform invokes it
            CommandAnswers.Answer a = answers.answer("function/invoke",
                    Map.of("messageId", "m3", "functionId", f, "inputs", List.of()), Map.of()).orElseThrow();

            // THEN the reply succeeds with a valid output
            assertThat(a.topicSuffix()).isEqualTo("function/invoke/reply");
            assertThat(a.success()).isTrue();
            assertThatCode(() -> model.function(f).orElseThrow().output().normalize(a.payload().get("output"), f))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void refusesWhatTheModelRefuses() {
        // Verifies that commands the thing model refuses get success:false naming the rule, and change nothing.
        // GIVEN a device holding on=false
        Map<String, Object> held = Map.of("on", false);

        // WHEN it gets a write of a read-only property, an out-of-range write, an unknown function and a missing input
        CommandAnswers.Answer readOnly = answers.answer("properties/write",
                Map.of("messageId", "a", "properties", Map.of("count", 1, "on", true)), held).orElseThrow();
        CommandAnswers.Answer range = answers.answer("properties/write",
                Map.of("messageId", "b", "properties", Map.of("on", true, "level", 101)), held).orElseThrow();
        CommandAnswers.Answer unknown = answers.answer("function/invoke",
                Map.of("messageId", "c", "functionId", "nope"), held).orElseThrow();
        CommandAnswers.Answer missing = answers.answer("function/invoke",
                Map.of("messageId", "d", "functionId", "reboot", "inputs", List.of()), held).orElseThrow();

        // THEN each is refused with the code and the rule, and the values stay as they were
        assertThat(range.payload()).containsEntry("success", false).containsEntry("code", "invalid_value");
        assertThat((String) range.payload().get("message")).contains("level").contains("maximum 100");
        assertThat(range.values()).isEqualTo(held);
        assertThat(unknown.payload()).containsEntry("success", false).containsEntry("code", "unknown_identifier");
        assertThat((String) missing.payload().get("message")).contains("delay");
        assertThat(readOnly.payload()).containsEntry("success", false).containsEntry("code", "invalid_value");
        assertThat((String) readOnly.payload().get("message")).contains("count").contains("read-only");
    }

    @Test
    void otherDownlinksNeedNoAnswer() {
        // Verifies that downlinks other than read, write and invoke get no answer.
        // GIVEN / WHEN an error and a shadow reply arrive
        // THEN nothing is answered
        assertThat(answers.answer("error", Map.of("messageId", "x"), Map.of())).isEmpty();
        assertThat(answers.answer("shadow/update/accepted", Map.of(), Map.of())).isEmpty();
    }
}
