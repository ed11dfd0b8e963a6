package io.thingport.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test device speaking the official protocol over TCP with newline-delimited frames: {@code /auth {...}} first,
 * then {@code <topic> <payload>} lines, exactly what {@code nc} would send.
 */
final class FrameDevice implements AutoCloseable {
    private static final AtomicLong LAST = new AtomicLong();

    final Socket socket;
    final String productId;
    final String deviceId;
    final String loginReply;
    private final BufferedReader in;
    private final OutputStream out;

    private FrameDevice(Socket socket, String productId, String deviceId) throws IOException {
        this.socket = socket;
        this.productId = productId;
        this.deviceId = deviceId;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
        String[] login = login(deviceId, DeviceSecrets.get(deviceId));
        send(login[0]);
        this.loginReply = readLine();
    }

    /** A fresh signed login frame for the device: {@code [frame, username]}. Timestamps strictly increase. */
    static String[] login(String deviceId, String secret) {
        long ts = LAST.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
        String username = deviceId + "|" + ts;
        return new String[] {"/auth {\"clientId\":\"" + deviceId + "\",\"username\":\"" + username + "\",\"password\":\""
                + DeviceClient.hmac(secret, username) + "\"}", username};
    }

    /** A signed user name and password for transports with a handshake (HTTP headers, CoAP options). */
    static String[] credentials(String deviceId, String secret) {
        long ts = LAST.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
        String username = deviceId + "|" + ts;
        return new String[] {username, DeviceClient.hmac(secret, username)};
    }

    static FrameDevice connect(int port, String productId, String deviceId) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(15_000);
        return new FrameDevice(socket, productId, deviceId);
    }

    void send(String frame) throws IOException {
        out.write((frame + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void publish(String suffix, String json) throws IOException {
        send("/" + productId + "/" + deviceId + "/" + suffix + " " + json);
    }

    /** The next frame, or {@code null} when the platform closed the connection. */
    String readLine() throws IOException {
        return in.readLine();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
