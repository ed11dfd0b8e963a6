package io.thingport.itests.docs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A private network namespace with only a loopback interface, so that the documented ports (1883, 9000, ...) are
 * free whatever else runs on the machine (another Thingport, a broker on 1883). It lives as long as a holder
 * process; commands enter it with {@code nsenter}. Where the kernel or the sandbox does not allow one (creating it
 * needs root or user namespaces), the run uses the machine's own network and the documented ports must be free.
 */
final class NetworkNamespace implements AutoCloseable {
    private final Process holder;
    private final String refusal;

    private NetworkNamespace(Process holder, String refusal) {
        this.holder = holder;
        this.refusal = refusal;
    }

    static NetworkNamespace create() throws InterruptedException {
        try {
            Process holder = new ProcessBuilder("unshare", "--net", "sh", "-c", "ip link set lo up && echo up && exec sleep 86400")
                    .redirectErrorStream(true).start();
            BufferedReader reader = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.readLine();
                } catch (Exception e) {
                    return null;
                }
            }).completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
            if ("up".equals(first) && holder.isAlive()) {
                return new NetworkNamespace(holder, null);
            }
            Processes.kill(holder);
            return new NetworkNamespace(null, "unshare --net: " + first);
        } catch (IOException e) {
            return new NetworkNamespace(null, "unshare --net: " + e.getMessage());
        }
    }

    /** The words that run a command inside the namespace (none when there is none). */
    List<String> prefix() {
        return holder == null ? List.of() : List.of("nsenter", "--target", Long.toString(holder.pid()), "--net", "--");
    }

    /** Why there is no namespace, or {@code null}. */
    String refusal() {
        return refusal;
    }

    @Override
    public void close() throws InterruptedException {
        if (holder != null) {
            Processes.kill(holder);
        }
    }
}
