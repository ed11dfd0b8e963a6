package io.thingport.core.internal.rules;

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

/** A web service on a free loopback port that records every request and answers with {@link #status} (after {@link #delayMs}). */
final class HttpReceiver implements AutoCloseable {
    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile long delayMs;
    private final HttpServer server;

    HttpReceiver() throws IOException {
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

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
