package io.thingport.protocol.gizwits;

import static io.thingport.protocol.gizwits.TestModels.enumOf;
import static io.thingport.protocol.gizwits.TestModels.model;
import static io.thingport.protocol.gizwits.TestModels.ro;
import static io.thingport.protocol.gizwits.TestModels.rw;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.device.DataFormat;
import io.thingport.api.device.Product;
import io.thingport.api.model.Access;
import io.thingport.api.model.DataType;
import io.thingport.api.model.PropertyKind;
import io.thingport.api.model.PropertySpec;
import io.thingport.api.model.ThingModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the generated documents byte for byte against the files in {@code documents/} beside this class: any change of
 * their text, meant or not, fails here. After a deliberate change, regenerate those files and review their diff.
 */
class GizwitsDocumentsOutputTest {
    private final GizwitsBinaryCodec codec = new GizwitsBinaryCodec();

    /** Products that together reach every branch of the generators: both formats, clashing names, escaping, no points. */
    static List<Product> products() {
        ThingModel lives = model(rw("mode", enumOf("自动", "制冷", "a-b", "a_b")),
                rw("MODE", DataType.of(DataType.Kind.BOOL)),
                ro("wide", DataType.number(DataType.Kind.LONG, -4294967295L, 0, 1, null)),
                ro("fine", DataType.number(DataType.Kind.DOUBLE, -0.005, 0.005, 0.001, null)));
        ThingModel one = model(rw("mode", enumOf("自动", "制冷", "a-b", "a_b")));
        ThingModel odd = model(
                new PropertySpec("temp", "Temp | in\n°C */ ??", DataType.number(DataType.Kind.FLOAT, -5.5, 5.5, 0.5, null),
                        Access.READ_WRITE, PropertyKind.STATUS, null),
                new PropertySpec("state", "State", enumOf("on|off", "x*/y", "q??z"), Access.READ_WRITE, PropertyKind.STATUS,
                        null),
                rw("blob", TestModels.binary(2)));
        return List.of(TestModels.fixedAircon(), TestModels.variableAircon(),
                TestModels.product("sw", TestModels.switches(), DataFormat.FIXED),
                TestModels.product("sw-v", TestModels.switches(), DataFormat.VARIABLE),
                TestModels.product("9lives.v2", lives, DataFormat.VARIABLE),
                TestModels.product("q", one, DataFormat.FIXED),
                TestModels.product("q-v", one, DataFormat.VARIABLE),
                TestModels.product("empty", ThingModel.EMPTY, DataFormat.FIXED),
                TestModels.product("empty-v", ThingModel.EMPTY, DataFormat.VARIABLE),
                new Product("_odd?\"\\id", "Odd | \"name\" */ ??\nnext line", "", "productSecret", false, odd, null,
                        DataFormat.FIXED, Instant.EPOCH));
    }

    @Test
    void documentsAreThePinnedOnesByteForByte() throws IOException {
        for (Product p : products()) {
            Map<String, String> docs = codec.documents(p);
            assertThat(docs).as(p.id()).containsOnlyKeys(p.id() + "-protocol.md", p.id() + "_datapoints.h");
            for (Map.Entry<String, String> d : docs.entrySet()) {
                byte[] pinned = pinned(d.getKey());
                assertThat(d.getValue()).as(d.getKey()).isEqualTo(new String(pinned, StandardCharsets.UTF_8));
                assertThat(d.getValue().getBytes(StandardCharsets.UTF_8)).as(d.getKey()).isEqualTo(pinned);
            }
        }
    }

    /** The pinned file of a document, named by its URL-encoded name (product ids may hold characters paths should not). */
    private static byte[] pinned(String name) throws IOException {
        String resource = "documents/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        try (InputStream in = GizwitsDocumentsOutputTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("pinned file " + resource).isNotNull();
            return in.readAllBytes();
        }
    }
}
