package io.thingport.bridge.ctwing;

/**
 * The difference between the API gateway's clock and ours, from {@code GET /echo}: the gateway answers with its time in
 * {@value CtwingApi#SERVER_TIMESTAMP_HEADER}; we take it as the time at the middle of our request. Signed calls then
 * send {@code timestamp = local now + offset}.
 */
public final class ClockOffset {
    private ClockOffset() {
    }

    /** {@code server - midpoint(sentAt, receivedAt)}, all epoch milliseconds; positive when the gateway is ahead. */
    public static long offsetMillis(long serverMillis, long sentAtMillis, long receivedAtMillis) {
        if (receivedAtMillis < sentAtMillis) {
            throw new IllegalArgumentException("receivedAt " + receivedAtMillis + " is before sentAt " + sentAtMillis);
        }
        long midpoint = sentAtMillis + (receivedAtMillis - sentAtMillis) / 2;
        return serverMillis - midpoint;
    }

    /** The timestamp to sign with: {@code localMillis + offsetMillis}. */
    public static long correctedNow(long localMillis, long offsetMillis) {
        return localMillis + offsetMillis;
    }

    /** The gateway time in a {@value CtwingApi#SERVER_TIMESTAMP_HEADER} value; a missing or non-numeric one is a bad response. */
    public static long serverMillis(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            throw new CtwingApiException(CtwingApiException.Kind.BAD_RESPONSE,
                    "echo: answer has no " + CtwingApi.SERVER_TIMESTAMP_HEADER + " header");
        }
        String value = headerValue.trim();
        if (!value.matches("[0-9]{1,18}")) {
            throw new CtwingApiException(CtwingApiException.Kind.BAD_RESPONSE,
                    "echo: " + CtwingApi.SERVER_TIMESTAMP_HEADER + " is not epoch milliseconds: '" + PushFields.echo(value) + "'");
        }
        return Long.parseLong(value);
    }
}
