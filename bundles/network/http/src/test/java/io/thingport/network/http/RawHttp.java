package io.thingport.network.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A plain socket speaking HTTP/1.1 by hand: pipelining, garbage, half-written requests. */
final class RawHttp implements AutoCloseable {
    record Response(int status, Map<String, String> headers, String body) {
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static String post(String path, String clientId, String password, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Client-Id: " + clientId + "\r\nX-Username: " + clientId
                + "|1\r\nX-Password: " + password + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** A POST that presents a session token instead of credentials. */
    static String postWithToken(String path, String token, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Session-Token: " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n" + body;
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response with a Content-Length body. */
    Response read() throws IOException {
        return parse(readRaw());
    }

    /** Reads one response with a Content-Length body, as the bytes the server sent (ISO-8859-1 text). */
    String readRaw() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] tail = new byte[4];
        while (!(tail[0] == '\r' && tail[1] == '\n' && tail[2] == '\r' && tail[3] == '\n')) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes: " + head);
            }
            head.write(b);
            System.arraycopy(tail, 1, tail, 0, 3);
            tail[3] = (byte) b;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = Integer.parseInt(headers(text).getOrDefault("content-length", "0"));
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> headers(String head) {
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static Response parse(String raw) {
        int end = raw.indexOf("\r\n\r\n") + 4;
        String head = raw.substring(0, end);
        int status = Integer.parseInt(head.split("\r\n")[0].split(" ")[1]);
        String body = new String(raw.substring(end).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return new Response(status, headers(head), body);
    }

    /** Whether the server closed the connection (end of stream or reset) before sending anything more. */
    boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
