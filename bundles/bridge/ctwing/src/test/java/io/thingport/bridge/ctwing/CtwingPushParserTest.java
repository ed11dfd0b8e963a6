package io.thingport.bridge.ctwing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.thingport.bridge.ctwing.fake.FakeCtwingPushes;
import io.thingport.bridge.support.PushRejected;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing CTWing subscription pushes into neutral records, and refusing what is not one. */
class CtwingPushParserTest {

    /** The wire facts' examples, verbatim. */
    static final String SPEC_DATA_REPORT = """
            {"upPacketSN":-1,"upDataSN":-1,"topic":"v1/up/ad","timestamp":1650554828842,"tenantId":"2000033629","serviceId":"",
             "protocol":"lwm2m","productId":"15114816","payload":{"APPdata":"AQFWMS4w"},"messageType":"dataReport",
             "deviceType":"","deviceId":"40edca19","assocAssetId":"","IMSI":"undefined","IMEI":"862592051651472"}
            """;
    static final String SPEC_ONLINE_OFFLINE = """
            {"timestamp":1589444231825,"tenantId":"10461180","protocol":"lwm2m","productId":"10053421",
             "messageType":"deviceOnlineOfflineReport","iccid":"undefined","eventType":1,"deviceId":"..."}
            """;
    static final String SPEC_COMMAND_RESPONSE = """
            {"timestamp":1589444233258,"tenantId":"10461180","taskId":1,"result":{"resultDetail":"","resultCode":"DELIVERED"},
             "protocol":"lwm2m","productId":"10053421","messageType":"commandResponse","deviceId":"..."}
            """;
    static final String SPEC_EVENT_REPORT = """
            {"timestamp":1619523767263,"tenantId":"2000033827","serviceId":1002,"protocol":"lwm2m","productId":"15045240",
             "messageType":"eventReport","eventType":2,"eventContent":{"battery_state":1},"deviceId":"..."}
            """;

