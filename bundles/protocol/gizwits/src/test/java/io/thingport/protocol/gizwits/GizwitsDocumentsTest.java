package io.thingport.protocol.gizwits;

import static io.thingport.protocol.gizwits.TestModels.enumOf;
import static io.thingport.protocol.gizwits.TestModels.model;
import static io.thingport.protocol.gizwits.TestModels.ro;
import static io.thingport.protocol.gizwits.TestModels.rw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.Product;
import io.thingport.api.model.DataType;
import io.thingport.api.model.ThingModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GizwitsDocumentsTest {
    private final GizwitsBinaryCodec codec = new GizwitsBinaryCodec();

    @TempDir
    Path dir;

    @Test
    void fixedDocumentsNameTheOffsetsOfThisProduct() {
        Map<String, String> docs = codec.documents(TestModels.fixedAircon());
        assertThat(docs).containsOnlyKeys("aircon-1-protocol.md", "aircon-1_datapoints.h");
        String md = docs.get("aircon-1-protocol.md");
        assertThat(md).contains(
                "| 3 | `target` | target | status_writable | uint16 | 2 bytes | 0.1 | -30 | -30 | 50 | raw 0..800 |",
                "| 2 | `speed` | speed | status_writable | enum | 3 bits |",
                "0 = `off` (Off), 1 = `low` (Low), 2 = `mid` (Mid), 3 = `high` (High), 4 = `turbo` (Turbo)",
                "| 10 | `overheat` | overheat | alert | bool | 1 bit |",
                "### 0x04 report / 0x03 read ack (device → platform), 16 bytes",
                "| 1 | 3 bits | `speed` (enum, index 2) | bits 3..5, mask `0x38`",
                "| 2-3 | 2 bytes | `target` (uint16, index 3) |",
                "| 5-7 | 3 bytes | `config` (binary, index 5) |",
                "| 8 | 2 bits | `filter` (enum, index 9) | bits 1..2, mask `0x06`",
                "| 9-12 | 4 bytes | `energy` (uint32, index 7) |",
                "| 15 | 1 bit | `sensorFault` (bool, index 11) |",
                "### 0x01 control (platform → device), 9 bytes",
                "| 1 | 1 bit | flag of `target` | bit 3, mask `0x08` |",
                "| 3-4 | 2 bytes | `target` (uint16, index 3) |",
                "### 0x02 read",
                "0x06 transparent up",
                // example values: power 1, mode 2, speed 4 -> 25; target raw 400 = 01 90; brightness raw 50 = 32; config
                // 01 02 03; online 1, filter 2 -> 05; energy raw 500000 = 00 07 A1 20; offset raw 100 = 64; alert, fault 01
                "04 25 01 90 32 01 02 03 05 00 07 A1 20 64 01 01",
                // control of power and target: attr_flags bits 0 and 3 = 09
                "01 09 01 01 90 00 00 00 00");
    }

    @Test
    void variableDocumentsDescribeFlagsAndPackedBits() {
        String md = codec.documents(TestModels.variableAircon()).get("aircon-v-protocol.md");
        assertThat(md).contains(
                "## Frames (variable length)",
                "| 2 | 1 bit | `power` | bit 0, mask `0x0001` |",
                "| 1 | 1 bit | `sensorFault` | bit 11, mask `0x0800` |",
                "with every point flagged, 16 bytes",
                "| 3-4 | 2 bits | `filter` (enum, index 9) | bits 7..8, mask `0x0180`",
                "| 5-6 | 2 bytes | `target` (uint16, index 3) |",
                "| 15 | 1 byte | `offset` (uint8, index 8) |",
                // bits: 1 | 2<<1 | 4<<3 | 1<<6 | 2<<7 | 1<<9 | 1<<10 = 0x765
                "14 0F FF 07 65 01 90 32 01 02 03 00 07 A1 20 64",
                // power and sensorFault: flags 08 01, bits 03
                "14 08 01 03",
                "11 00 09 01 01 90",
                "12 0F FF");
        assertThat(md).doesNotContain("0x01 control (platform");
    }

    @Test
    void headerHasTheConstants() {
        String h = codec.documents(TestModels.fixedAircon()).get("aircon-1_datapoints.h");
        assertThat(h).startsWith("/*").contains("#ifndef AIRCON_1_DATAPOINTS_H", "#define AIRCON_1_DATAPOINTS_H",
                "#define AIRCON_1_ACTION_REPORT 0x04u", "#define AIRCON_1_ACTION_VAR_REPORT 0x14u",
                "#define AIRCON_1_REPORT_LEN 16u", "#define AIRCON_1_CONTROL_LEN 9u", "#define AIRCON_1_FLAGS_LEN 2u",
                "#define AIRCON_1_DP_TARGET_REPORT_OFFSET 2u", "#define AIRCON_1_DP_TARGET_CONTROL_OFFSET 3u",
                "#define AIRCON_1_DP_TARGET_RATIO 0.1", "#define AIRCON_1_DP_TARGET_ADDITION (-30.0)",
                "#define AIRCON_1_DP_TARGET_MIN (-30.0)", "#define AIRCON_1_DP_TARGET_MAX 50.0",
                "#define AIRCON_1_DP_TARGET_RAW_MAX 800UL", "#define AIRCON_1_DP_SPEED_BIT_OFFSET 3u",
                "#define AIRCON_1_DP_SPEED_BIT_WIDTH 3u", "#define AIRCON_1_DP_SPEED_ENUM_TURBO 4u",
                "#define AIRCON_1_DP_OFFSET_MIN (-100)", "#define AIRCON_1_DP_FILTER_REPORT_AREA_OFFSET 8u",
                "#define AIRCON_1_DP_SENSORFAULT_REPORT_AREA_OFFSET 15u")
                .endsWith("#endif /* AIRCON_1_DATAPOINTS_H */\n");
    }

    @Test
    void clashingNamesFallBackToIndexedNames() {
        // "mode" and "MODE" both upper-case to MODE: every point is then named by its index.
        Product p = TestModels.product("9lives.v2", model(rw("mode", enumOf("自动", "制冷", "a-b", "a_b")),
                rw("MODE", DataType.of(DataType.Kind.BOOL))), DataFormat.VARIABLE);
        String h = codec.documents(p).get("9lives.v2_datapoints.h");
        assertThat(h).contains("#ifndef P_9LIVES_V2_DATAPOINTS_H", "#define P_9LIVES_V2_DP0_MODE_INDEX 0u",
                "#define P_9LIVES_V2_DP1_MODE_INDEX 1u", "#define P_9LIVES_V2_DP0_MODE_ENUM_V3 3u");
        Product q = TestModels.product("q", model(rw("mode", enumOf("自动", "制冷", "a-b", "a_b"))), DataFormat.FIXED);
        assertThat(codec.documents(q).get("q_datapoints.h")).contains("#define Q_DP_MODE_ENUM_V0 0u", "#define Q_DP_MODE_ENUM_V1 1u",
                "#define Q_DP_MODE_ENUM_A_B 2u", "#define Q_DP_MODE_ENUM_V3_A_B 3u");
    }

    @Test
    void documentsRefuseAModelThatCannotBeLaidOut() {
        Product p = TestModels.product("bad", model(ro("name", DataType.string(4))), DataFormat.FIXED);
        assertThatThrownBy(() -> codec.documents(p)).isInstanceOf(ThingportException.class)
                .hasMessageContaining("property name")
                .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void generatedHeadersAreValidC99() throws Exception {
        Assumptions.assumeTrue(gccAvailable(), "gcc is not on the PATH");
        List<Product> products = List.of(TestModels.fixedAircon(), TestModels.variableAircon(),
                TestModels.product("sw", TestModels.switches(), DataFormat.FIXED),
                TestModels.product("9lives.v2", model(rw("mode", enumOf("自动", "制冷", "a-b", "a_b")),
                        rw("MODE", DataType.of(DataType.Kind.BOOL)),
                        ro("wide", DataType.number(DataType.Kind.LONG, -4294967295L, 0, 1, null)),
                        ro("fine", DataType.number(DataType.Kind.DOUBLE, -0.005, 0.005, 0.001, null))), DataFormat.VARIABLE),
                TestModels.product("empty", ThingModel.EMPTY, DataFormat.FIXED));
        StringBuilder main = new StringBuilder();
        for (Product p : products) {
            for (Map.Entry<String, String> d : codec.documents(p).entrySet()) {
                Files.writeString(dir.resolve(d.getKey()), d.getValue(), StandardCharsets.UTF_8);
            }
            main.append("#include \"").append(p.id()).append("_datapoints.h\"\n");
            main.append("#include \"").append(p.id()).append("_datapoints.h\"\n"); // the include guard works
        }
        // compile-time checks of hand-computed offsets (a negative array size fails the compilation)
        main.append("typedef char check_report_len[(AIRCON_1_REPORT_LEN == 16u) ? 1 : -1];\n")
                .append("typedef char check_control_len[(AIRCON_1_CONTROL_LEN == 9u) ? 1 : -1];\n")
                .append("typedef char check_energy[(AIRCON_1_DP_ENERGY_REPORT_OFFSET == 9u) ? 1 : -1];\n")
                .append("typedef char check_filter[(AIRCON_1_DP_FILTER_BIT_OFFSET == 1u) ? 1 : -1];\n")
                .append("typedef char check_sw_flags[(SW_ATTR_FLAGS_LEN == 2u && SW_REPORT_LEN == 8u) ? 1 : -1];\n")
                .append("typedef char check_var[(AIRCON_V_DATA_FORMAT_VARIABLE == 1 && AIRCON_V_VAR_MAX_LEN == 16u) ? 1 : -1];\n")
                .append("int main(void) { return (int)(AIRCON_1_DP_TARGET_TO_RAW(23.5) - 535u); }\n");
        Files.writeString(dir.resolve("main.c"), main.toString());
        Result r = run(dir, "gcc", "-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "main.c");
        assertThat(r.exit).as(r.output).isZero();
    }

    @Test
    void theHeaderDecodesTheHandVectorInC() throws Exception {
        Assumptions.assumeTrue(gccAvailable(), "gcc is not on the PATH");
        Files.writeString(dir.resolve("aircon-1_datapoints.h"), codec.documents(TestModels.fixedAircon()).get("aircon-1_datapoints.h"));
        String c = String.join("\n",
                "#include <stdio.h>",
                "#include \"aircon-1_datapoints.h\"",
                "int main(void)",
                "{",
                "    /* GizwitsBinaryCodecTest.REPORT, computed by hand */",
                "    static const uint8_t f[] = {0x04, 0x1D, 0x02, 0x17, 0x50, 0xAB, 0xCD, 0xEF, 0x03, 0x00, 0x01, 0xE2, 0x40, 0x5F, 0x00,",
                "        0x01};",
                "    uint8_t ctl[AIRCON_1_CONTROL_LEN] = {0};",
                "    unsigned i;",
                "    if (sizeof f != AIRCON_1_REPORT_LEN) return 1;",
                "    printf(\"power=%u mode=%u speed=%u\\n\",",
                "        (unsigned)aircon_1_get_bits(f + AIRCON_1_DP_POWER_REPORT_AREA_OFFSET, AIRCON_1_DP_POWER_AREA_LEN,",
                "            AIRCON_1_DP_POWER_BIT_OFFSET, AIRCON_1_DP_POWER_BIT_WIDTH),",
                "        (unsigned)aircon_1_get_bits(f + AIRCON_1_DP_MODE_REPORT_AREA_OFFSET, AIRCON_1_DP_MODE_AREA_LEN,",
                "            AIRCON_1_DP_MODE_BIT_OFFSET, AIRCON_1_DP_MODE_BIT_WIDTH),",
                "        (unsigned)aircon_1_get_bits(f + AIRCON_1_DP_SPEED_REPORT_AREA_OFFSET, AIRCON_1_DP_SPEED_AREA_LEN,",
                "            AIRCON_1_DP_SPEED_BIT_OFFSET, AIRCON_1_DP_SPEED_BIT_WIDTH));",
                "    printf(\"target=%.1f energy=%lu offset=%.0f filter=%u fault=%u\\n\",",
                "        AIRCON_1_DP_TARGET_FROM_RAW(aircon_1_get_uint(f + AIRCON_1_DP_TARGET_REPORT_OFFSET, AIRCON_1_DP_TARGET_LEN)),",
                "        (unsigned long)aircon_1_get_uint(f + AIRCON_1_DP_ENERGY_REPORT_OFFSET, AIRCON_1_DP_ENERGY_LEN),",
                "        AIRCON_1_DP_OFFSET_FROM_RAW(aircon_1_get_uint(f + AIRCON_1_DP_OFFSET_REPORT_OFFSET, AIRCON_1_DP_OFFSET_LEN)),",
                "        (unsigned)aircon_1_get_bits(f + AIRCON_1_DP_FILTER_REPORT_AREA_OFFSET, AIRCON_1_DP_FILTER_AREA_LEN,",
                "            AIRCON_1_DP_FILTER_BIT_OFFSET, AIRCON_1_DP_FILTER_BIT_WIDTH),",
                "        (unsigned)aircon_1_get_bits(f + AIRCON_1_FAULT_BITS_OFFSET, AIRCON_1_FAULT_BITS_LEN,",
                "            AIRCON_1_DP_SENSORFAULT_BIT_OFFSET, AIRCON_1_DP_SENSORFAULT_BIT_WIDTH));",
                "    /* build the control of GizwitsBinaryCodecTest: mode=cool, target=23.5 */",
                "    ctl[0] = AIRCON_1_ACTION_CONTROL;",
                "    aircon_1_set_bits(ctl + AIRCON_1_CONTROL_ATTR_FLAGS_OFFSET, AIRCON_1_ATTR_FLAGS_LEN, AIRCON_1_DP_MODE_ATTR_FLAG_BIT,",
                "        1, 1);",
                "    aircon_1_set_bits(ctl + AIRCON_1_CONTROL_ATTR_FLAGS_OFFSET, AIRCON_1_ATTR_FLAGS_LEN,",
                "        AIRCON_1_DP_TARGET_ATTR_FLAG_BIT, 1, 1);",
                "    aircon_1_set_bits(ctl + AIRCON_1_DP_MODE_CONTROL_AREA_OFFSET, AIRCON_1_DP_MODE_AREA_LEN, AIRCON_1_DP_MODE_BIT_OFFSET,",
                "        AIRCON_1_DP_MODE_BIT_WIDTH, AIRCON_1_DP_MODE_ENUM_COOL);",
                "    aircon_1_put_uint(ctl + AIRCON_1_DP_TARGET_CONTROL_OFFSET, AIRCON_1_DP_TARGET_LEN, AIRCON_1_DP_TARGET_TO_RAW(23.5));",
                "    for (i = 0; i < sizeof ctl; i++) printf(\"%02X%s\", ctl[i], i + 1 < sizeof ctl ? \" \" : \"\\n\");",
                "    return 0;",
                "}",
                "");
        Files.writeString(dir.resolve("decode.c"), c);
        Result compiled = run(dir, "gcc", "-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-o", "decode", "decode.c");
        assertThat(compiled.exit).as(compiled.output).isZero();
        Result r = run(dir, dir.resolve("decode").toString());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).isEqualTo("power=1 mode=2 speed=3\n"
                + "target=23.5 energy=123456 offset=-5 filter=1 fault=1\n"
                + "01 0A 02 02 17 00 00 00 00\n");
    }

    private record Result(int exit, String output) {
    }

    private static boolean gccAvailable() {
        try {
            return run(Path.of("."), "sh", "-c", "command -v gcc").exit == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Result run(Path cwd, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(cwd.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
