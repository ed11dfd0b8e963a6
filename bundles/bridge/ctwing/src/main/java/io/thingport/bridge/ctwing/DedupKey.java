package io.thingport.bridge.ctwing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Builds a dedup key: SHA-256 (hex) over a tuple of named fields, each written as its name, its length and its bytes so
 * that no two different tuples can give the same input ({@code ("ab","c")} differs from {@code ("a","bc")}).
 */
final class DedupKey {
    private final MessageDigest digest;

    private DedupKey(String messageType) {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        add("messageType", messageType);
    }

    static DedupKey of(String messageType) {
        return new DedupKey(messageType);
    }

    DedupKey add(String name, String value) {
        return add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    DedupKey add(String name, long value) {
        return add(name, Long.toString(value));
    }

    DedupKey add(String name, byte[] value) {
        byte[] label = name.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(label.length).array());
        digest.update(label);
        digest.update(ByteBuffer.allocate(4).putInt(value.length).array());
        digest.update(value);
        return this;
    }

    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
