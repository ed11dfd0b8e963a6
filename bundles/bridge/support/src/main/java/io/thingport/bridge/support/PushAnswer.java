package io.thingport.bridge.support;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** What the {@link PushServer} answers a push: a status, a content type and a body. */
public record PushAnswer(int status, String contentType, byte[] body) {
    public PushAnswer {
        Objects.requireNonNull(contentType, "contentType");
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** {@code 200} with a plain-text body (a URL verification's echo, or {@code ok}). */
    public static PushAnswer text(int status, String text) {
        return new PushAnswer(status, "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** An answer with the platform's error body {@code {"code":"...","message":"..."}}. */
    public static PushAnswer error(int status, String code, String message) {
        String json = "{\"code\":\"" + escape(code) + "\",\"message\":\"" + escape(message) + "\"}";
        return new PushAnswer(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
