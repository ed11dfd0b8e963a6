package io.thingport.bridge.ctwing;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One CTWing API call before signing: method, path, API version, query parameters (in URL order), whether the API needs
 * the product's {@code MasterKey}, and the body (empty for none). Pure value; {@link #signedHeaders} adds the signature.
 */
public record ApiRequest(String method, String path, String version, Map<String, String> query, boolean masterKeyRequired, byte[] body) {

    public ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(version, "version");
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        body = body == null ? new byte[0] : body.clone();
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The full URI under {@code baseUrl} (its path, if any, is kept), query values percent-encoded. */
    public URI uri(URI baseUrl) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        StringBuilder out = new StringBuilder(base).append(path);
        String separator = "?";
        for (Map.Entry<String, String> entry : query.entrySet()) {
            out.append(separator).append(encode(entry.getKey())).append('=').append(encode(entry.getValue()));
            separator = "&";
        }
        return URI.create(out.toString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The headers of this call, signed at {@code timestamp} (epoch ms, already corrected by the clock offset):
     * {@code application}, {@code timestamp}, {@code version}, {@code MasterKey} (when required), {@code signature},
     * {@code Content-Type}.
     */
    public Map<String, String> signedHeaders(String appKey, String appSecret, String masterKey, long timestamp) {
        Map<String, String> params = new TreeMap<>(query);
        if (masterKeyRequired) {
            params.put(CtwingApi.HEADER_MASTER_KEY, Objects.requireNonNull(masterKey, "masterKey"));
        }
        String signature = CtwingSigner.signature(appSecret, CtwingSigner.stringToSign(appKey, timestamp, params, body));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CtwingApi.HEADER_APPLICATION, appKey);
        headers.put(CtwingApi.HEADER_TIMESTAMP, Long.toString(timestamp));
        headers.put(CtwingApi.HEADER_VERSION, version);
        if (masterKeyRequired) {
            headers.put(CtwingApi.HEADER_MASTER_KEY, masterKey);
        }
        headers.put(CtwingApi.HEADER_SIGNATURE, signature);
        headers.put(CtwingApi.HEADER_CONTENT_TYPE, CtwingApi.CONTENT_TYPE);
        return Collections.unmodifiableMap(headers);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiRequest that
                && method.equals(that.method)
                && path.equals(that.path)
                && version.equals(that.version)
                && query.equals(that.query)
                && masterKeyRequired == that.masterKeyRequired
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, version, query, masterKeyRequired, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "ApiRequest[" + method + " " + path + " version=" + version + " query=" + query + " body=" + body.length + " bytes]";
    }
}
