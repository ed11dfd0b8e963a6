package io.thingport.network.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A raw TCP (or TLS) client with TCP_NODELAY: writes exactly the bytes it is given, each {@link #write} call flushed
 * as its own segment, and collects everything the server sends on a reader thread.
 */
final class TestClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private volatile boolean closed;
    private volatile IOException failure;

    private TestClient(Socket socket) throws IOException {
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
                failure = e;
            } finally {
                closed = true;
            }
        }, "test-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static TestClient connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new TestClient(s);
    }

    /** A TLS client; the handshake runs when {@code handshake} is true (else on first use). */
    static TestClient connectTls(int port, SSLContext context, boolean handshake) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        if (handshake) {
            s.startHandshake();
        }
        return new TestClient(s);
    }

    TestClient write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    TestClient write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Writes the parts as separate segments, with a short pause between them so the server reads them apart. */
    TestClient writeParts(byte[]... parts) throws IOException, InterruptedException {
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                Thread.sleep(60);
            }
            write(parts[i]);
        }
        return this;
    }

    TestClient writeParts(String... parts) throws IOException, InterruptedException {
        byte[][] bytes = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return writeParts(bytes);
    }

    byte[] bytes() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    boolean received(byte[] expected) {
        return Arrays.equals(bytes(), expected);
    }

    /** Whether the server closed the connection (EOF or reset). */
    boolean isClosed() {
        return closed;
    }

    IOException failure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
