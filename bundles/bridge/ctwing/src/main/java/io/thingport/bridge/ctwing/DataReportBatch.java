package io.thingport.bridge.ctwing;

import java.util.List;
import java.util.Objects;

/**
 * A {@code dataReportTupUnion} push: several data reports in one body. Its wire shape is *unverified*; what is accepted
 * is decided in one place, {@link TupUnionShape}. {@code deviceId}, {@code productId} and {@code tenantId} are the
 * top-level values (empty when absent); each report carries its own, inherited from the top level when the entry has none.
 */
public record DataReportBatch(String deviceId, String productId, String tenantId, List<DataReport> reports)
        implements CtwingMessage {

    public static final String MESSAGE_TYPE = "dataReportTupUnion";

    public DataReportBatch {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(tenantId, "tenantId");
        reports = List.copyOf(reports);
    }

    @Override
    public String messageType() {
        return MESSAGE_TYPE;
    }

    /** Derived from the keys of the reports, in order. Handle each report by its own {@link DataReport#dedupKey()}. */
    @Override
    public String dedupKey() {
        DedupKey key = DedupKey.of(MESSAGE_TYPE).add("count", reports.size());
        for (DataReport report : reports) {
            key.add("report", report.dedupKey());
        }
        return key.hex();
    }
}
