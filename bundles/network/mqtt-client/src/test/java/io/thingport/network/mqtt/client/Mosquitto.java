package io.thingport.network.mqtt.client;

import static org.awaitility.Awaitility.await;

import io.thingport.network.testkit.FreePorts;
import io.thingport.network.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real mosquitto broker (Debian's {@code /usr/sbin/mosquitto}) started by a test: a plain listener on
 * 127.0.0.1, anonymous access, no persistence; optionally a second TLS listener with the {@link TestPki} server
 * certificate that requires a client certificate issued by the test CA. {@link #stop()} and {@link #start()} can be
 * called again to restart it on the same ports.
 */
final class Mosquitto implements AutoCloseable {
    private static final String BINARY = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";

    final int port;
    final int tlsPort;
    private final Path dir;
    private Process process;

    private Mosquitto(int port, boolean tls) {
        this.port = port;
        this.tlsPort = tls ? FreePorts.one() : -1;
        try {
            dir = Files.createTempDirectory("thingport-mosquitto");
            StringBuilder conf = new StringBuilder();
            if (System.getProperty("user.name").equals("root")) {
                conf.append("user root\n"); // otherwise mosquitto switches to the mosquitto user and cannot read our files
            }
            conf.append("persistence false\n")
                    .append("log_dest file ").append(dir.resolve("mosquitto.log")).append('\n')
                    .append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n")
                    .append("allow_anonymous true\n")
                    .append("listener ").append(port).append(" 127.0.0.1\n");
            if (tls) {
                TestPki pki = TestPki.get();
                conf.append("listener ").append(tlsPort).append(" 127.0.0.1\n")
                        .append("cafile ").append(pki.file("ca.crt")).append('\n')
                        .append("certfile ").append(pki.file("server.crt")).append('\n')
                        .append("keyfile ").append(pki.file("server.key")).append('\n')
                        .append("require_certificate true\n");
            }
            Files.writeString(dir.resolve("mosquitto.conf"), conf.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a broker on a free port (plus a TLS port when {@code tls}). */
    static Mosquitto start(boolean tls) {
        return onPort(FreePorts.one(), tls);
    }

    /** Starts a broker on {@code port}. */
    static Mosquitto onPort(int port, boolean tls) {
        Mosquitto m = new Mosquitto(port, tls);
        m.start();
        return m;
    }

    void start() {
        try {
            process = new ProcessBuilder(BINARY, "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("the tests need mosquitto (apt-get install mosquitto)", e);
        }
        await().atMost(15, TimeUnit.SECONDS).pollInterval(50, TimeUnit.MILLISECONDS).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ": " + output());
            }
            return accepts(port) && (tlsPort < 0 || accepts(tlsPort));
        });
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the broker (SIGTERM) and waits for it to exit. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** What mosquitto printed and logged, for assertion messages. */
    String output() {
        StringBuilder out = new StringBuilder();
        for (String name : new String[] {"mosquitto.out", "mosquitto.log"}) {
            try {
                Path p = dir.resolve(name);
                if (Files.exists(p)) {
                    out.append(Files.readString(p));
                }
            } catch (IOException e) {
                out.append(e);
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        stop();
    }
}
