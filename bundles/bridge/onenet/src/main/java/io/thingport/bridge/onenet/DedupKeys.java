package io.thingport.bridge.onenet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deduplication keys: the SHA-256 (hex) of a tuple of strings, each length-prefixed so that no two tuples collide. */
final class DedupKeys {
    private DedupKeys() {
    }

    static String of(Object... parts) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Object part : parts) {
                if (part == null) {
                    sha256.update(new byte[] {-1, -1, -1, -1});
                    continue;
                }
                byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
                sha256.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8),
                    (byte) bytes.length});
                sha256.update(bytes);
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
