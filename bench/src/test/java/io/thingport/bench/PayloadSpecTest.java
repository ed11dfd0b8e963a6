package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PayloadSpecTest {
    @Test
    void defaultSpecProducesTheReportShape() throws Exception {
        PayloadSpec spec = PayloadSpec.parse(PayloadSpec.DEFAULT);
        Pattern p = Pattern.compile(
                "\\{\"messageId\":\"m-1\",\"properties\":\\{\"temp\":(-?[0-9.]+),\"hum\":(-?[0-9]+)}}");
        for (int i = 0; i < 1000; i++) {
            String json = spec.report("m-1", 1);
            Matcher m = p.matcher(json);
            assertTrue(m.matches(), json);
            double temp = Double.parseDouble(m.group(1));
            int hum = Integer.parseInt(m.group(2));
            assertTrue(temp >= 0 && temp <= 50, json);
            assertTrue(hum >= 0 && hum <= 100, json);
        }
    }

    @Test
    void otherTypes() throws Exception {
        PayloadSpec spec = PayloadSpec.parse("on:bool, fw:string:1.2:3 ,n:int:5:5");
        String json = spec.report("x\"y", 1);
        assertTrue(json.matches("\\{\"messageId\":\"x\\\\\"y\",\"properties\":\\{\"on\":(true|false),"
                + "\"fw\":\"1.2:3\",\"n\":5}}"), json);
    }

    @Test
    void seqIsTheReportNumber() throws Exception {
        PayloadSpec spec = PayloadSpec.parse("temp:double:20:20,seq:seq");
        assertTrue(spec.hasSeq());
        assertEquals("{\"messageId\":\"r-812\",\"properties\":{\"temp\":20.0,\"seq\":812}}", spec.report("r-812", 812));
        assertFalse(PayloadSpec.parse(PayloadSpec.DEFAULT).hasSeq());
        assertThrows(UsageException.class, () -> PayloadSpec.parse("seq:seq:1"));
    }

    @Test
    void rejectsBadSpecs() {
        assertThrows(UsageException.class, () -> PayloadSpec.parse("temp:double:0"));
        assertThrows(UsageException.class, () -> PayloadSpec.parse("temp:float:0:1"));
        assertThrows(UsageException.class, () -> PayloadSpec.parse("temp:int:9:1"));
        assertThrows(UsageException.class, () -> PayloadSpec.parse(""));
        assertEquals("\"a\\\\b\"", PayloadSpec.quote("a\\b"));
    }

    /** Verifies that the thing model compare.sh creates the product with accepts every property the spec sends. */
    @Test
    void thingModelDeclaresEveryPropertyWithItsRange() throws Exception {
        PayloadSpec spec = PayloadSpec.parse("temp:double:0.005:49.999,hum:int:0:100,big:int:0:5000000000,on:bool,"
                + "fw:string:1.2,seq:seq");

        Object model = Json.parse(spec.thingModel());

        assertEquals(Json.parse("{\"properties\":["
                + "{\"id\":\"temp\",\"type\":{\"type\":\"double\",\"min\":0.0,\"max\":50.0}},"
                + "{\"id\":\"hum\",\"type\":{\"type\":\"int\",\"min\":0,\"max\":100}},"
                + "{\"id\":\"big\",\"type\":{\"type\":\"long\",\"min\":0,\"max\":5000000000}},"
                + "{\"id\":\"on\",\"type\":\"bool\"},"
                + "{\"id\":\"fw\",\"type\":\"string\"},"
                + "{\"id\":\"seq\",\"type\":\"long\"}]}"), model);
    }
}
