package io.thingport.protocol.gizwits;

import static io.thingport.protocol.gizwits.TestModels.catchCodec;
import static io.thingport.protocol.gizwits.TestModels.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.thingport.api.ErrorCode;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DirectMessage;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.model.DataType;
import io.thingport.api.protocol.CodecException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact vectors, computed by hand from the spec for {@link TestModels#aircon()} (fixed report: 0 action; 1 writable
 * bits: power bit 0, mode bits 1-2, speed bits 3-5; 2-3 target; 4 brightness; 5-7 config; 8 read-only bits: online bit
 * 0, filter bits 1-2; 9-12 energy; 13 offset; 14 alert bits; 15 fault bits).
 */
class GizwitsBinaryCodecTest {
    /*
     * power=true, mode=heat (2), speed=high (3): 1 | 2<<1 | 3<<3 = 0x1D; target 23.5 -> (23.5+30)/0.1 = 535 = 02 17;
     * brightness 80 = 50; config AB CD EF; online=true, filter=dirty (1): 1 | 1<<1 = 03; energy 123456 = 00 01 E2 40;
     * offset -5 -> 95 = 5F; overheat=false 00; sensorFault=true 01.
     */
    static final String REPORT = "04 1D 02 17 50 AB CD EF 03 00 01 E2 40 5F 00 01";
    /*
     * Maximum / last index everywhere but the bools: mode=heat (2), speed=turbo (4): 2<<1 | 4<<3 = 0x24; target -30 -> 0;
     * brightness 100 = 64; filter=replace (2) -> 04; energy 1000000 = 00 0F 42 40; offset 100 -> 200 = C8; overheat true.
     */
    static final String REPORT_MAX = "04 24 00 00 64 00 00 00 04 00 0F 42 40 C8 01 00";
    /* Minimum / index 0 everywhere but the bools: target 50 -> 800 = 03 20, config FF FF FF, offset -100 -> 00. */
    static final String REPORT_MIN = "04 01 03 20 00 FF FF FF 01 00 00 00 00 00 00 00";
    /*
     * Variable: flags for mode (1), target (3), energy (7), filter (9), sensorFault (11): bits 1, 3, 7 -> 8A, bits 9, 11
     * -> 0A; packed bits mode=cool (1) bits 0-1, filter=replace (2) bits 2-3, sensorFault bit 4: 1 | 8 | 16 = 19; then
     * target 02 17 and energy 00 01 E2 40.
     */
    static final String VAR_REPORT = "14 0A 8A 19 02 17 00 01 E2 40";

    private final GizwitsBinaryCodec codec = new GizwitsBinaryCodec();
    private final GizwitsDeviceCodec device = new GizwitsDeviceCodec(codec);
    private final Product fixed = TestModels.fixedAircon();
    private final Product variable = TestModels.variableAircon();

