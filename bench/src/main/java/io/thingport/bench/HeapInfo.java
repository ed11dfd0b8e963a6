package io.thingport.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the used Java heap from the output of {@code jcmd <pid> GC.heap_info}. G1 prints one line
 * ({@code garbage-first heap   total 262144K, used 68304K [...]}), the parallel and serial collectors one line per
 * generation, ZGC {@code used 50M}, Shenandoah {@code 20480K used}; every such figure before the Metaspace lines is
 * heap and is summed.
 */
final class HeapInfo {
    private static final Pattern USED = Pattern.compile("\\bused (\\d+)([KMG])\\b|\\b(\\d+)([KMG]) used\\b");

    private HeapInfo() {
    }

    /** Used heap in bytes; refuses output without a heap line (e.g. jcmd's "could not attach" error). */
    static long usedBytes(String heapInfo) {
        long total = 0;
        boolean found = false;
        for (String line : heapInfo.split("\\R")) {
            String t = line.strip();
            if (t.startsWith("Metaspace") || t.startsWith("class space")) {
                break;
            }
            // the eden/from/to/object space lines say "20% used": no size, not matched
            Matcher m = USED.matcher(t);
            if (m.find()) {
                int g = m.group(1) != null ? 1 : 3;
                long n = Long.parseLong(m.group(g));
                long unit = switch (m.group(g + 1)) {
                    case "K" -> 1024L;
                    case "M" -> 1024L * 1024;
                    default -> 1024L * 1024 * 1024;
                };
                total += n * unit;
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no 'used' figure of the heap in the GC.heap_info output: "
                    + heapInfo.strip().lines().findFirst().orElse("(empty)"));
        }
        return total;
    }
}
