package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadConfigTest {
    private static LoadConfig parse(String... extra) throws UsageException {
        String[] base = {"--devices", "d.csv", "--product", "p"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return LoadConfig.parse(all);
    }

    @Test
    void transportDefaultsToMqttOnItsPort() throws Exception {
        LoadConfig c = parse();
        assertEquals(LoadConfig.Transport.MQTT, c.transport);
        assertEquals(1883, c.port);
    }

    @Test
    void coapHasItsDefaultPort() throws Exception {
        LoadConfig c = parse("--transport", "coap");
        assertEquals(LoadConfig.Transport.COAP, c.transport);
        assertEquals(5683, c.port);
        assertEquals(5690, parse("--transport=CoAP", "--port", "5690").port);
    }

    @Test
    void tcpNeedsAPort() throws Exception {
        UsageException e = assertThrows(UsageException.class, () -> parse("--transport", "tcp"));
        assertTrue(e.getMessage().contains("--port is required"), e.getMessage());
        LoadConfig c = parse("--transport", "tcp", "--port", "9100", "--rate", "2000", "--samples", "3");
        assertEquals(LoadConfig.Transport.TCP, c.transport);
        assertEquals(9100, c.port);
        assertEquals(2000, c.rate);
        assertEquals(3, c.samples);
    }

    @Test
    void rejectsUnknownTransportsAndBadValues() {
        UsageException e = assertThrows(UsageException.class, () -> parse("--transport", "udp"));
        assertTrue(e.getMessage().contains("mqtt, tcp or coap"), e.getMessage());
        assertThrows(UsageException.class, () -> parse("--transport"));
        assertThrows(UsageException.class, () -> parse("--samples", "-1"));
        assertThrows(UsageException.class, () -> parse("--port", "0"));
    }

    @Test
    void samplesAreSpreadOverTheDevices() {
        Integer[] ids = new Integer[1000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        assertEquals(List.of(0, 249, 499, 749, 999), LoadRun.pickSamples(ids, 5));
        assertEquals(List.of(0), LoadRun.pickSamples(ids, 1));
        assertEquals(List.of(), LoadRun.pickSamples(ids, 0));
        assertEquals(List.of(0, 1), LoadRun.pickSamples(new Integer[] {0, 1}, 5));
    }
}
