package io.thingport.bridge.ctwing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thingport.bridge.support.PushRejected;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Parses the body of a CTWing subscription push into a {@link CtwingMessage}. Pure: no I/O, no clock, thread-safe.
 * Every refusal is a {@link PushRejected} naming the problem: {@code TOO_LARGE} for a body over {@link #MAX_BODY_BYTES}
 * (or a batch over {@link TupUnionShape#MAX_ENTRIES}), {@code MALFORMED} for everything else (with line and column for
 * broken JSON, the field's path for a missing or mistyped field, the value for an unknown {@code messageType}).
 */
public final class CtwingPushParser {
    /** The largest push body accepted: 1 MiB. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CtwingPushParser() {
    }

    /** The message in {@code body} (UTF-8 JSON). */
    public static CtwingMessage parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw PushRejected.malformed("push body is empty");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new PushRejected(PushRejected.Reason.TOO_LARGE,
                    "push body has " + body.length + " bytes, more than the limit of " + MAX_BODY_BYTES);
        }
        JsonNode root = read(body);
        if (!root.isObject()) {
            throw PushRejected.malformed("push body must be a JSON object, not " + PushFields.kind(root));
        }
        PushFields fields = PushFields.of(root, "");
        String type = fields.requiredText("messageType");
        return switch (type) {
            case DataReport.MESSAGE_TYPE -> dataReport(PushFields.of(root, ""));
            case DataReportBatch.MESSAGE_TYPE -> batch(root);
            case EventReport.MESSAGE_TYPE -> eventReport(fields);
            case DeviceStatusReport.MESSAGE_TYPE -> statusReport(fields);
            case CommandResponse.MESSAGE_TYPE -> commandResponse(fields);
            default -> throw PushRejected.malformed("unknown messageType '" + PushFields.echo(type) + "'");
        };
    }

    /** The longest number a push may hold, in characters (checked before the number is converted). */
    static final int MAX_NUMBER_CHARS = 100;

    private static JsonNode read(byte[] body) {
        try {
            // a streaming pass first: turning a huge number into a BigInteger takes time growing with its square
            try (JsonParser parser = JSON.getFactory().createParser(body)) {
                for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                    if (t.isNumeric() && parser.getTextLength() > MAX_NUMBER_CHARS) {
                        throw new PushRejected(PushRejected.Reason.TOO_LARGE, "push body holds a number of more than "
                                + MAX_NUMBER_CHARS + " characters");
                    }
                }
            }
            JsonNode root = JSON.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw PushRejected.malformed("push body holds no JSON value");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new PushRejected(PushRejected.Reason.MALFORMED,
                    "push body is not valid JSON" + where + ": " + PushFields.echo(String.valueOf(e.getOriginalMessage())), e);
        } catch (IOException e) {
            throw new PushRejected(PushRejected.Reason.MALFORMED, "push body could not be read: " + e.getMessage(), e);
        }
    }

    private static DataReport dataReport(PushFields fields) {
        return new DataReport(
                fields.requiredText("deviceId"),
                fields.id("productId", false),
                fields.id("tenantId", false),
                fields.requiredLong("timestamp"),
                fields.optionalText("protocol", ""),
                fields.identity("IMEI"),
                fields.identity("IMSI"),
                fields.optionalLong("upPacketSN", -1),
                fields.optionalLong("upDataSN", -1),
                fields.optionalText("topic", ""),
                fields.id("serviceId", false),
                payload(fields));
    }

    private static ReportPayload payload(PushFields fields) {
        JsonNode payload = fields.requiredObject("payload");
        PushFields inner = PushFields.of(payload, fields.path("payload"));
        if (inner.has("APPdata")) {
            String text = inner.optionalText("APPdata", "");
            try {
                return new ReportPayload.Transparent(Base64.getDecoder().decode(text));
            } catch (IllegalArgumentException e) {
                throw PushRejected.malformed(inner.path("APPdata") + " is not valid Base64");
            }
        }
        return new ReportPayload.ThingModel(JsonValues.toMap(payload, fields.path("payload")));
    }

    private static DataReportBatch batch(JsonNode root) {
        PushFields top = PushFields.of(root, "");
        List<DataReport> reports = new ArrayList<>();
        for (TupUnionShape.Entry entry : TupUnionShape.entries(root)) {
            reports.add(dataReport(PushFields.of(entry.fields(), entry.path())));
        }
        return new DataReportBatch(top.optionalText("deviceId", ""), top.id("productId", false), top.id("tenantId", false), reports);
    }

    private static EventReport eventReport(PushFields fields) {
        Map<String, Object> content = fields.has("eventContent")
                ? JsonValues.toMap(fields.requiredObject("eventContent"), "eventContent")
                : Map.of();
        return new EventReport(
                fields.requiredText("deviceId"),
                fields.id("productId", false),
                fields.id("tenantId", false),
                fields.requiredLong("timestamp"),
                fields.optionalText("protocol", ""),
                fields.id("serviceId", false),
                EventLevel.fromWire(fields.requiredLong("eventType")),
                content);
    }

    private static DeviceStatusReport statusReport(PushFields fields) {
        return new DeviceStatusReport(
                fields.requiredText("deviceId"),
                fields.id("productId", false),
                fields.id("tenantId", false),
                fields.requiredLong("timestamp"),
                fields.optionalText("protocol", ""),
                DeviceStatus.fromWire(fields.requiredLong("eventType")),
                fields.identity("iccid"));
    }

    private static CommandResponse commandResponse(PushFields fields) {
        PushFields result = PushFields.of(fields.requiredObject("result"), "result");
        return new CommandResponse(
                fields.requiredText("deviceId"),
                fields.id("productId", false),
                fields.id("tenantId", false),
                fields.requiredLong("timestamp"),
                fields.optionalText("protocol", ""),
                fields.requiredLong("taskId"),
                CommandResultCode.fromWire(result.requiredText("resultCode")),
                result.optionalText("resultDetail", ""));
    }
}
