package io.thingport.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Frames of the official protocol on a {@code tcp-server} component with the default newline framing: every frame
 * is {@code <topic> <payload>\n}. The first frame of a connection is the login
 * {@code /auth {"clientId":..,"username":..,"password":..}}, answered {@code /auth/reply {"success":true,...}} or
 * {@code /auth/reply {"success":false,"code":..,"message":..}}; a rejected uplink is answered
 * {@code /{product}/{device}/error {...}}.
 */
final class TcpFrames {
    static final String AUTH_TOPIC = "/auth";
    static final String AUTH_REPLY_TOPIC = "/auth/reply";

    private static final Pattern SUCCESS = Pattern.compile("\"success\"\\s*:\\s*(true|false)");
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private TcpFrames() {
    }

    /** The login frame, newline included. */
    static String login(String clientId, String username, String password) {
        return AUTH_TOPIC + " {\"clientId\":" + PayloadSpec.quote(clientId) + ",\"username\":" + PayloadSpec.quote(username)
                + ",\"password\":" + PayloadSpec.quote(password) + "}\n";
    }

    /** The login frame of a device signed at {@code timestampMs}, newline included. */
    static String login(Device device, long timestampMs) {
        String username = Auth.username(device.id(), timestampMs);
        return login(device.id(), username, Auth.password(device.secret(), username));
    }

    /**
     * Appends one uplink frame {@code <topic> <payload>\n}. The payload must be one line: JSON from
     * {@link PayloadSpec} always is (control characters are escaped).
     */
    static StringBuilder appendFrame(StringBuilder sb, String topic, String payload) {
        if (payload.indexOf('\n') >= 0 || topic.indexOf(' ') >= 0 || topic.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a frame is one line and its topic has no space");
        }
        return sb.append(topic).append(' ').append(payload).append('\n');
    }

    static String frame(String topic, String payload) {
        return appendFrame(new StringBuilder(topic.length() + payload.length() + 2), topic, payload).toString();
    }

    /** The topic of a received frame (delimiter already removed): everything before the first space. */
    static String topic(String frame) {
        int space = frame.indexOf(' ');
        return space < 0 ? frame : frame.substring(0, space);
    }

    /** The payload of a received frame: everything after the first space ("" when none). */
    static String payload(String frame) {
        int space = frame.indexOf(' ');
        return space < 0 ? "" : frame.substring(space + 1);
    }

    /** The answer to a login frame: accepted, or refused with the platform's code and message. */
    record AuthReply(boolean success, String detail) {
    }

    /**
     * Reads an {@code /auth/reply} frame; {@code null} when the frame is something else or has no
     * {@code "success"} field.
     */
    static AuthReply authReply(String frame) {
        if (!topic(frame).equals(AUTH_REPLY_TOPIC)) {
            return null;
        }
        String body = payload(frame);
        Matcher s = SUCCESS.matcher(body);
        if (!s.find()) {
            return null;
        }
        boolean ok = s.group(1).equals("true");
        if (ok) {
            return new AuthReply(true, "");
        }
        Matcher code = CODE.matcher(body);
        Matcher message = MESSAGE.matcher(body);
        String detail = (code.find() ? code.group(1) : "refused") + (message.find() ? ": " + message.group(1) : "");
        return new AuthReply(false, detail);
    }

    /** Whether a received frame is an {@code /error} answer for this device ({@code /{product}/{device}/error}). */
    static boolean isError(String frame, String product, String deviceId) {
        return topic(frame).equals("/" + product + "/" + deviceId + "/error");
    }

    /** The {@code code} of an {@code /error} frame (for grouping failure reasons), or "?" when absent. */
    static String errorCode(String frame) {
        Matcher code = CODE.matcher(payload(frame));
        return code.find() ? code.group(1) : "?";
    }
}
