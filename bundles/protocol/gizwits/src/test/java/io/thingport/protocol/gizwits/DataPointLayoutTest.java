package io.thingport.protocol.gizwits;

import static io.thingport.protocol.gizwits.TestModels.binary;
import static io.thingport.protocol.gizwits.TestModels.enumOf;
import static io.thingport.protocol.gizwits.TestModels.model;
import static io.thingport.protocol.gizwits.TestModels.ro;
import static io.thingport.protocol.gizwits.TestModels.rw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.model.Access;
import io.thingport.api.model.DataType;
import io.thingport.api.model.Field;
import io.thingport.api.model.PropertyKind;
import io.thingport.api.model.PropertySpec;
import io.thingport.api.model.ThingModel;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataPointLayoutTest {
    private final GizwitsBinaryCodec codec = new GizwitsBinaryCodec();

    @Test
    void laysOutEveryTypeInItsArea() {
        // Verifies the type mapping, the areas and the offsets of the fixed report (see TestModels.aircon).
        DataPointLayout l = DataPointLayout.of(TestModels.aircon());
        assertThat(l.pointCount()).isEqualTo(12);
        assertThat(l.points()).extracting(DataPoint::type).containsExactly(DataPointType.BOOL, DataPointType.ENUM,
                DataPointType.ENUM, DataPointType.UINT16, DataPointType.UINT8, DataPointType.BINARY, DataPointType.BOOL,
                DataPointType.UINT32, DataPointType.UINT8, DataPointType.ENUM, DataPointType.BOOL, DataPointType.BOOL);
        assertThat(l.points()).extracting(DataPoint::kind).containsExactly(DataPointKind.STATUS_WRITABLE,
                DataPointKind.STATUS_WRITABLE, DataPointKind.STATUS_WRITABLE, DataPointKind.STATUS_WRITABLE,
                DataPointKind.STATUS_WRITABLE, DataPointKind.STATUS_WRITABLE, DataPointKind.STATUS_READONLY,
                DataPointKind.STATUS_READONLY, DataPointKind.STATUS_READONLY, DataPointKind.STATUS_READONLY,
                DataPointKind.ALERT, DataPointKind.FAULT);
        assertThat(l.points()).extracting(DataPoint::bits).containsExactly(1, 2, 3, 0, 0, 0, 1, 0, 0, 2, 1, 1);
        assertThat(l.points()).extracting(DataPoint::length).containsExactly(0, 0, 0, 2, 1, 3, 0, 4, 1, 0, 0, 0);
        assertThat(l.points()).extracting(DataPoint::offset).containsExactly(0, 1, 3, 0, 2, 3, 0, 0, 4, 1, 0, 0);
        assertThat(l.points()).extracting(DataPoint::writableIndex).containsExactly(0, 1, 2, 3, 4, 5, -1, -1, -1, -1, -1, -1);

        DataPoint target = l.point("target").orElseThrow();
        assertThat(target.ratio()).isEqualByComparingTo("0.1");
        assertThat(target.addition()).isEqualByComparingTo("-30");
        assertThat(target.rawMax()).isEqualTo(800);
        assertThat(l.point("offset").orElseThrow().rawMax()).isEqualTo(200);
        assertThat(l.point("brightness").orElseThrow().ratio()).isEqualByComparingTo(BigDecimal.ONE);

        assertThat(l.reportOffset(DataPointLayout.Area.WRITABLE_BITS)).isEqualTo(1);
        assertThat(l.reportOffset(DataPointLayout.Area.WRITABLE_VALUES)).isEqualTo(2);
        assertThat(l.reportOffset(DataPointLayout.Area.READONLY_BITS)).isEqualTo(8);
        assertThat(l.reportOffset(DataPointLayout.Area.READONLY_VALUES)).isEqualTo(9);
        assertThat(l.reportOffset(DataPointLayout.Area.ALERT_BITS)).isEqualTo(14);
        assertThat(l.reportOffset(DataPointLayout.Area.FAULT_BITS)).isEqualTo(15);
        assertThat(l.reportLength()).isEqualTo(16);
        assertThat(l.reportOffset(l.point("config").orElseThrow())).isEqualTo(5);
        assertThat(l.reportOffset(l.point("offset").orElseThrow())).isEqualTo(13);
        assertThat(l.attrFlagsLength()).isEqualTo(1);
        assertThat(l.controlOffset(DataPointLayout.Area.WRITABLE_BITS)).isEqualTo(2);
        assertThat(l.controlOffset(l.point("target").orElseThrow())).isEqualTo(3);
        assertThat(l.controlLength()).isEqualTo(9);
        assertThat(l.flagsLength()).isEqualTo(2);
        // action + flags 2 + bits (1+2+3+1+2+1+1 = 11 -> 2 bytes) + values (2+1+3+4+1 = 11)
        assertThat(l.variableMaxLength()).isEqualTo(16);
    }

    @Test
    void numberWidthFollowsTheRawMaximum() {
        // Verifies the boundaries uint8 <= 255 < uint16 <= 65535 < uint32 <= 4294967295.
        ThingModel m = model(
                ro("a", DataType.number(DataType.Kind.INT, 0, 255, null, null)),
                ro("b", DataType.number(DataType.Kind.INT, 0, 256, null, null)),
                ro("c", DataType.number(DataType.Kind.INT, -1, 65534, null, null)),
                ro("d", DataType.number(DataType.Kind.LONG, 0, 65536, null, null)),
                ro("e", DataType.number(DataType.Kind.DOUBLE, 0, 429496729.5, 0.1, null)),
                ro("f", DataType.number(DataType.Kind.DOUBLE, 0, 25.5, 0.1, null)));
        DataPointLayout l = DataPointLayout.of(m);
        assertThat(l.points()).extracting(DataPoint::type).containsExactly(DataPointType.UINT8, DataPointType.UINT16,
                DataPointType.UINT16, DataPointType.UINT32, DataPointType.UINT32, DataPointType.UINT8);
        assertThat(l.point("e").orElseThrow().rawMax()).isEqualTo(4294967295L);
    }

    @Test
    void enumWidthIsCeilLog2() {
        // Verifies ceil(log2 n) bits, at least 1.
        ThingModel m = model(ro("e1", enumOf("a")), ro("e2", enumOf("a", "b")), ro("e3", enumOf("a", "b", "c")),
                ro("e4", enumOf("a", "b", "c", "d")), ro("e5", enumOf("a", "b", "c", "d", "e")),
                ro("e8", enumOf("a", "b", "c", "d", "e", "f", "g", "h")),
                ro("e9", enumOf("a", "b", "c", "d", "e", "f", "g", "h", "i")));
        assertThat(DataPointLayout.of(m).points()).extracting(DataPoint::bits).containsExactly(1, 1, 2, 2, 3, 3, 4);
    }

    @Test
    void refusesWhatCannotBeADataPoint() {
        // Verifies check(): each refusal is INVALID_ARGUMENT naming the property and the reason.
        assertRefused(rw("name", DataType.string(10)), "property name", "string");
        assertRefused(ro("since", DataType.of(DataType.Kind.DATE)), "property since", "date");
        assertRefused(ro("list", DataType.arrayOf(DataType.of(DataType.Kind.INT), 3)), "property list", "array");
        assertRefused(ro("obj", DataType.objectOf(List.of(new Field("x", null, DataType.of(DataType.Kind.INT), true)))),
                "property obj", "object");
        assertRefused(ro("temp", DataType.number(DataType.Kind.FLOAT, 0, null, 0.5, null)), "property temp", "min and max");
        assertRefused(ro("temp", DataType.number(DataType.Kind.INT, null, 10, null, null)), "property temp", "min and max");
        assertRefused(ro("temp", DataType.number(DataType.Kind.INT, 0, 10, 3, null)), "property temp", "not a whole number");
        assertRefused(ro("big", DataType.number(DataType.Kind.LONG, 0, 4294967296L, 1, null)), "property big", "uint32");
        assertRefused(ro("precise", DataType.number(DataType.Kind.DOUBLE, 1000000000000L, 1000000000001L, 0.001, null)), "property precise",
                "16 significant digits");
        assertRefused(ro("blob", new DataType(DataType.Kind.BINARY, null, null, null, null, null, null, null, null)),
                "property blob", "maxLength");
        assertRefused(new PropertySpec("alarmLevel", null, DataType.number(DataType.Kind.INT, 0, 3, null, null), Access.READ_ONLY,
                PropertyKind.ALARM, null), "property alarmLevel", "alarm data point must be a read-only bool");
        assertRefused(new PropertySpec("siren", null, DataType.of(DataType.Kind.BOOL), Access.READ_WRITE, PropertyKind.ALARM, null),
                "property siren", "read-only bool");
        assertRefused(new PropertySpec("err", null, enumOf("a", "b"), Access.READ_ONLY, PropertyKind.FAULT, null),
                "property err", "fault data point must be a read-only bool");
    }

    @Test
    void acceptsTheFullModelsAndAnEmptyOne() {
        // Verifies check() passes models that only use carriable properties.
        codec.check(TestModels.aircon());
        codec.check(TestModels.switches());
        codec.check(ThingModel.EMPTY);
        assertThat(DataPointLayout.of(ThingModel.EMPTY).reportLength()).isEqualTo(1);
    }

    private void assertRefused(PropertySpec property, String... fragments) {
        ThingModel m = model(rw("ok", DataType.of(DataType.Kind.BOOL)), property, ro("binOk", binary(2)));
        assertThatThrownBy(() -> codec.check(m))
                .isInstanceOf(ThingportException.class)
                .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContainingAll(fragments);
    }
}
