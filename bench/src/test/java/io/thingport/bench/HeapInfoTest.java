package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The outputs are those of 'jcmd <pid> GC.heap_info' of Java 17 with each collector. */
class HeapInfoTest {
    /** Verifies G1 (the platform's collector): the one heap line. */
    @Test
    void g1() {
        String out = """
                3973:
                 garbage-first heap   total 262144K, used 68304K [0x00000000c0000000, 0x0000000100000000)
                  region size 1024K, 1 young (1024K), 0 survivors (0K)
                 Metaspace       used 94853K, committed 98560K, reserved 1179648K
                  class space    used 11325K, committed 12416K, reserved 1048576K
                """;

        assertEquals(68_304L * 1024, HeapInfo.usedBytes(out));
    }

    /** Verifies the parallel collector: young plus old generation, not the spaces' percentages, not Metaspace. */
    @Test
    void parallel() {
        String out = """
                12010:
                 PSYoungGen      total 113152K, used 19456K [0x0000000782700000, 0x000000078a500000, 0x0000000800000000)
                  eden space 97280K, 20% used [0x0000000782700000,0x0000000783a00220,0x0000000788600000)
                  from space 15872K, 0% used [0x0000000789580000,0x0000000789580000,0x000000078a500000)
                  to   space 15872K, 0% used [0x0000000788600000,0x0000000788600000,0x0000000789580000)
                 ParOldGen       total 258048K, used 1000K [0x0000000687400000, 0x0000000697000000, 0x0000000782700000)
                  object space 258048K, 0% used [0x0000000687400000,0x0000000687400000,0x0000000697000000)
                 Metaspace       used 8832K, committed 9024K, reserved 1114112K
                  class space    used 1062K, committed 1152K, reserved 1048576K
                """;

        assertEquals((19_456L + 1_000) * 1024, HeapInfo.usedBytes(out));
    }

    /** Verifies the serial collector's generations. */
    @Test
    void serial() {
        String out = """
                 def new generation   total 116160K, used 20659K [0x0000000687400000, 0x000000068f200000, 0x0000000704d50000)
                  eden space 103296K,  20% used [0x0000000687400000, 0x000000068882cf48, 0x000000068d8e0000)
                 tenured generation   total 258048K, used 2K [0x0000000704d50000, 0x0000000714950000, 0x0000000800000000)
                   the space 258048K,   0% used [0x0000000704d50000, 0x0000000704d50000, 0x0000000704d50200, 0x0000000714950000)
                 Metaspace       used 8881K, committed 9088K, reserved 1114112K
                """;

        assertEquals((20_659L + 2) * 1024, HeapInfo.usedBytes(out));
    }

    /** Verifies ZGC (megabytes) and Shenandoah (size before "used"). */
    @Test
    void zgcAndShenandoah() {
        assertEquals(50L * 1024 * 1024, HeapInfo.usedBytes(" ZHeap           used 50M, capacity 378M, max capacity 6028M\n"
                + " Metaspace       used 8980K, committed 9152K, reserved 1114112K\n"));
        assertEquals(20_480L * 1024, HeapInfo.usedBytes("Shenandoah Heap\n 6028M max, 6028M soft max, 378M committed, 20480K used\n"
                + " 3014 x 2048K regions\n Metaspace       used 8821K, committed 9024K, reserved 1114112K\n"));
    }

    /** Verifies that an output without a heap figure (jcmd could not attach, Metaspace only) is refused. */
    @Test
    void refusesOutputWithoutTheHeap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeapInfo.usedBytes("4242:\ncom.sun.tools.attach.AttachNotSupportedException: Unable to open socket file\n"));
        assertTrue(e.getMessage().contains("4242:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HeapInfo.usedBytes(" Metaspace       used 94853K, committed 98560K\n"));
        assertThrows(IllegalArgumentException.class, () -> HeapInfo.usedBytes(""));
    }
}
