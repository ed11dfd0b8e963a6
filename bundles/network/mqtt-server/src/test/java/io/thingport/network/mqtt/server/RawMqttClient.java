package io.thingport.network.mqtt.server;

import io.thingport.api.network.NetworkComponent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP client that writes exactly the MQTT bytes it is given and collects what the server sends until EOF, for tests
 * that need what a library client does not send (a bare fixed header, no PINGREQ), with the packets they write.
 */
final class RawMqttClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private volatile boolean closed;

    private RawMqttClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (received) {
                        received.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // a reset counts as closed
            } finally {
                closed = true;
            }
        }, "mqtt-raw-client");
        reader.setDaemon(true);
        reader.start();
    }

    static RawMqttClient connect(NetworkComponent server) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.boundAddress().getPort()), 5000);
        return new RawMqttClient(s);
    }

    RawMqttClient write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    byte[] bytes() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** Whether the server closed the connection (EOF or reset). */
    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ------------------------------------------------------------------ packets

    /** CONNECT of client {@code d1} (user name {@code d1|1}, password {@code good}, clean session). */
    static byte[] connectPacket(int protocolLevel, int keepAliveSeconds) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(string("MQTT"));
        body.write(protocolLevel);
        body.write(0xC2); // user name, password, clean session
        body.writeBytes(new byte[] {(byte) (keepAliveSeconds >> 8), (byte) keepAliveSeconds});
        if (protocolLevel == 5) {
            body.write(0); // no properties
        }
        body.writeBytes(string("d1"));
        body.writeBytes(string("d1|1"));
        body.writeBytes(string("good"));
        return packet(0x10, body.toByteArray());
    }

    /** A QoS 1 PUBLISH (MQTT 3.1.1) of {@code payload} to {@code topic} with packet id {@code packetId}. */
    static byte[] publishQos1(String topic, int packetId, String payload) {
        return packet(0x32, concat(string(topic), new byte[] {(byte) (packetId >> 8), (byte) packetId},
                payload.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] packet(int type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] {(byte) (utf8.length >> 8), (byte) utf8.length}, utf8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
