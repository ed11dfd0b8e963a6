package io.thingport.bridge.ctwing;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code payload} of a data report: the raw device bytes of a transparent product ({@code payload.APPdata}, Base64 on
 * the wire, to be decoded by the product's protocol codec) or the decoded JSON object of a thing-model product.
 */
public sealed interface ReportPayload permits ReportPayload.Transparent, ReportPayload.ThingModel {

    /** Transparent product: the device's bytes, decoded from {@code payload.APPdata}. */
    record Transparent(byte[] bytes) implements ReportPayload {
        public Transparent {
            bytes = Objects.requireNonNull(bytes, "bytes").clone();
        }

        /** A copy of the device's bytes. */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Transparent that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Transparent[" + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    /**
     * Thing-model product: the JSON object, as an unmodifiable map of String, Number (Integer, Long, BigInteger, Double),
     * Boolean, null, unmodifiable List and unmodifiable Map values, in wire order.
     */
    record ThingModel(Map<String, Object> values) implements ReportPayload {
        public ThingModel {
            values = JsonValues.immutableCopy(Objects.requireNonNull(values, "values"));
        }
    }
}
