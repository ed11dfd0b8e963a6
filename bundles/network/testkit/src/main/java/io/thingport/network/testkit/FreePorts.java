package io.thingport.network.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for test servers, chosen below the kernel's ephemeral range.
 * <p>
 * A port the kernel hands out for {@code bind(0)} comes from the same range as the local ports of outgoing
 * connections (TCP and UDP): between choosing it and listening on it, a client connection (a JDBC pool, a broker client) may take
 * it, and the listen fails with "Address already in use". Ports below {@code ip_local_port_range} are never taken
 * that way. Each port is handed out once per JVM, and is free (bindable) when handed out.
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** One free loopback port. */
    public static int one() {
        return take(1)[0];
    }

    /** {@code n} distinct free loopback ports. */
    public static int[] take(int n) {
        int ephemeralLow = ephemeralLow();
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) {
            ports[i] = ephemeralLow - LOWEST < 1_000 ? fromKernel() : below(ephemeralLow);
        }
        return ports;
    }

    private static int below(int ephemeralLow) {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralLow);
            if (GIVEN.add(port)) {
                if (bindable(port)) {
                    return port;
                }
            }
        }
        throw new IllegalStateException("no free loopback port between " + LOWEST + " and " + ephemeralLow + " after 1000 attempts");
    }

    private static int fromKernel() {
        List<ServerSocket> held = new ArrayList<>();
        try {
            while (true) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s); // held until a new one turns up, so the kernel does not offer it again
                if (GIVEN.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // only probed
                }
            }
        }
    }

    private static boolean bindable(int port) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket tcp = new ServerSocket(port, 1, loopback); DatagramSocket udp = new DatagramSocket(port, loopback)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The lowest ephemeral port (Linux's {@code ip_local_port_range}); 32768 where it cannot be read. */
    static int ephemeralLow() {
        // Files.readString trusts the size /proc reports for the file, and reads only its first bytes
        try (BufferedReader in = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            String[] range = in.readLine().trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
