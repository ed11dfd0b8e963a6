package io.thingport.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of another process on Linux, from {@code /proc/<pid>/stat}: user + system time of all its threads, in clock
 * ticks ({@code getconf CLK_TCK}, 100 on Linux), so with a resolution of 10 ms.
 */
final class ProcCpu {
    private final Path stat;
    private final int ticksPerSecond;

    ProcCpu(long pid, int ticksPerSecond) {
        this.stat = Path.of("/proc", Long.toString(pid), "stat");
        this.ticksPerSecond = ticksPerSecond;
    }

    /** CPU seconds the process has used so far. */
    double seconds() throws IOException {
        return ticks(Files.readString(stat, StandardCharsets.US_ASCII)) / (double) ticksPerSecond;
    }

    /** utime + stime of a {@code /proc/<pid>/stat} line (fields 14 and 15; the command in parentheses may hold spaces). */
    static long ticks(String statLine) {
        String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state): utime is field 14, stime field 15
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