    private static MessageHeader header(String messageId) {
        return MessageHeader.of(messageId, "aircon-1", "dev-1", 1L);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private Map<String, Object> reported(byte[] data, Product product) {
        List<DeviceMessage> out = codec.decode(data, product, "dev-1", "");
        assertThat(out).hasSize(1).first().isInstanceOf(ReportProperties.class);
        return ((ReportProperties) out.get(0)).properties();
    }

    // ------------------------------------------------------------------------------------------------- fixed length

    @Test
    void decodesAFixedReport() {
        // Verifies every area of the fixed report and the decoded Java types (Long for int/long, Double for float).
        ReportProperties report = (ReportProperties) codec.decode(hex(REPORT), fixed, "dev-1", "").get(0);
        assertThat(report.deviceId()).isEqualTo("dev-1");
        assertThat(report.productId()).isEqualTo("aircon-1");
        assertThat(report.messageId()).isEmpty();
        assertThat(report.properties()).containsExactly(entry("power", true), entry("mode", "heat"), entry("speed", "high"),
                entry("target", 23.5), entry("brightness", 80L), entry("config", "q83v"), entry("online", true),
                entry("energy", 123456L), entry("offset", -5L), entry("filter", "dirty"), entry("overheat", false),
                entry("sensorFault", true));
        assertThat(report.properties().get("target")).isInstanceOf(Double.class);
        assertThat(report.properties().get("energy")).isInstanceOf(Long.class);
    }

    @Test
    void decodesEdgeValues() {
        // Verifies minimum, maximum and last enum index of every point.
        assertThat(reported(hex(REPORT_MAX), fixed)).containsExactly(entry("power", false), entry("mode", "heat"),
                entry("speed", "turbo"), entry("target", -30.0), entry("brightness", 100L), entry("config", "AAAA"),
                entry("online", false), entry("energy", 1000000L), entry("offset", 100L), entry("filter", "replace"),
                entry("overheat", true), entry("sensorFault", false));
        assertThat(reported(hex(REPORT_MIN), fixed)).containsExactly(entry("power", true), entry("mode", "auto"),
                entry("speed", "off"), entry("target", 50.0), entry("brightness", 0L), entry("config", "////"),
                entry("online", true), entry("energy", 0L), entry("offset", -100L), entry("filter", "ok"),
                entry("overheat", false), entry("sensorFault", false));
    }

    @Test
    void fractionalValuesKeepTheStepsScale() {
        // Verifies that y = x * 0.1 - 30 gives the decimal value, not a binary floating-point neighbour.
        assertThat(reported(hex("04 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00"), fixed).get("target")).isEqualTo(-29.9);
        assertThat(reported(hex("04 00 01 2D 00 00 00 00 00 00 00 00 00 00 00 00"), fixed).get("target")).isEqualTo(0.1);
        assertThat(reported(hex("04 00 02 1B 00 00 00 00 00 00 00 00 00 00 00 00"), fixed).get("target")).isEqualTo(23.9);
    }

    @Test
    void readAckIsAReplyWhenItAnswersAMessage() {
        // Verifies 0x03 with a message id -> ReadPropertiesReply(success), without -> ReportProperties.
        byte[] ack = hex("03" + REPORT.substring(2));
        DeviceMessage reply = codec.decode(ack, fixed, "dev-1", "m7").get(0);
        assertThat(reply).isInstanceOf(ReadPropertiesReply.class);
        assertThat(((ReadPropertiesReply) reply).success()).isTrue();
        assertThat(reply.messageId()).isEqualTo("m7");
        assertThat(((ReadPropertiesReply) reply).properties()).containsEntry("target", 23.5).hasSize(12);
        assertThat(codec.decode(ack, fixed, "dev-1", "").get(0)).isInstanceOf(ReportProperties.class);
    }

    @Test
    void encodesAFixedControlWithAttrFlags() {
        // attr_flags: mode is writable point 1, target writable point 3 -> 0A; writable bits: mode=cool (1) at bits 1-2
        // -> 02; target 23.5 -> 02 17; brightness and config unwritten -> 00, 00 00 00.
        byte[] control = codec.encode(new WriteProperties(header("m1"), map("target", 23.5, "mode", "cool")), fixed);
        assertThat(hex(control)).isEqualTo("01 0A 02 02 17 00 00 00 00");
        // power (point 0) and config (point 5): flags 21; power bit 0 -> 01; config zero-padded to 3 bytes
        byte[] second = codec.encode(new WriteProperties(header("m2"), map("power", true, "config", "AQI=")), fixed);
        assertThat(hex(second)).isEqualTo("01 21 01 00 00 00 01 02 00");
        // speed=turbo (4) at bits 3-5 -> 20; an int may come as a whole double
        assertThat(hex(codec.encode(new WriteProperties(header("m3"), map("speed", "turbo", "brightness", 100.0)), fixed)))
                .isEqualTo("01 14 20 00 00 64 00 00 00");
    }

    @Test
    void encodesAFixedReadAndTransparentData() {
        // Verifies 0x02 (reads every point whatever is asked) and 0x05 + bytes.
        assertThat(hex(codec.encode(new ReadProperties(header("m1"), List.of("online")), fixed))).isEqualTo("02");
        assertThat(hex(codec.encode(new ReadProperties(header("m1"), List.of()), fixed))).isEqualTo("02");
        assertThat(hex(codec.encode(new DirectMessage(header(""), hex("CA FE")), fixed))).isEqualTo("05 CA FE");
        assertThat(hex(codec.encode(new DirectMessage(header(""), new byte[0]), variable))).isEqualTo("05");
    }

    @Test
    void twoByteAttrFlagsAndAllBitsSet() {
        // switches: s0..s8 writable bools (9 bits -> 2 bytes), counter uint32 (0..4294967295), alert a0.
        Product p = TestModels.product("sw", TestModels.switches(), DataFormat.FIXED);
        Map<String, Object> all = reported(hex("04 01 FF FF FF FF FF 01"), p);
        assertThat(all).hasSize(11).containsEntry("s0", true).containsEntry("s8", true)
                .containsEntry("counter", 4294967295L).containsEntry("a0", true);
        // attr_flags bits 0 and 8 -> 01 01; writable bits s8 at bit 8 -> 01 00
        byte[] control = codec.encode(new WriteProperties(header("m1"), map("s8", true, "s0", false)), p);
        assertThat(hex(control)).isEqualTo("01 01 01 01 00");
        assertThat(codec.layout(p).controlLength()).isEqualTo(5);
        // an unused bit of the writable bits (bit 9) is refused
        assertMalformed(() -> codec.decode(hex("04 03 FF FF FF FF FF 01"), p, "dev-1", ""),
                "unused bit 9 of the writable bits area is set");
    }

    // ---------------------------------------------------------------------------------------------- variable length

    @Test
    void decodesASparseVariableReport() {
        // Verifies flags spanning 2 bytes, packed bits in point order and values in point order.
        assertThat(reported(hex(VAR_REPORT), variable)).containsExactly(entry("mode", "cool"), entry("target", 23.5),
                entry("energy", 123456L), entry("filter", "replace"), entry("sensorFault", true));
        // a fixed-format product accepts it too: the action says which format
        assertThat(reported(hex(VAR_REPORT), fixed)).hasSize(5);
    }

    @Test
    void decodesAVariableReadAck() {
        // flags 00 01 = power only; packed bits 01 = true
        DeviceMessage reply = codec.decode(hex("13 00 01 01"), variable, "dev-1", "m9").get(0);
        assertThat(reply).isInstanceOf(ReadPropertiesReply.class);
        assertThat(((ReadPropertiesReply) reply).properties()).containsExactly(entry("power", true));
        assertThat(codec.decode(hex("13 00 01 01"), variable, "dev-1", null).get(0)).isInstanceOf(ReportProperties.class);
    }

    @Test
    void variableReportOfEveryPointWithTwoByteBits() {
        // switches: flags bits 0..10 -> 07 FF; bits s0..s8 and a0 (10 bits) -> 03 FF; counter FF FF FF FF.
        Product p = TestModels.product("sw", TestModels.switches(), DataFormat.VARIABLE);
        assertThat(reported(hex("14 07 FF 03 FF FF FF FF FF"), p)).hasSize(11).containsEntry("a0", true)
                .containsEntry("s8", true).containsEntry("counter", 4294967295L);
        assertThat(hex(codec.encode(new WriteProperties(header("m1"), map("s8", true)), p))).isEqualTo("11 01 00 01");
    }

    @Test
    void encodesAVariableWrite() {
        // flags: power (0), speed (2), brightness (4), config (5) -> 00 35; bits: power bit 0, speed=turbo (4) bits 1-3 ->
        // 01 | 08 = 09; values: brightness 64, config 01 02 zero-padded.
        byte[] write = codec.encode(new WriteProperties(header("m1"),
                map("config", "AQI=", "brightness", 100, "speed", "turbo", "power", true)), variable);
        assertThat(hex(write)).isEqualTo("11 00 35 09 64 01 02 00");
        // min of target: raw 0
        assertThat(hex(codec.encode(new WriteProperties(header("m2"), map("target", -30)), variable))).isEqualTo("11 00 08 00 00");
    }

    @Test
    void encodesAVariableRead() {
        // online is point 6 (flags bit 6 -> 40), sensorFault point 11 (bit 11 -> 08 in the first byte); empty = all.
        assertThat(hex(codec.encode(new ReadProperties(header("m1"), List.of("sensorFault", "online")), variable)))
                .isEqualTo("12 08 40");
        assertThat(hex(codec.encode(new ReadProperties(header("m1"), List.of()), variable))).isEqualTo("12 0F FF");
    }

    // -------------------------------------------------------------------------------------------------- malformed

    @Test
    void refusesMalformedFixedFrames() {
        assertMalformed(() -> codec.decode(hex("04 1D"), fixed, "dev-1", ""),
                "a fixed-length report of product aircon-1 has 16 bytes, got 2");
        assertMalformed(() -> codec.decode(hex(REPORT + " 00"), fixed, "dev-1", ""), "has 16 bytes, got 17");
        assertMalformed(() -> codec.decode(hex("03 00"), fixed, "dev-1", "m1"), "a fixed-length read ack of product aircon-1");
        // mode index 3 (bits 1-2 = 11 -> 06) of 3 values
        assertMalformed(() -> codec.decode(hex("04 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00"), fixed, "dev-1", ""),
                "data point mode (index 1): enum index 3 is out of range (3 values, 0..2)");
        // speed index 5 (bits 3-5 = 101 -> 28) of 5 values
        assertMalformed(() -> codec.decode(hex("04 28 00 00 00 00 00 00 00 00 00 00 00 00 00 00"), fixed, "dev-1", ""),
                "enum index 5 is out of range");
        // target raw 801 = 03 21 > 800
        assertMalformed(() -> codec.decode(hex("04 00 03 21 00 00 00 00 00 00 00 00 00 00 00 00"), fixed, "dev-1", ""),
                "data point target (index 3): raw value 801 is above its maximum 800 (50)");
        // brightness 101 = 65 > 100
        assertMalformed(() -> codec.decode(hex("04 00 00 00 65 00 00 00 00 00 00 00 00 00 00 00"), fixed, "dev-1", ""),
                "raw value 101 is above its maximum 100");
        // writable bits area uses 6 bits: bit 6 (40) is unused
        assertMalformed(() -> codec.decode(hex("04 40 00 00 00 00 00 00 00 00 00 00 00 00 00 00"), fixed, "dev-1", ""),
                "unused bit 6 of the writable bits area is set");
        // alert area uses 1 bit
        assertMalformed(() -> codec.decode(hex("04 00 00 00 00 00 00 00 00 00 00 00 00 00 02 00"), fixed, "dev-1", ""),
                "unused bit 1 of the alert bits area");
    }

    @Test
    void refusesMalformedVariableFrames() {
        assertMalformed(() -> codec.decode(hex("14 10 00"), variable, "dev-1", ""),
                "flag bit 12 is set, but the product has only 12 data points (bits 0..11)");
        assertMalformed(() -> codec.decode(hex("14 0A 8A 19 02"), variable, "dev-1", ""),
                "a variable-length report of product aircon-v is truncated: its flags announce 10 bytes, got 5");
        assertMalformed(() -> codec.decode(hex("14 0A"), variable, "dev-1", ""), "its flags need 2 bytes after the action byte, got 1");
        assertMalformed(() -> codec.decode(hex(VAR_REPORT + " 00"), variable, "dev-1", ""), "has 11 bytes, but its flags announce 10");
        assertMalformed(() -> codec.decode(hex("14 00 00"), variable, "dev-1", ""), "flags no data point");
        // packed bits use 5 bits: bit 5 (20) is unused
        assertMalformed(() -> codec.decode(hex("14 0A 8A 39 02 17 00 01 E2 40"), variable, "dev-1", ""), "unused bit 5 of the packed bits");
        // mode index 3: bits 0-1 = 11
        assertMalformed(() -> codec.decode(hex("14 0A 8A 1B 02 17 00 01 E2 40"), variable, "dev-1", ""), "enum index 3 is out of range");
        assertMalformed(() -> codec.decode(hex("14 0A 8A 19 03 21 00 01 E2 40"), variable, "dev-1", ""), "raw value 801");
        // energy 1000001 = 00 0F 42 41
        assertMalformed(() -> codec.decode(hex("14 00 80 00 0F 42 41"), variable, "dev-1", ""),
                "data point energy (index 7): raw value 1000001 is above its maximum 1000000");
    }

    @Test
    void refusesEmptyDownlinkAndUnknownActions() {
        assertMalformed(() -> codec.decode(new byte[0], fixed, "dev-1", ""), "empty data");
        assertMalformed(() -> codec.decode(hex("01 0A 02 02 17 00 00 00 00"), fixed, "dev-1", ""), "action 0x01 control is a downlink");
        assertMalformed(() -> codec.decode(hex("02"), fixed, "dev-1", ""), "0x02 read is a downlink");
        assertMalformed(() -> codec.decode(hex("05 00"), fixed, "dev-1", ""), "0x05 transparent down is a downlink");
        assertMalformed(() -> codec.decode(hex("11 00 01 01"), variable, "dev-1", ""), "0x11 write is a downlink");
        assertMalformed(() -> codec.decode(hex("12 0F FF"), variable, "dev-1", ""), "0x12 read is a downlink");
        assertMalformed(() -> codec.decode(hex("7F 00"), fixed, "dev-1", ""), "unknown action 0x7f");
        CodecException e = catchCodec(() -> codec.decode(hex("7F"), fixed, "dev-1", "m5"));
        assertThat(e.messageId()).isEqualTo("m5");
    }

    @Test
    void decodesTransparentData() {
        DeviceMessage m = codec.decode(hex("06 01 02 03"), fixed, "dev-1", "").get(0);
        assertThat(m).isInstanceOf(DirectMessage.class);
        assertThat(hex(((DirectMessage) m).payload())).isEqualTo("01 02 03");
    }

    // ----------------------------------------------------------------------------------------------- encode errors

    @Test
    void refusesBadWrites() {
        assertInvalid(() -> codec.encode(new WriteProperties(header("m1"), map("online", true)), fixed),
                "property online: the data point is read-only (status_readonly)");
        assertInvalid(() -> codec.encode(new WriteProperties(header("m1"), map("overheat", true)), variable), "property overheat");
        assertInvalid(() -> codec.encode(new WriteProperties(header("m1"), map("nope", 1)), fixed),
                "property nope: product aircon-1 has no such data point");
        assertInvalid(() -> codec.encode(new WriteProperties(header("m1"), map("target", 60)), fixed),
                "property target: 60 is above the maximum 50");
        assertInvalid(() -> codec.encode(new WriteProperties(header("m1"), map("target", 23.55)), fixed), "property target");
        assertInvalid(() -> codec.encode(new WriteProperties(header("m1"), map("mode", "fan")), fixed), "property mode");
        assertInvalid(() -> codec.encode(new WriteProperties(header("m1"), map("speed", 5)), variable), "property speed");
        assertInvalid(() -> codec.encode(new WriteProperties(header("m1"), map("config", "AQIDBA==")), fixed), "property config");
        assertInvalid(() -> codec.encode(new WriteProperties(header("m1"), map("power", null)), fixed), "property power");
        assertInvalid(() -> codec.encode(new WriteProperties(header("m1"), Map.of()), fixed), "at least one property");
        assertInvalid(() -> codec.encode(new ReadProperties(header("m1"), List.of("ghost")), variable), "has no data point ghost");
        CodecException e = catchCodec(() -> codec.encode(new InvokeFunction(header("m1"), "reboot", Map.of()), fixed));
        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(e.getMessage()).contains("function/invoke");
        assertThat(e.messageId()).isEqualTo("m1");
    }

    @Test
    void aProductWhoseModelCannotBeLaidOutIsUnsupported() {
        Product bad = TestModels.product("bad", TestModels.model(TestModels.rw("name", DataType.string(5))),
                DataFormat.FIXED);
        CodecException e = catchCodec(() -> codec.decode(hex("04"), bad, "dev-1", ""));
        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(e.getMessage()).contains("product bad", "property name");
        assertThat(catchCodec(() -> codec.decode(hex("04"), null, "dev-1", "")).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    // ------------------------------------------------------------------------------------------------- round trips

    @Test
    void theDeviceSideEncodesTheHandVectors() {
        // The device-side encoder must produce the same bytes as the hand-computed vectors.
        Map<String, Object> values = reported(hex(REPORT), fixed);
        assertThat(hex(device.encodeUplink(new ReportProperties(header(""), values), fixed))).isEqualTo(REPORT);
        Map<String, Object> sparse = reported(hex(VAR_REPORT), variable);
        assertThat(hex(device.encodeUplink(new ReportProperties(header(""), sparse), variable))).isEqualTo(VAR_REPORT);
        assertThat(hex(device.encodeUplink(new ReadPropertiesReply(header("m1"), true, null, null, Map.of("power", true)), variable)))
                .isEqualTo("13 00 01 01");
        assertThat(hex(device.encodeUplink(new DirectMessage(header(""), hex("AA")), variable))).isEqualTo("06 AA");
    }

    @Test
    void writesRoundTripThroughTheDeviceSide() {
        Map<String, Object> write = map("power", true, "mode", "heat", "speed", "turbo", "target", 49.9, "brightness", 1L,
                "config", "AAEC");
        for (Product p : List.of(fixed, variable)) {
            byte[] frame = codec.encode(new WriteProperties(header("m1"), write), p);
            DeviceMessage parsed = device.decodeDownlink(frame, p, "dev-1", "m1");
            assertThat(parsed).isInstanceOf(WriteProperties.class);
            assertThat(((WriteProperties) parsed).properties()).as(p.dataFormat().wireName()).containsExactly(
                    entry("power", true), entry("mode", "heat"), entry("speed", "turbo"), entry("target", 49.9),
                    entry("brightness", 1L), entry("config", "AAEC"));
            // only the written points come back
            byte[] one = codec.encode(new WriteProperties(header("m2"), map("target", -0.1)), p);
            assertThat(((WriteProperties) device.decodeDownlink(one, p, "dev-1", "m2")).properties())
                    .containsExactly(entry("target", -0.1));
        }
        byte[] read = codec.encode(new ReadProperties(header("m3"), List.of("filter", "power")), variable);
        assertThat(((ReadProperties) device.decodeDownlink(read, variable, "dev-1", "m3")).properties())
                .containsExactly("power", "filter");
        assertThat(((ReadProperties) device.decodeDownlink(hex("02"), fixed, "dev-1", "m3")).properties()).hasSize(12);
    }

    @Test
    void reportsRoundTrip() {
        Map<String, Object> values = map("power", false, "mode", "cool", "speed", "mid", "target", -12.3, "brightness", 42L,
                "config", "AQID", "online", true, "energy", 99999L, "offset", -99L, "filter", "ok", "overheat", true,
                "sensorFault", false);
        for (Product p : List.of(fixed, variable)) {
            byte[] frame = device.encodeUplink(new ReportProperties(header(""), values), p);
            assertThat(reported(frame, p)).as(p.dataFormat().wireName()).containsExactlyEntriesOf(values);
        }
    }

    @Test
    void theDeviceSideRefusesBadDownlinks() {
        // attr_flags bit 6 is past the 6 writable points; a variable write may not flag a read-only point
        assertMalformed(() -> device.decodeDownlink(hex("01 40 00 00 00 00 00 00 00"), fixed, "dev-1", ""), "attr_flags bit 6 is set");
        assertMalformed(() -> device.decodeDownlink(hex("11 00 40 01"), variable, "dev-1", ""), "online (index 6), which is not writable");
        assertMalformed(() -> device.decodeDownlink(hex("04"), fixed, "dev-1", ""), "is not a downlink");
    }

    // ---------------------------------------------------------------------------------------------------- helpers


    private static void assertMalformed(ThrowingCallable call, String fragment) {
        assertThatThrownBy(call).isInstanceOf(CodecException.class).hasMessageContaining(fragment)
                .satisfies(e -> assertThat(((CodecException) e).code()).isEqualTo(ErrorCode.MALFORMED));
    }

    private static void assertInvalid(ThrowingCallable call, String fragment) {
        assertThatThrownBy(call).isInstanceOf(CodecException.class).hasMessageContaining(fragment)
                .satisfies(e -> assertThat(((CodecException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
}
