package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.device.DeviceState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeviceRecordTest {

    @Test
    void theCachedRecordsOfTheRegistryNeverPrintASecret() {
        // Verifies that the registry's records holding a device secret (the cached device, a row of a batch import)
        // mask it in toString(), which a record would otherwise print whole.
        DeviceRecord record = new DeviceRecord("dev-1", "thermo", "Dev 1", "0123456789abcdef0123456789abcdef", true, Instant.EPOCH,
                DeviceState.NEVER_ONLINE);
        assertThat(record.toString()).contains("id=dev-1", "secret=0123\u2026").doesNotContain("0123456789abcdef");
        assertThat(record.withSecret("s3cr3t-dev-1").toString()).contains("secret=****").doesNotContain("s3cr3t");
        DeviceImport.Row row = new DeviceImport.Row("line 2", "dev-2", null, "s3cr3t-dev-2", null);
        assertThat(row.toString()).isEqualTo("Row[where=line 2, id=dev-2, name=null, secret=****, mac=null]");
    }
}
