package io.thingport.protocol.gizwits;

import io.thingport.api.device.DataFormat;
import io.thingport.api.device.Product;
import io.thingport.api.model.Access;
import io.thingport.api.model.DataType;
import io.thingport.api.model.PropertyKind;
import io.thingport.api.model.PropertySpec;
import io.thingport.api.model.ThingModel;
import io.thingport.api.protocol.CodecException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The thing models of the tests, and hex helpers. */
final class TestModels {
    private TestModels() {
    }

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
    }

    static PropertySpec rw(String id, DataType type) {
        return new PropertySpec(id, null, type, Access.READ_WRITE, PropertyKind.STATUS, null);
    }

    static PropertySpec ro(String id, DataType type) {
        return new PropertySpec(id, null, type, Access.READ_ONLY, PropertyKind.STATUS, null);
    }

    static PropertySpec alarm(String id) {
        return new PropertySpec(id, null, DataType.of(DataType.Kind.BOOL), Access.READ_ONLY, PropertyKind.ALARM, null);
    }

    static PropertySpec fault(String id) {
        return new PropertySpec(id, null, DataType.of(DataType.Kind.BOOL), Access.READ_ONLY, PropertyKind.FAULT, null);
    }

    static DataType enumOf(String... keys) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String k : keys) {
            values.put(k, k.substring(0, 1).toUpperCase() + k.substring(1));
        }
        return DataType.enumOf(values);
    }

    static DataType binary(int length) {
        return new DataType(DataType.Kind.BINARY, null, null, null, null, null, length, null, null);
    }

    static ThingModel model(PropertySpec... properties) {
        return new ThingModel(List.of(properties), List.of(), List.of());
    }

    /**
     * Every type: index, id, kind, type, area. Fixed report (16 bytes): 0 action; 1 writable bits (power bit 0, mode
     * bits 1-2, speed bits 3-5); 2-3 target; 4 brightness; 5-7 config; 8 read-only bits (online bit 0, filter bits
     * 1-2); 9-12 energy; 13 offset; 14 alert bits (overheat); 15 fault bits (sensorFault).
     */
    static ThingModel aircon() {
        return model(
                rw("power", DataType.of(DataType.Kind.BOOL)),                              // 0 bool, 1 bit
                rw("mode", enumOf("auto", "cool", "heat")),                                // 1 enum, 2 bits
                rw("speed", enumOf("off", "low", "mid", "high", "turbo")),                // 2 enum, 3 bits
                rw("target", DataType.number(DataType.Kind.FLOAT, -30, 50, 0.1, "°C")),   // 3 uint16, raw 0..800
                rw("brightness", DataType.number(DataType.Kind.INT, 0, 100, null, "%")),  // 4 uint8, raw 0..100
                rw("config", binary(3)),                                                   // 5 binary, 3 bytes
                ro("online", DataType.of(DataType.Kind.BOOL)),                            // 6 bool
                ro("energy", DataType.number(DataType.Kind.LONG, 0, 1000000, 1, "Wh")),   // 7 uint32, raw 0..1000000
                ro("offset", DataType.number(DataType.Kind.INT, -100, 100, 1, null)),     // 8 uint8, raw 0..200
                ro("filter", enumOf("ok", "dirty", "replace")),                           // 9 enum, 2 bits
                alarm("overheat"),                                                         // 10 alert
                fault("sensorFault"));                                                     // 11 fault
    }

    /** Nine writable bools (attr_flags and the writable bits span 2 bytes), a full uint32 and an alert. */
    static ThingModel switches() {
        return model(
                rw("s0", DataType.of(DataType.Kind.BOOL)), rw("s1", DataType.of(DataType.Kind.BOOL)),
                rw("s2", DataType.of(DataType.Kind.BOOL)), rw("s3", DataType.of(DataType.Kind.BOOL)),
                rw("s4", DataType.of(DataType.Kind.BOOL)), rw("s5", DataType.of(DataType.Kind.BOOL)),
                rw("s6", DataType.of(DataType.Kind.BOOL)), rw("s7", DataType.of(DataType.Kind.BOOL)),
                rw("s8", DataType.of(DataType.Kind.BOOL)),
                ro("counter", DataType.number(DataType.Kind.LONG, 0, 4294967295L, 1, null)),
                alarm("a0"));
    }

    static Product product(String id, ThingModel model, DataFormat format) {
        return new Product(id, "Test product " + id, "", "productSecret", false, model, null, format, Instant.EPOCH);
    }

    static Product fixedAircon() {
        return product("aircon-1", aircon(), DataFormat.FIXED);
    }

    static Product variableAircon() {
        return product("aircon-v", aircon(), DataFormat.VARIABLE);
    }

    /** The CodecException {@code call} throws (anything else, or nothing, fails the test). */
    static CodecException catchCodec(ThrowingCallable call) {
        try {
            call.call();
        } catch (CodecException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError("expected a CodecException, got " + t, t);
        }
        throw new AssertionError("expected a CodecException");
    }
}
