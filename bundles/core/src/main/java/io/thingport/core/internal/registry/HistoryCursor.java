package io.thingport.core.internal.registry;

import io.thingport.api.ThingportException;
import io.thingport.core.internal.storage.TimeRange;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The cursor of a property-history page ({@code DeviceService#propertyHistory}): the position of the last report a
 * page read, and a check that ties it to the query it came from — the device, the property and the time range. It is
 * base64url (no padding) of a version byte, the report's timestamp and id, and the first 8 bytes of a SHA-256 over the
 * query and the position. A cursor that is not base64url of that layout, or whose check does not match the query it
 * comes back with (another device's, a changed range, an edited one), is refused as one the platform did not issue:
 * the caller gets {@code INVALID_ARGUMENT}, never a read from a made-up place. The check is no secret: a forged cursor
 * can only start the caller's own query at a place of its choosing.
 */
final class HistoryCursor {
    private static final byte VERSION = 1;
    private static final int CHECK_BYTES = 8;
    private static final int LENGTH = 1 + Long.BYTES + Long.BYTES + CHECK_BYTES;
    /** How much of a refused cursor its error quotes. */
    private static final int QUOTED = 48;

    /** The query a cursor belongs to. */
    record Scope(String deviceId, String property, TimeRange range) {
    }

    private HistoryCursor() {
    }

    static String encode(Scope scope, ReportPosition position) {
        ByteBuffer bytes = ByteBuffer.allocate(LENGTH).put(VERSION).putLong(position.ts()).putLong(position.id())
                .put(check(scope, position));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /**
     * The position a cursor names, when {@link #encode} made it for the same query.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} for any other text
     */
    static ReportPosition decode(Scope scope, String cursor) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw notIssued(cursor);
        }
        if (bytes.length != LENGTH || bytes[0] != VERSION) {
            throw notIssued(cursor);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, LENGTH - 1);
        ReportPosition position = new ReportPosition(in.getLong(), in.getLong());
        byte[] check = new byte[CHECK_BYTES];
        in.get(check);
        if (!MessageDigest.isEqual(check, check(scope, position))) {
            throw notIssued(cursor);
        }
        return position;
    }

    private static ThingportException notIssued(String cursor) {
        String quoted = cursor.length() <= QUOTED ? cursor : cursor.substring(0, QUOTED) + "...";
        return ThingportException.invalidArgument("cursor '" + quoted + "' is not one this platform issued for this device,"
                + " property and time range: pass back the next cursor of the previous page unchanged, or none for the newest values");
    }

    private static byte[] check(Scope scope, ReportPosition position) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            text(out, scope.deviceId());
            text(out, scope.property());
            bound(out, scope.range().fromMs());
            bound(out, scope.range().toMs());
            out.writeLong(position.ts());
            out.writeLong(position.id());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(buffer.toByteArray()), CHECK_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void text(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void bound(DataOutputStream out, Long ms) throws IOException {
        out.writeBoolean(ms != null);
        out.writeLong(ms == null ? 0 : ms);
    }
}
