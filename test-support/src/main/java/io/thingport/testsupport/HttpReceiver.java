package io.thingport.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A web service on a free loopback port, the peer of webhook tests: it answers every request with {@link #status} (after
 * {@link #delayMs}) and records those it answers with a 2xx status (so a test counts what was accepted, not the attempts).
 */
public final class HttpReceiver implements AutoCloseable {
    /** One accepted request. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        /** The first value of a header, its name in any case; null when absent. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public volatile int status = 200;
    public volatile long delayMs;
    private final HttpServer server;

    public HttpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (delayMs > 0) {
                    Thread.sleep(delayMs);
                }
                int answer = status;
                if (answer / 100 == 2) {
                    requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                            Map.copyOf(exchange.getRequestHeaders()), body));
                }
                exchange.sendResponseHeaders(answer, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
