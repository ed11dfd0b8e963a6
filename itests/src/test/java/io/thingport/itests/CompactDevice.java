package io.thingport.itests;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A device speaking the example "compact" binary protocol (examples/protocol-compact) over TCP with a 2-byte length
 * prefix: LOGIN (0x01) with an HMAC-SHA256 signature, then REPORT (0x02) frames.
 */
final class CompactDevice implements AutoCloseable {
    final Socket socket;
    final int loginStatus;
    /** The timestamp its LOGIN frame carried (signed): the same login again is a replay. */
    final long loginTimestamp;
    private final DataOutputStream out;
    private final DataInputStream in;

    private CompactDevice(Socket socket, String deviceId, String secret, long ts) throws Exception {
        this.socket = socket;
        this.out = new DataOutputStream(socket.getOutputStream());
        this.in = new DataInputStream(socket.getInputStream());
        this.loginTimestamp = ts;
        byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] sig = mac.doFinal((deviceId + "|" + ts).getBytes(StandardCharsets.UTF_8));
        ByteBuffer login = ByteBuffer.allocate(1 + 1 + id.length + 8 + 32);
        login.put((byte) 0x01).put((byte) id.length).put(id).putLong(ts).put(sig);
        send(login.array());
        byte[] reply = read();
        if (reply.length != 2 || reply[0] != (byte) 0x81) {
            throw new IOException("unexpected login reply " + HexFormat.of().formatHex(reply));
        }
        this.loginStatus = reply[1];
    }

    static CompactDevice connect(int port, String deviceId, String secret) throws Exception {
        return connect(port, deviceId, secret, System.currentTimeMillis());
    }

    /** Connects with a LOGIN frame signed for {@code ts} (epoch ms). */
    static CompactDevice connect(int port, String deviceId, String secret, long ts) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(15_000);
        return new CompactDevice(socket, deviceId, secret, ts);
    }

    /** REPORT seq with temp (float64) and seq (int64). */
    void report(long seq, double temp) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put((byte) 0x02).putInt((int) seq).put((byte) 2);
        b.put((byte) 4).put("temp".getBytes(StandardCharsets.US_ASCII)).put((byte) 5).putDouble(temp);
        b.put((byte) 3).put("seq".getBytes(StandardCharsets.US_ASCII)).put((byte) 3).putLong(seq);
        byte[] frame = new byte[b.position()];
        b.flip().get(frame);
        send(frame);
    }

    void send(byte[] frame) throws IOException {
        synchronized (out) {
            out.writeShort(frame.length);
            out.write(frame);
            out.flush();
        }
    }

    byte[] read() throws IOException {
        int len = in.readUnsignedShort();
        byte[] frame = new byte[len];
        in.readFully(frame);
        return frame;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
