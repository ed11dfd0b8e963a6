package io.thingport.examples.protocol.compact;

import static io.thingport.examples.protocol.compact.TestSupport.frame;
import static io.thingport.examples.protocol.compact.TestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.thingport.api.ErrorCode;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.EncodedMessage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactCodecTest {
    private static final long NOW = 1_700_000_000_000L;
    private final CompactCodec codec = new CompactCodec(() -> NOW);
    private final TestSupport.Session session = new TestSupport.Session("d1", "sensor");

    private DeviceMessage decodeOne(String spacedHex) {
        List<DeviceMessage> messages = codec.decode(frame(spacedHex), session);
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    private CodecException malformed(String spacedHex) {
        CodecException e = catchThrowableOfType(() -> codec.decode(frame(spacedHex), session), CodecException.class);
        assertThat(e).as("decoding %s must fail", spacedHex).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED);
        return e;
    }

    // ---- REPORT ----

    @Test
    void reportWithEveryTag() {
        DeviceMessage m = decodeOne("02 0000002a 06"
                + " 01 62 01 01"                         // b: bool true
                + " 01 69 02 ffffff85"                   // i: int32 -123
                + " 01 6c 03 0000010000000000"           // l: int64 2^40
                + " 01 66 04 3fc00000"                   // f: float32 1.5
                + " 01 64 05 c004000000000000"           // d: float64 -2.5
                + " 01 73 06 0006 68c3a96c6c6f");        // s: string "héllo"

        assertThat(m).isInstanceOf(ReportProperties.class);
        ReportProperties r = (ReportProperties) m;
        assertThat(r.messageId()).isEqualTo("42");
        assertThat(r.deviceId()).isEqualTo("d1");
        assertThat(r.productId()).isEqualTo("sensor");
        assertThat(r.timestamp()).isEqualTo(NOW);
        assertThat(r.properties()).containsExactly(
                Map.entry("b", true),
                Map.entry("i", -123),
                Map.entry("l", 1L << 40),
                Map.entry("f", 1.5f),
                Map.entry("d", -2.5),
                Map.entry("s", "héllo"));
    }

    @Test
    void reportBoolFalseAndEmptyString() {
        ReportProperties r = (ReportProperties) decodeOne("02 00000000 02 02 6f6e 01 00 05 6c6162656c 06 0000");
        assertThat(r.messageId()).isEqualTo("0");
        assertThat(r.properties()).containsExactly(Map.entry("on", false), Map.entry("label", ""));
    }

    @Test
    void sequenceNumberIsUnsigned() {
        assertThat(decodeOne("02 ffffffff 01 01 78 01 01").messageId()).isEqualTo("4294967295");
    }

    @Test
    void theSampleReport() {
        ReportProperties r = (ReportProperties) decodeOne(CompactProtocol.SAMPLE_REPORT_HEX);
        assertThat(r.messageId()).isEqualTo("1");
        assertThat(r.properties()).containsExactly(Map.entry("temp", 21.5), Map.entry("on", true));
    }

    // ---- EVENT ----

    @Test
    void event() {
        DeviceMessage m = decodeOne("03 00000007 0a 6f766572686561746564 05 4056400000000000"); // overheated: 89.0
        assertThat(m).isInstanceOf(DeviceEvent.class);
        DeviceEvent e = (DeviceEvent) m;
        assertThat(e.messageId()).isEqualTo("7");
        assertThat(e.eventId()).isEqualTo("overheated");
        assertThat(e.data()).isEqualTo(89.0);
        assertThat(e.deviceId()).isEqualTo("d1");
        assertThat(e.timestamp()).isEqualTo(NOW);
    }

    @Test
    void eventWithString() {
        DeviceEvent e = (DeviceEvent) decodeOne("03 00000008 05 616c61726d 06 0003 686f74");
        assertThat(e.eventId()).isEqualTo("alarm");
        assertThat(e.data()).isEqualTo("hot");
    }

    // ---- WRITE_REPLY ----

    @Test
    void writeReplyOk() {
        DeviceMessage m = decodeOne("11 03 772d31 00");
        assertThat(m).isInstanceOf(WritePropertiesReply.class);
        WritePropertiesReply r = (WritePropertiesReply) m;
        assertThat(r.messageId()).isEqualTo("w-1");
        assertThat(r.success()).isTrue();
        assertThat(r.code()).isNull();
        assertThat(r.message()).isNull();
        assertThat(r.properties()).isEmpty();
    }

    @Test
    void writeReplyFailed() {
        WritePropertiesReply r = (WritePropertiesReply) decodeOne("11 03 772d31 05");
        assertThat(r.messageId()).isEqualTo("w-1");
        assertThat(r.success()).isFalse();
        assertThat(r.code()).isEqualTo("5");
        assertThat(r.message()).contains("status 5");
    }

    // ---- malformed uplinks ----

    @Test
    void emptyFrame() {
        CodecException e = malformed("");
        assertThat(e.getMessage()).isEqualTo("byte offset 0: expected the frame type (1 byte), but the frame is empty");
        assertThat(e.messageId()).isNull();
    }

    @Test
    void unknownType() {
        CodecException e = malformed("7f 00");
        assertThat(e.getMessage()).startsWith("byte offset 0: expected the frame type 0x02 REPORT, 0x03 EVENT or"
                + " 0x11 WRITE_REPLY, found 0x7F");
    }

    @Test
    void loginAndDownlinkTypesAreNotUplinks() {
        assertThat(malformed("01 02 6431").getMessage()).contains("found 0x01", "only valid as the first frame");
        assertThat(malformed("10 01 61 00").getMessage()).contains("found 0x10", "platform-to-device");
        assertThat(malformed("81 00").getMessage()).contains("found 0x81", "platform-to-device");
    }

    @Test
    void truncatedSequenceNumber() {
        CodecException e = malformed("02 0000");
        assertThat(e.getMessage()).isEqualTo(
                "byte offset 1: expected the sequence number (4 bytes), but the frame ends after 3 bytes");
        assertThat(e.messageId()).isNull();
    }

    @Test
    void truncatedValueKeepsTheMessageId() {
        CodecException e = malformed("02 00000001 01 04 74656d70 05 4035");
        assertThat(e.getMessage()).isEqualTo(
                "byte offset 12: expected the float64 value of property temp (8 bytes), but the frame ends after 14 bytes");
        assertThat(e.messageId()).isEqualTo("1");
    }

    @Test
    void missingProperty() {
        CodecException e = malformed("02 00000003 02 01 78 01 01");
        assertThat(e.getMessage()).isEqualTo(
                "byte offset 10: expected the length of the id of property 2 of 2 (1 byte), but the frame ends after 10 bytes");
        assertThat(e.messageId()).isEqualTo("3");
    }

    @Test
    void unknownTag() {
        CodecException e = malformed("02 00000005 01 01 78 09 00");
        assertThat(e.getMessage()).isEqualTo("byte offset 8: expected the type tag of property x (1 bool, 2 int32,"
                + " 3 int64, 4 float32, 5 float64, 6 string), found 9");
        assertThat(e.messageId()).isEqualTo("5");
    }

    @Test
    void trailingBytes() {
        CodecException e = malformed(CompactProtocol.SAMPLE_REPORT_HEX + "ff ff");
        assertThat(e.getMessage()).isEqualTo("byte offset 25: expected the end of the frame after 2 properties, found 2 more byte(s)");
        assertThat(e.messageId()).isEqualTo("1");
    }

    @Test
    void trailingBytesAfterWriteReplyKeepTheMessageId() {
        CodecException e = malformed("11 03 772d31 00 00");
        assertThat(e.getMessage()).startsWith("byte offset 6: expected the end of the frame after the status");
        assertThat(e.messageId()).isEqualTo("w-1");
    }

    @Test
    void truncatedWriteReply() {
        CodecException e = malformed("11 05 772d31");
        assertThat(e.getMessage()).isEqualTo("byte offset 2: expected the message id (5 bytes), but the frame ends after 5 bytes");
        assertThat(e.messageId()).isNull();
    }

    @Test
    void boolMustBeZeroOrOne() {
        assertThat(malformed("02 00000001 01 02 6f6e 01 02").getMessage())
                .isEqualTo("byte offset 10: expected the bool value of property on (0 or 1), found 2");
    }

    @Test
    void invalidUtf8() {
        assertThat(malformed("02 00000001 01 01 ff 01 01").getMessage())
                .isEqualTo("byte offset 7: expected the id of property 1 of 1 as 1 bytes of UTF-8, found invalid UTF-8");
    }

    @Test
    void emptyPropertyId() {
        assertThat(malformed("02 00000001 01 00 01 01").getMessage())
                .isEqualTo("byte offset 6: expected the length of the id of property 1 of 1 (1..255), found 0");
    }

    @Test
    void repeatedProperty() {
        assertThat(malformed("02 00000001 02 01 78 01 01 01 78 01 00").getMessage())
                .isEqualTo("byte offset 10: expected property 2 of 2, found property x again");
    }

    @Test
    void truncatedString() {
        assertThat(malformed("03 00000001 01 65 06 0005 6869").getMessage())
                .isEqualTo("byte offset 10: expected the string value of event e (5 bytes), but the frame ends after 12 bytes");
    }

    // ---- WRITE (downlink) ----

    @Test
    void writeEncodesEveryKindOfValue() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("on", true);
        props.put("level", 7L);                 // a Long in the int range: tag 2
        props.put("big", 5_000_000_000L);       // tag 3
        props.put("ratio", 0.25f);              // tag 4
        props.put("temp", 21.5);                // tag 5
        props.put("label", "hi");               // tag 6
        props.put("n", 3);                      // Integer: tag 2
        props.put("dec", new BigDecimal("0.5")); // other Number: tag 5
        EncodedMessage out = codec.encode(new WriteProperties(MessageHeader.of("w-1", "sensor", "d1", NOW), props), session);

        assertThat(out.topic()).isEmpty();
        assertThat(hex(out.payload())).isEqualTo(hex(hex("10 03 772d31 08"
                + " 02 6f6e 01 01"
                + " 05 6c6576656c 02 00000007"
                + " 03 626967 03 000000012a05f200"
                + " 05 726174696f 04 3e800000"
                + " 04 74656d70 05 4035800000000000"
                + " 05 6c6162656c 06 0002 6869"
                + " 01 6e 02 00000003"
                + " 03 646563 05 3fe0000000000000")));
    }

    @Test
    void writeOfNegativeLongs() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("a", (long) Integer.MIN_VALUE);
        props.put("b", Integer.MIN_VALUE - 1L);
        EncodedMessage out = codec.encode(new WriteProperties(MessageHeader.of("7", "sensor", "d1", NOW), props), session);
        assertThat(hex(out.payload())).isEqualTo(hex(hex("10 01 37 02 01 61 02 80000000 01 62 03 ffffffff7fffffff")));
    }

    @Test
    void writeRoundTripsThroughTheReportLayout() {
        // A WRITE's property list is laid out like a REPORT's: a device can decode it with the same code.
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("on", false);
        props.put("label", "x");
        byte[] write = codec.encode(new WriteProperties(MessageHeader.of("m", "sensor", "d1", NOW), props), session).payload();
        String asReport = "02 00000009 " + hex(write).substring(6); // drop 10 01 6d, keep count + properties
        assertThat(((ReportProperties) decodeOne(asReport)).properties()).isEqualTo(props);
    }

    @Test
    void writeOfAnUnsupportedValueNamesTheProperty() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("ok", 1);
        props.put("blob", new byte[] {1, 2});
        CodecException e = catchThrowableOfType(() -> codec.encode(
                new WriteProperties(MessageHeader.of("w-2", "sensor", "d1", NOW), props), session), CodecException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).startsWith("property blob: a byte[] cannot be written");
        assertThat(e.messageId()).isEqualTo("w-2");
    }

    @Test
    void writeOfNullIsRefused() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("x", null);
        assertThatThrownBy(() -> codec.encode(new WriteProperties(MessageHeader.of("w-3", "sensor", "d1", NOW), props), session))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("property x: null cannot be written")
                .extracting(t -> ((CodecException) t).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void otherDownlinksAreUnsupported() {
        MessageHeader h = MessageHeader.of("r-1", "sensor", "d1", NOW);
        for (DeviceMessage m : List.of(new ReadProperties(h, List.of("temp")), new InvokeFunction(h, "reboot", Map.of()))) {
            CodecException e = catchThrowableOfType(() -> codec.encode(m, session), CodecException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
            assertThat(e.messageId()).isEqualTo("r-1");
        }
    }

    // ---- login reply, topics, subscriptions ----

    @Test
    void loginReplies() {
        assertThat(hex(codec.loginReply(AuthResult.accept("d1", "sensor")).orElseThrow().payload())).isEqualTo("8100");
        assertThat(hex(codec.loginReply(AuthResult.refuse(AuthFailure.BAD_SIGNATURE, "d1", "x")).orElseThrow().payload()))
                .isEqualTo("8101");
        assertThat(hex(codec.loginReply(AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, "d1", "x")).orElseThrow().payload()))
                .isEqualTo("8101");
        assertThat(hex(codec.loginReply(AuthResult.refuse(AuthFailure.STALE_TIMESTAMP, "d1", "x")).orElseThrow().payload()))
                .isEqualTo("8101");
        assertThat(hex(codec.loginReply(AuthResult.refuse(AuthFailure.MALFORMED_CREDENTIALS, null, "x")).orElseThrow().payload()))
                .isEqualTo("8101");
        assertThat(hex(codec.loginReply(AuthResult.refuse(AuthFailure.DISABLED_DEVICE, "d1", "x")).orElseThrow().payload()))
                .isEqualTo("8102");
        assertThat(hex(codec.loginReply(AuthResult.refuse(AuthFailure.NOT_AUTHORIZED, "d1", "x")).orElseThrow().payload()))
                .isEqualTo("8102");
        assertThat(codec.loginReply(AuthResult.accept("d1", "sensor")).orElseThrow().topic()).isEmpty();
    }

    @Test
    void topics() {
        assertThat(codec.topicOf(frame("02 00000001 00"))).isEqualTo("compact/report");
        assertThat(codec.topicOf(frame("03"))).isEqualTo("compact/event");
        assertThat(codec.topicOf(frame("11 01 61 00"))).isEqualTo("compact/write-reply");
        assertThat(codec.topicOf(frame("7f"))).isEqualTo("compact/unknown");
        assertThat(codec.topicOf(frame("01"))).isEqualTo("compact/unknown");
        assertThat(codec.topicOf(frame(""))).isEqualTo("compact/unknown");
    }

    @Test
    void neverSubscribes() {
        assertThat(codec.maySubscribe("#", session)).isFalse();
    }
}