    private static CtwingMessage parse(String json) {
        return CtwingPushParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static PushRejected rejection(String json) {
        return rejection(json.getBytes(StandardCharsets.UTF_8));
    }

    private static PushRejected rejection(byte[] body) {
        Throwable thrown = catchThrowable(() -> CtwingPushParser.parse(body));
        assertThat(thrown).isInstanceOf(PushRejected.class);
        return (PushRejected) thrown;
    }

    @Test
    void specDataReportIsTransparentBytes() {
        // Verifies that the documented dataReport parses with every field, APPdata "AQFWMS4w" decoded to 01 01 56 31 2E 30.
        // GIVEN the documented example
        // WHEN it is parsed
        CtwingMessage message = parse(SPEC_DATA_REPORT);
        // THEN it is a data report of device 40edca19 with the raw bytes; "undefined" IMSI is absent
        assertThat(message).isInstanceOf(DataReport.class);
        DataReport report = (DataReport) message;
        assertThat(report.messageType()).isEqualTo("dataReport");
        assertThat(report.deviceId()).isEqualTo("40edca19");
        assertThat(report.productId()).isEqualTo("15114816");
        assertThat(report.tenantId()).isEqualTo("2000033629");
        assertThat(report.timestamp()).isEqualTo(1650554828842L);
        assertThat(report.protocol()).isEqualTo("lwm2m");
        assertThat(report.imei()).contains("862592051651472");
        assertThat(report.imsi()).isEmpty();
        assertThat(report.upPacketSn()).isEqualTo(-1);
        assertThat(report.upDataSn()).isEqualTo(-1);
        assertThat(report.topic()).isEqualTo("v1/up/ad");
        assertThat(report.serviceId()).isEmpty();
        assertThat(report.payload()).isInstanceOf(ReportPayload.Transparent.class);
        assertThat(((ReportPayload.Transparent) report.payload()).bytes()).containsExactly(0x01, 0x01, 0x56, 0x31, 0x2E, 0x30);
    }

    @Test
    void specOnlineOfflineReport() {
        // Verifies that the documented deviceOnlineOfflineReport parses: eventType 1 is ONLINE, iccid "undefined" absent.
        // GIVEN / WHEN
        DeviceStatusReport report = (DeviceStatusReport) parse(SPEC_ONLINE_OFFLINE);
        // THEN
        assertThat(report.status()).isEqualTo(DeviceStatus.ONLINE);
        assertThat(report.deviceId()).isEqualTo("...");
        assertThat(report.productId()).isEqualTo("10053421");
        assertThat(report.tenantId()).isEqualTo("10461180");
        assertThat(report.timestamp()).isEqualTo(1589444231825L);
        assertThat(report.protocol()).isEqualTo("lwm2m");
        assertThat(report.iccid()).isEmpty();
        // AND eventType 0 is OFFLINE
        DeviceStatusReport offline = (DeviceStatusReport) parse(SPEC_ONLINE_OFFLINE.replace("\"eventType\":1", "\"eventType\":0"));
        assertThat(offline.status()).isEqualTo(DeviceStatus.OFFLINE);
    }

    @Test
    void specCommandResponse() {
        // Verifies that the documented commandResponse parses: taskId 1, result DELIVERED, empty detail.
        // GIVEN / WHEN
        CommandResponse response = (CommandResponse) parse(SPEC_COMMAND_RESPONSE);
        // THEN
        assertThat(response.taskId()).isEqualTo(1);
        assertThat(response.resultCode()).isEqualTo(CommandResultCode.DELIVERED);
        assertThat(response.resultDetail()).isEmpty();
        assertThat(response.productId()).isEqualTo("10053421");
        assertThat(response.timestamp()).isEqualTo(1589444233258L);
        // AND every documented result code maps to its enum
        for (CommandResultCode code : CommandResultCode.values()) {
            CommandResponse other = (CommandResponse) parse(SPEC_COMMAND_RESPONSE.replace("DELIVERED", code.name()));
            assertThat(other.resultCode()).isEqualTo(code);
        }
    }

    @Test
    void specEventReport() {
        // Verifies that the documented eventReport parses: numeric serviceId 1002 as text, eventType 2 WARNING, content map.
        // GIVEN / WHEN
        EventReport event = (EventReport) parse(SPEC_EVENT_REPORT);
        // THEN
        assertThat(event.serviceId()).isEqualTo("1002");
        assertThat(event.level()).isEqualTo(EventLevel.WARNING);
        assertThat(event.eventContent()).containsExactly(Map.entry("battery_state", 1));
        assertThat(event.productId()).isEqualTo("15045240");
        assertThat(event.tenantId()).isEqualTo("2000033827");
        assertThat(event.timestamp()).isEqualTo(1619523767263L);
        // AND 1 is INFO, 3 is FAULT
        assertThat(((EventReport) parse(SPEC_EVENT_REPORT.replace("\"eventType\":2", "\"eventType\":1"))).level())
                .isEqualTo(EventLevel.INFO);
        assertThat(((EventReport) parse(SPEC_EVENT_REPORT.replace("\"eventType\":2", "\"eventType\":3"))).level())
                .isEqualTo(EventLevel.FAULT);
    }

    @Test
    void fakePushBuilderReproducesTheSpecExamples() {
        // Verifies that the fake's push builder writes the documented bodies (same JSON values), so tests built on it
        // exercise the documented wire format.
        // GIVEN / WHEN / THEN each documented example equals the fake's version as a parsed record
        assertThat(parse(FakeCtwingPushes.specDataReport().json())).isEqualTo(parse(SPEC_DATA_REPORT));
        assertThat(parse(FakeCtwingPushes.specOnlineOffline("...").json())).isEqualTo(parse(SPEC_ONLINE_OFFLINE));
        assertThat(parse(FakeCtwingPushes.specCommandResponse("...").json())).isEqualTo(parse(SPEC_COMMAND_RESPONSE));
        assertThat(parse(FakeCtwingPushes.specEventReport("...").json())).isEqualTo(parse(SPEC_EVENT_REPORT));
        // AND as JSON trees
        assertThat(Json.tree(FakeCtwingPushes.specDataReport().json())).isEqualTo(Json.tree(SPEC_DATA_REPORT));
        assertThat(Json.tree(FakeCtwingPushes.specOnlineOffline("...").json())).isEqualTo(Json.tree(SPEC_ONLINE_OFFLINE));
        assertThat(Json.tree(FakeCtwingPushes.specCommandResponse("...").json())).isEqualTo(Json.tree(SPEC_COMMAND_RESPONSE));
        assertThat(Json.tree(FakeCtwingPushes.specEventReport("...").json())).isEqualTo(Json.tree(SPEC_EVENT_REPORT));
    }

    @Test
    void thingModelPayloadIsAMap() {
        // Verifies that a thing-model dataReport (payload without APPdata) gives the decoded JSON object and the serviceId.
        // GIVEN a thing-model report
        byte[] body = FakeCtwingPushes.thingModelDataReport("dev-7", "15045240", 1700000000000L, "temperature",
                Map.of("temperature", 23.5, "unit", "C")).bytes();
        // WHEN
        DataReport report = (DataReport) CtwingPushParser.parse(body);
        // THEN
        assertThat(report.serviceId()).isEqualTo("temperature");
        assertThat(report.payload()).isInstanceOf(ReportPayload.ThingModel.class);
        Map<String, Object> values = ((ReportPayload.ThingModel) report.payload()).values();
        assertThat(values).containsEntry("temperature", 23.5).containsEntry("unit", "C").hasSize(2);
        assertThatThrownBy(() -> values.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void tupUnionShapeVector() {
        // Verifies the ONE test vector of the *unverified* dataReportTupUnion shape (TupUnionShape): a payload array of
        // dataReport-like entries, each inheriting top-level deviceId/productId/tenantId/protocol/timestamp it lacks.
        // GIVEN the assumed shape
        String body = """
                {"messageType":"dataReportTupUnion","tenantId":"2000033629","productId":"15114816","deviceId":"40edca19",
                 "protocol":"lwm2m","timestamp":1650554828842,
                 "payload":[{"upPacketSN":7,"payload":{"APPdata":"AQI="}},
                            {"upPacketSN":8,"timestamp":1650554829000,"deviceId":"other","payload":{"temp":21}}]}
                """;
        // WHEN
        DataReportBatch batch = (DataReportBatch) parse(body);
        // THEN two reports, the second with its own device and time
        assertThat(batch.messageType()).isEqualTo("dataReportTupUnion");
        assertThat(batch.productId()).isEqualTo("15114816");
        assertThat(batch.reports()).hasSize(2);
        DataReport first = batch.reports().get(0);
        assertThat(first.deviceId()).isEqualTo("40edca19");
        assertThat(first.productId()).isEqualTo("15114816");
        assertThat(first.tenantId()).isEqualTo("2000033629");
        assertThat(first.timestamp()).isEqualTo(1650554828842L);
        assertThat(first.upPacketSn()).isEqualTo(7);
        assertThat(((ReportPayload.Transparent) first.payload()).bytes()).containsExactly(1, 2);
        DataReport second = batch.reports().get(1);
        assertThat(second.deviceId()).isEqualTo("other");
        assertThat(second.timestamp()).isEqualTo(1650554829000L);
        assertThat(((ReportPayload.ThingModel) second.payload()).values()).containsEntry("temp", 21);
    }

    @Test
    void tupUnionAlternativeShapes() {
        // Verifies the other accepted batch shapes: a "data" array, and a single dataReport-shaped body (batch of one).
        // GIVEN a data array and a single-report body
        String dataArray = """
                {"messageType":"dataReportTupUnion","productId":"1","timestamp":5,
                 "data":[{"deviceId":"a","payload":{"APPdata":"AA=="}},{"deviceId":"b","payload":{"APPdata":"AQ=="}}]}
                """;
        String single = SPEC_DATA_REPORT.replace("\"dataReport\"", "\"dataReportTupUnion\"");
        // WHEN / THEN
        assertThat(((DataReportBatch) parse(dataArray)).reports()).extracting(DataReport::deviceId).containsExactly("a", "b");
        DataReportBatch one = (DataReportBatch) parse(single);
        assertThat(one.reports()).containsExactly((DataReport) parse(SPEC_DATA_REPORT));
        // AND the fake's batch builder produces the assumed shape
        byte[] built = FakeCtwingPushes.dataReportTupUnion("15114816",
                List.of(FakeCtwingPushes.specDataReport(), FakeCtwingPushes.transparentDataReport("d2", "15114816", 9, new byte[] {5})))
                .bytes();
        DataReportBatch fromFake = (DataReportBatch) CtwingPushParser.parse(built);
        assertThat(fromFake.reports()).hasSize(2);
        assertThat(fromFake.reports().get(0)).isEqualTo(parse(SPEC_DATA_REPORT));
    }

    @Test
    void tupUnionRefusals() {
        // Verifies batch refusals: more than 1000 entries is TOO_LARGE, a non-object entry or a foreign entry
        // messageType is MALFORMED naming the entry, a body without entries is MALFORMED.
        // GIVEN 1001 entries
        List<FakeCtwingPushes.Push> many = new ArrayList<>();
        for (int i = 0; i < TupUnionShape.MAX_ENTRIES + 1; i++) {
            many.add(FakeCtwingPushes.transparentDataReport("d" + i, "1", i, new byte[] {1}));
        }
        // WHEN / THEN
        PushRejected tooMany = rejection(FakeCtwingPushes.dataReportTupUnion("1", many).bytes());
        assertThat(tooMany.reason()).isEqualTo(PushRejected.Reason.TOO_LARGE);
        assertThat(tooMany.getMessage()).contains("payload holds 1001 reports").contains("1000");
        // AND exactly 1000 entries pass
        assertThat(((DataReportBatch) CtwingPushParser.parse(FakeCtwingPushes.dataReportTupUnion("1", many.subList(0, 1000)).bytes()))
                .reports()).hasSize(1000);
        PushRejected notObject = rejection("{\"messageType\":\"dataReportTupUnion\",\"payload\":[{\"deviceId\":\"a\",\"timestamp\":1,"
                + "\"payload\":{\"APPdata\":\"\"}},42]}");
        assertThat(notObject.getMessage()).isEqualTo("payload[1] must be an object, not a number");
        PushRejected foreign = rejection("{\"messageType\":\"dataReportTupUnion\",\"data\":[{\"messageType\":\"eventReport\"}]}");
        assertThat(foreign.getMessage()).isEqualTo("data[0].messageType must be dataReport, not 'eventReport'");
        PushRejected entryField = rejection("{\"messageType\":\"dataReportTupUnion\",\"payload\":[{\"deviceId\":\"a\",\"payload\":{}}]}");
        assertThat(entryField.getMessage()).isEqualTo("payload[0].timestamp is missing");
        PushRejected empty = rejection("{\"messageType\":\"dataReportTupUnion\",\"deviceId\":\"a\"}");
        assertThat(empty.reason()).isEqualTo(PushRejected.Reason.MALFORMED);
        assertThat(empty.getMessage()).contains("payload or data array");
    }

    @Test
    void sameIdentityGivesSameDedupKey() {
        // Verifies that a retried push (the same bytes again) gives the same dedup key, for every message type.
        // GIVEN each documented example and the fake's batch
        List<String> bodies = List.of(SPEC_DATA_REPORT, SPEC_ONLINE_OFFLINE, SPEC_COMMAND_RESPONSE, SPEC_EVENT_REPORT,
                FakeCtwingPushes.dataReportTupUnion("1", List.of(FakeCtwingPushes.specDataReport())).json());
        for (String body : bodies) {
            // WHEN parsed twice
            String first = parse(body).dedupKey();
            String again = parse(body).dedupKey();
            // THEN the keys are equal SHA-256 hex
            assertThat(again).isEqualTo(first).matches("[0-9a-f]{64}");
        }
    }

    @Test
    void fieldOrderDoesNotChangeTheKey() {
        // Verifies that the dedup key does not depend on JSON field order, top level or inside a thing-model payload.
        // GIVEN the same reports with fields in reverse order
        FakeCtwingPushes.Push transparent = FakeCtwingPushes.specDataReport();
        FakeCtwingPushes.Push event = FakeCtwingPushes.specEventReport("d1");
        String model = "{\"messageType\":\"dataReport\",\"deviceId\":\"d\",\"timestamp\":1,\"payload\":{\"a\":1,\"b\":{\"x\":1,\"y\":2}}}";
        String modelReordered = "{\"payload\":{\"b\":{\"y\":2,\"x\":1},\"a\":1},\"timestamp\":1,\"deviceId\":\"d\","
                + "\"messageType\":\"dataReport\"}";
        // WHEN / THEN
        assertThat(CtwingPushParser.parse(transparent.reversedBytes()).dedupKey())
                .isEqualTo(CtwingPushParser.parse(transparent.bytes()).dedupKey());
        assertThat(CtwingPushParser.parse(event.reversedBytes()).dedupKey()).isEqualTo(CtwingPushParser.parse(event.bytes()).dedupKey());
        assertThat(parse(modelReordered).dedupKey()).isEqualTo(parse(model).dedupKey());
    }

    @Test
    void differentReportsDoNotCollide() {
        // Verifies that reports differing in one identifying field (packet number, payload, time, device, result code,
        // online state, message type) get different keys.
        // GIVEN variants of the documented examples
        List<String> keys = List.of(
                parse(SPEC_DATA_REPORT).dedupKey(),
                parse(SPEC_DATA_REPORT.replace("\"upPacketSN\":-1", "\"upPacketSN\":5")).dedupKey(),
                parse(SPEC_DATA_REPORT.replace("AQFWMS4w", "AQFWMS4x")).dedupKey(),
                parse(SPEC_DATA_REPORT.replace("1650554828842", "1650554828843")).dedupKey(),
                parse(SPEC_DATA_REPORT.replace("40edca19", "40edca1a")).dedupKey(),
                parse(SPEC_COMMAND_RESPONSE).dedupKey(),
                parse(SPEC_COMMAND_RESPONSE.replace("DELIVERED", "SUCCESSFUL")).dedupKey(),
                parse(SPEC_COMMAND_RESPONSE.replace("\"taskId\":1", "\"taskId\":2")).dedupKey(),
                parse(SPEC_ONLINE_OFFLINE).dedupKey(),
                parse(SPEC_ONLINE_OFFLINE.replace("\"eventType\":1", "\"eventType\":0")).dedupKey(),
                parse(SPEC_EVENT_REPORT).dedupKey(),
                parse(SPEC_EVENT_REPORT.replace("\"battery_state\":1", "\"battery_state\":2")).dedupKey(),
                parse(SPEC_DATA_REPORT.replace("\"dataReport\"", "\"dataReportTupUnion\"")).dedupKey());
        // WHEN / THEN all differ
        assertThat(keys).doesNotHaveDuplicates();
        // AND a batch entry has the key of the same report pushed alone
        DataReportBatch batch = (DataReportBatch) parse(SPEC_DATA_REPORT.replace("\"dataReport\"", "\"dataReportTupUnion\""));
        assertThat(batch.reports().get(0).dedupKey()).isEqualTo(parse(SPEC_DATA_REPORT).dedupKey());
    }

    @Test
    void invalidBase64IsMalformedNamingTheField() {
        // Verifies that APPdata that is not Base64 is refused as MALFORMED naming payload.APPdata.
        // GIVEN / WHEN
        PushRejected rejected = rejection(SPEC_DATA_REPORT.replace("AQFWMS4w", "AQF*MS4w"));
        // THEN
        assertThat(rejected.reason()).isEqualTo(PushRejected.Reason.MALFORMED);
        assertThat(rejected.getMessage()).isEqualTo("payload.APPdata is not valid Base64");
        // AND APPdata of the wrong type is named too
        assertThat(rejection(SPEC_DATA_REPORT.replace("\"AQFWMS4w\"", "42")).getMessage())
                .isEqualTo("payload.APPdata must be a string, not a number");
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        // Verifies that broken JSON is MALFORMED with line and column; duplicates, trailing tokens and non-objects too.
        // GIVEN a body broken on its second line
        PushRejected rejected = rejection("{\"messageType\":\"dataReport\",\n \"deviceId\": ,}");
        // THEN
        assertThat(rejected.reason()).isEqualTo(PushRejected.Reason.MALFORMED);
        assertThat(rejected.getMessage()).startsWith("push body is not valid JSON at line 2, column 15: Unexpected character");
        assertThat(rejection("{\"messageType\":\"dataReport\",\"messageType\":\"eventReport\"}").getMessage())
                .contains("not valid JSON").contains("line 1");
        assertThat(rejection("{\"messageType\":\"dataReport\"} {}").getMessage()).contains("not valid JSON");
        assertThat(rejection("[1,2]").getMessage()).isEqualTo("push body must be a JSON object, not an array");
        assertThat(rejection(new byte[0]).getMessage()).isEqualTo("push body is empty");
    }

    @Test
    void unknownMessageTypeIsMalformedNamingIt() {
        // Verifies that an undocumented messageType is MALFORMED and named; a missing one is named as missing.
        // GIVEN / WHEN / THEN
        PushRejected rejected = rejection("{\"messageType\":\"deviceDeleted\",\"deviceId\":\"a\"}");
        assertThat(rejected.reason()).isEqualTo(PushRejected.Reason.MALFORMED);
        assertThat(rejected.getMessage()).isEqualTo("unknown messageType 'deviceDeleted'");
        assertThat(rejection("{\"deviceId\":\"a\"}").getMessage()).isEqualTo("messageType is missing");
    }

    @Test
    void aHugeNumberIsRefusedBeforeItIsConverted() {
        // Verifies that a number of 100,000 digits is refused as TOO_LARGE at once (converting it would take seconds).
        // GIVEN
        byte[] body = ("{\"messageType\":\"dataReport\",\"x\":" + "9".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8);
        // WHEN / THEN
        long started = System.nanoTime();
        PushRejected rejected = rejection(body);
        assertThat(rejected.reason()).isEqualTo(PushRejected.Reason.TOO_LARGE);
        assertThat(rejected.getMessage()).contains("a number of more than 100 characters");
        assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
    }

    @Test
    void oversizedBodyIsTooLarge() {
        // Verifies that a body over 1 MiB is refused as TOO_LARGE before parsing, and that 1 MiB exactly is parsed.
        // GIVEN a body of 1 MiB + 1 byte (valid JSON padded with spaces)
        byte[] body = padded(SPEC_DATA_REPORT, CtwingPushParser.MAX_BODY_BYTES + 1);
        // WHEN / THEN
        PushRejected rejected = rejection(body);
        assertThat(rejected.reason()).isEqualTo(PushRejected.Reason.TOO_LARGE);
        assertThat(rejected.code().httpStatus()).isEqualTo(413);
        assertThat(rejected.getMessage()).contains("1048577 bytes").contains("1048576");
        assertThat(CtwingPushParser.parse(padded(SPEC_DATA_REPORT, CtwingPushParser.MAX_BODY_BYTES))).isInstanceOf(DataReport.class);
    }

    @Test
    void wrongFieldTypesAreNamed() {
        // Verifies that mistyped or out-of-range fields are MALFORMED naming the field and the found type or value.
        // GIVEN / WHEN / THEN
        assertThat(rejection(SPEC_DATA_REPORT.replace("1650554828842", "\"yesterday\"")).getMessage())
                .isEqualTo("timestamp must be an integer, not a string");
        assertThat(rejection(SPEC_DATA_REPORT.replace("\"deviceId\":\"40edca19\"", "\"deviceId\":7")).getMessage())
                .isEqualTo("deviceId must be a string, not a number");
        assertThat(rejection(SPEC_DATA_REPORT.replace("\"deviceId\":\"40edca19\",", "")).getMessage()).isEqualTo("deviceId is missing");
        assertThat(rejection(SPEC_DATA_REPORT.replace("{\"APPdata\":\"AQFWMS4w\"}", "[1]")).getMessage())
                .isEqualTo("payload must be an object, not an array");
        assertThat(rejection(SPEC_DATA_REPORT.replace("\"productId\":\"15114816\"", "\"productId\":true")).getMessage())
                .isEqualTo("productId must be a string or an integer, not a boolean");
        assertThat(rejection(SPEC_EVENT_REPORT.replace("\"eventType\":2", "\"eventType\":7")).getMessage())
                .isEqualTo("eventType must be 1 (info), 2 (warning) or 3 (fault), not 7");
        assertThat(rejection(SPEC_EVENT_REPORT.replace("{\"battery_state\":1}", "\"low\"")).getMessage())
                .isEqualTo("eventContent must be an object, not a string");
        assertThat(rejection(SPEC_ONLINE_OFFLINE.replace("\"eventType\":1", "\"eventType\":2")).getMessage())
                .isEqualTo("eventType must be 1 (online) or 0 (offline), not 2");
        assertThat(rejection(SPEC_COMMAND_RESPONSE.replace("DELIVERED", "LOST")).getMessage())
                .isEqualTo("result.resultCode must be SENT, DELIVERED, SUCCESSFUL or FAILED, not 'LOST'");
        assertThat(rejection(SPEC_COMMAND_RESPONSE.replace("\"taskId\":1", "\"taskId\":1.5")).getMessage())
                .isEqualTo("taskId must be an integer, not a number");
        assertThat(rejection(SPEC_COMMAND_RESPONSE.replace("{\"resultDetail\":\"\",\"resultCode\":\"DELIVERED\"}", "{}")).getMessage())
                .isEqualTo("result.resultCode is missing");
    }

    @Test
    void deepNestingIsRefused() {
        // Verifies that a thing-model payload nesting deeper than the bound is MALFORMED naming payload.
        // GIVEN a payload nested 40 levels deep
        String nested = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        // WHEN / THEN
        PushRejected rejected = rejection("{\"messageType\":\"dataReport\",\"deviceId\":\"d\",\"timestamp\":1,\"payload\":" + nested + "}");
        assertThat(rejected.getMessage()).isEqualTo("payload nests deeper than 32 levels");
    }

    @Test
    void identityValuesUndefinedMeanAbsent() {
        // Verifies that IMEI/IMSI "undefined", "" or missing are absent and a real IMSI is kept.
        // GIVEN / WHEN
        DataReport withImsi = (DataReport) parse(SPEC_DATA_REPORT.replace("\"IMSI\":\"undefined\"", "\"IMSI\":\"460111234567890\""));
        DataReport noImei = (DataReport) parse(SPEC_DATA_REPORT.replace("\"IMEI\":\"862592051651472\"", "\"IMEI\":\"\""));
        // THEN
        assertThat(withImsi.imsi()).isEqualTo(Optional.of("460111234567890"));
        assertThat(noImei.imei()).isEmpty();
    }

    private static byte[] padded(String json, int size) {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        System.arraycopy(text, 0, body, 0, text.length);
        return body;
    }
}
