package io.thingport.bridge.ctwing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.bridge.support.PushRejected;
import java.util.ArrayList;
import java.util.List;

/**
 * *UNVERIFIED*: the wire shape of a {@code dataReportTupUnion} (batched data report) push. The public documentation
 * names the message type but does not show its body, so this is the one place that decides what is accepted; change it
 * (and the one test vector {@code CtwingPushParserTest#tupUnionShapeVector}) when a real body is seen.
 *
 * <p>Accepted, in this order:
 * <ol>
 *   <li>a {@code payload} array of dataReport-like objects;</li>
 *   <li>a {@code data} array of dataReport-like objects;</li>
 *   <li>a {@code payload} object: the body itself is one dataReport-like entry (a batch of one).</li>
 * </ol>
 * An entry without {@code deviceId}, {@code productId}, {@code tenantId}, {@code protocol}, {@code timestamp},
 * {@code IMEI}, {@code IMSI}, {@code topic} or {@code serviceId} takes the body's top-level value. An entry's
 * {@code messageType}, when present, must be {@code dataReport}. At most {@link #MAX_ENTRIES} entries.
 */
public final class TupUnionShape {
    /** The fields that may hold the array of entries, tried in this order. */
    public static final List<String> ENTRY_ARRAY_FIELDS = List.of("payload", "data");
    /** The most entries one batch may hold; more is {@link PushRejected.Reason#TOO_LARGE}. */
    public static final int MAX_ENTRIES = 1000;
    /** The top-level fields an entry inherits when it has none of its own. */
    static final List<String> INHERITED = List.of(
            "deviceId", "productId", "tenantId", "protocol", "timestamp", "IMEI", "IMSI", "topic", "serviceId");

    private TupUnionShape() {
    }

    /** One dataReport-like entry, with the path that names it in errors ("" for the body itself). */
    record Entry(JsonNode fields, String path) {
    }

    /** The entries of a {@code dataReportTupUnion} body, with inherited top-level fields filled in. */
    static List<Entry> entries(JsonNode root) {
        for (String field : ENTRY_ARRAY_FIELDS) {
            JsonNode array = root.get(field);
            if (array != null && array.isArray()) {
                return fromArray(root, field, array);
            }
        }
        JsonNode payload = root.get("payload");
        if (payload != null && payload.isObject()) {
            return List.of(new Entry(root, ""));
        }
        throw PushRejected.malformed("dataReportTupUnion needs a payload or data array of reports");
    }

    private static List<Entry> fromArray(JsonNode root, String field, JsonNode array) {
        if (array.size() > MAX_ENTRIES) {
            throw new PushRejected(PushRejected.Reason.TOO_LARGE,
                    field + " holds " + array.size() + " reports, more than the limit of " + MAX_ENTRIES);
        }
        List<Entry> entries = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String path = field + "[" + i + "]";
            JsonNode element = array.get(i);
            if (!element.isObject()) {
                throw PushRejected.malformed(path + " must be an object, not " + PushFields.kind(element));
            }
            ObjectNode entry = JsonNodeFactory.instance.objectNode();
            entry.setAll((ObjectNode) element);
            for (String inherited : INHERITED) {
                JsonNode own = entry.get(inherited);
                JsonNode top = root.get(inherited);
                if ((own == null || own.isNull()) && top != null && !top.isContainerNode()) {
                    entry.set(inherited, top);
                }
            }
            JsonNode type = entry.get("messageType");
            if (type != null && !DataReport.MESSAGE_TYPE.equals(type.asText())) {
                throw PushRejected.malformed(path + ".messageType must be dataReport, not '" + PushFields.echo(type.asText()) + "'");
            }
            entries.add(new Entry(entry, path));
        }
        return entries;
    }
}
