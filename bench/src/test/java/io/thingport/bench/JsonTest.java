package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    /** Verifies that the generator's --json line is read with its nested latency figures. */
    @Test
    void readsTheGeneratorLine() {
        String line = "{\"tool\":\"thingport-bench\",\"transport\":\"mqtt\",\"devices\":200,\"targetRate\":2000.000,"
                + "\"ackedRate\":1505.431,\"latencyMs\":{\"p50\":1269.759,\"p99\":2072.575},\"ok\":true,\"x\":null,"
                + "\"list\":[1,-2.5e3,\"a\"]}";

        Map<String, Object> m = Json.parseObject(line);

        assertEquals("thingport-bench", Json.string(m, "tool"));
        assertEquals(200.0, Json.number(m, "devices"));
        assertEquals(1505.431, Json.number(m, "ackedRate"));
        assertEquals(2072.575, Json.number(m, "latencyMs", "p99"));
        assertEquals(Boolean.TRUE, Json.at(m, "ok"));
        assertNull(Json.at(m, "x"));
        assertEquals(List.of(1.0, -2500.0, "a"), Json.at(m, "list"));
        assertTrue(Double.isNaN(Json.number(m, "latencyMs", "p999")));
        assertTrue(Double.isNaN(Json.number(m, "tool")));
        assertNull(Json.at(m, "ackedRate", "deeper"));
    }

    /** Verifies that escapes are decoded and written back. */
    @Test
    void stringsRoundTrip() {
        String text = "a\"b\\c\n\t\u00e9\u0001/";
        String json = Json.write(Map.of("k", text));

        assertEquals(text, Json.string(Json.parseObject(json), "k"));
        assertEquals("x/y\u00e9", Json.parse("\"x\\/y\\u00e9\""));
    }

    /** Verifies the writer: whole numbers without decimals, others with three, NaN as null, order kept. */
    @Test
    void writesCompactJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", 3.0);
        m.put("r", 0.12345);
        m.put("nan", Double.NaN);
        m.put("l", 7L);
        m.put("b", false);
        m.put("list", Arrays.asList("s", null));
        m.put("o", Map.of("a", 1));

        assertEquals("{\"n\":3,\"r\":0.123,\"nan\":null,\"l\":7,\"b\":false,\"list\":[\"s\",null],\"o\":{\"a\":1}}",
                Json.write(m));
    }

    /** Verifies that malformed text is refused with where it went wrong. */
    @Test
    void refusesMalformedText() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{a:1}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,,2]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\x\""));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\u12\""));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("1.2.3"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("tru"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
        assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1]"));
        assertTrue(e.getMessage().contains("character 7: expected ',' or '}'"), e.getMessage());
    }
}
