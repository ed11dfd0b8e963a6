package io.thingport.bridge.onenet;

import java.util.Locale;

/** The HMAC of a OneNET Studio token ({@code method=} in the token). */
public enum SignMethod {
    MD5("HmacMD5"), SHA1("HmacSHA1"), SHA256("HmacSHA256");

    private final String algorithm;

    SignMethod(String algorithm) {
        this.algorithm = algorithm;
    }

    /** The name in the token: {@code md5}, {@code sha1}, {@code sha256}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The JCA Mac algorithm. */
    String algorithm() {
        return algorithm;
    }
}
