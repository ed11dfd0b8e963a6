package io.thingport.simulator.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.thingport.api.model.DataType;
import io.thingport.api.model.EventSpec;
import io.thingport.api.model.FunctionSpec;
import io.thingport.api.model.ThingModel;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ValueGeneratorTest {
    private static final long NOW = 1_700_000_000_000L;
    private final ThingModel model = EveryType.model();
    private final ValueGenerator generator = new ValueGenerator(new SplittableRandom(42), () -> NOW);

    @Test
    void reportsOfEveryTypePassTheModelsValidation() {
        // Verifies that every generated report of a thing model with every data type passes the model's own checkReported.
        // GIVEN a thing model with every data type and constraint
        // WHEN many reports are generated
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> report = generator.properties(model);

            // THEN each holds every property and the platform's validation accepts it unchanged in value
            assertThat(report).containsOnlyKeys(EveryType.types().keySet());
            Map<String, Object> checked = model.checkReported(report);
            assertThat(checked).hasSameSizeAs(report);
        }
    }

    @Test
    void functionOutputsAndEventDataAreValidForTheirTypes() {
        // Verifies that generated function outputs and event data are valid for the declared output types.
        // GIVEN functions and events whose outputs have every data type
        for (int i = 0; i < 500; i++) {
            for (FunctionSpec f : model.functions()) {
                // WHEN an output is generated
                Object output = generator.functionOutput(f);

                // THEN the output type accepts it (a function without output gets an empty object)
                if (f.output() == null) {
                    assertThat(output).isEqualTo(Map.of());
                } else {
                    assertThatCode(() -> f.output().normalize(output, "output of " + f.id())).doesNotThrowAnyException();
                }
            }
            for (EventSpec e : model.events()) {
                Object data = generator.eventData(e);
                assertThatCode(() -> model.checkEvent(e.id(), data)).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void valuesSpreadOverTheirRangeAndKeepTheirForms() {
        // Verifies that values are drawn over the whole range and in the canonical Java form of their type.
        // GIVEN the types of the model
        Map<String, DataType> types = EveryType.types();
        Set<Object> levels = new HashSet<>();
        Set<Object> modes = new HashSet<>();

        // WHEN many values are drawn
        for (int i = 0; i < 1_000; i++) {
            levels.add(generator.value(types.get("level")));
            modes.add(generator.value(types.get("mode")));
        }

        // THEN every step of 0..100 by 5 and every enum key appears, and each type has its form
        assertThat(levels).hasSize(21).allMatch(v -> v instanceof Long l && l % 5 == 0 && l >= 0 && l <= 100);
        assertThat(modes).containsExactlyInAnyOrder("0", "1", "2");
        assertThat(generator.value(types.get("seen"))).isEqualTo(NOW);
        assertThat(generator.value(types.get("temp"))).isInstanceOf(Double.class);
        assertThat(generator.value(types.get("total"))).isInstanceOf(Long.class);
        assertThat((String) generator.value(types.get("label"))).hasSizeBetween(1, 3);
        assertThat((List<?>) generator.value(types.get("samples"))).hasSizeBetween(1, 2);
        assertThat(generator.value(types.get("where")).toString()).contains("lat=").contains("lng=");
    }
}
