package io.thingport.bridge.ctwing.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds CTWing subscription push bodies as the platform sends them (the field sets and order of the documented
 * examples). Each {@code spec...} method gives a documented example verbatim (as a JSON value); the other methods give
 * the same shape with chosen values. A {@link Push} can be changed field by field before it is written.
 */
public final class FakeCtwingPushes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeCtwingPushes() {
    }

    /** A push body under construction: fields in wire order. */
    public static final class Push {
        private final LinkedHashMap<String, Object> fields = new LinkedHashMap<>();

        private Push() {
        }

        /** Sets {@code field} (keeping its position when it exists). */
        public Push with(String field, Object value) {
            fields.put(field, value);
            return this;
        }

        /** Removes {@code field}. */
        public Push without(String field) {
            fields.remove(field);
            return this;
        }

        /** The fields, for nesting into a batch. */
        public Map<String, Object> fields() {
            return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        /** The body as JSON text, fields in order. */
        public String json() {
            return write(fields);
        }

        /** The body as UTF-8 bytes. */
        public byte[] bytes() {
            return json().getBytes(StandardCharsets.UTF_8);
        }

        /** The same body with its top-level fields in reverse order. */
        public byte[] reversedBytes() {
            List<String> keys = new ArrayList<>(fields.keySet());
            Collections.reverse(keys);
            LinkedHashMap<String, Object> reversed = new LinkedHashMap<>();
            keys.forEach(key -> reversed.put(key, fields.get(key)));
            return write(reversed).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The documented dataReport example (transparent product, APPdata "AQFWMS4w"). */
    public static Push specDataReport() {
        return transparentDataReport("40edca19", "15114816", 1650554828842L, Base64.getDecoder().decode("AQFWMS4w"));
    }

    /** A transparent dataReport with the documented fields: APPdata is Base64 of {@code bytes}. */
    public static Push transparentDataReport(String deviceId, String productId, long timestamp, byte[] bytes) {
        return new Push()
                .with("upPacketSN", -1)
                .with("upDataSN", -1)
                .with("topic", "v1/up/ad")
                .with("timestamp", timestamp)
                .with("tenantId", "2000033629")
                .with("serviceId", "")
                .with("protocol", "lwm2m")
                .with("productId", productId)
                .with("payload", Map.of("APPdata", Base64.getEncoder().encodeToString(bytes)))
                .with("messageType", "dataReport")
                .with("deviceType", "")
                .with("deviceId", deviceId)
                .with("assocAssetId", "")
                .with("IMSI", "undefined")
                .with("IMEI", "862592051651472");
    }

    /** A thing-model dataReport: {@code payload} is the decoded object, with a {@code serviceId}. */
    public static Push thingModelDataReport(String deviceId, String productId, long timestamp, String serviceId, Map<String, ?> payload) {
        return transparentDataReport(deviceId, productId, timestamp, new byte[0])
                .with("serviceId", serviceId)
                .with("payload", new LinkedHashMap<>(payload));
    }

    /**
     * A {@code dataReportTupUnion} in the shape {@code TupUnionShape} assumes (*unverified*): top-level tenant, product
     * and message type, and a {@code payload} array of dataReport bodies without their {@code messageType}.
     */
    public static Push dataReportTupUnion(String productId, List<Push> reports) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Push report : reports) {
            LinkedHashMap<String, Object> entry = new LinkedHashMap<>(report.fields());
            entry.remove("messageType");
            entries.add(entry);
        }
        return new Push()
                .with("tenantId", "2000033629")
                .with("productId", productId)
                .with("messageType", "dataReportTupUnion")
                .with("payload", entries);
    }

    /** The documented deviceOnlineOfflineReport example (online, deviceId as given). */
    public static Push specOnlineOffline(String deviceId) {
        return onlineOffline(deviceId, "10053421", 1589444231825L, true);
    }

    /** A deviceOnlineOfflineReport: eventType 1 online / 0 offline. */
    public static Push onlineOffline(String deviceId, String productId, long timestamp, boolean online) {
        return new Push()
                .with("timestamp", timestamp)
                .with("tenantId", "10461180")
                .with("protocol", "lwm2m")
                .with("productId", productId)
                .with("messageType", "deviceOnlineOfflineReport")
                .with("iccid", "undefined")
                .with("eventType", online ? 1 : 0)
                .with("deviceId", deviceId);
    }

    /** The documented commandResponse example (taskId 1, DELIVERED). */
    public static Push specCommandResponse(String deviceId) {
        return commandResponse(deviceId, "10053421", 1589444233258L, 1, "DELIVERED", "");
    }

    /** A commandResponse. */
    public static Push commandResponse(String deviceId, String productId, long timestamp, long taskId, String resultCode, String detail) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("resultDetail", detail);
        result.put("resultCode", resultCode);
        return new Push()
                .with("timestamp", timestamp)
                .with("tenantId", "10461180")
                .with("taskId", taskId)
                .with("result", result)
                .with("protocol", "lwm2m")
                .with("productId", productId)
                .with("messageType", "commandResponse")
                .with("deviceId", deviceId);
    }

    /** The documented eventReport example (serviceId 1002, warning, battery_state 1). */
    public static Push specEventReport(String deviceId) {
        return eventReport(deviceId, "15045240", 1619523767263L, 1002, 2, Map.of("battery_state", 1));
    }

    /** An eventReport: eventType 1 info, 2 warning, 3 fault. */
    public static Push eventReport(String deviceId, String productId, long timestamp, int serviceId, int eventType,
            Map<String, ?> content) {
        return new Push()
                .with("timestamp", timestamp)
                .with("tenantId", "2000033827")
                .with("serviceId", serviceId)
                .with("protocol", "lwm2m")
                .with("productId", productId)
                .with("messageType", "eventReport")
                .with("eventType", eventType)
                .with("eventContent", new LinkedHashMap<>(content))
                .with("deviceId", deviceId);
    }

    /** POSTs {@code body} to {@code url} as the platform does (JSON, UTF-8) and returns the HTTP status. */
    public static int post(HttpClient client, URI url, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
