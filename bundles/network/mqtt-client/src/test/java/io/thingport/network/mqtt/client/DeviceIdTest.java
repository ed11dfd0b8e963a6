package io.thingport.network.mqtt.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.network.mqtt.client.BrokeredDevices.DeviceId;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Topic → device: the {@code deviceTopic} groups alone, without a broker. */
class DeviceIdTest {
    private static final Pattern DEFAULT = Pattern.compile(MqttClientSettings.DEFAULT_DEVICE_TOPIC);

    @Test
    void theDefaultPatternNamesProductAndDeviceByTheFirstTwoLevels() {
        // Verifies that the default deviceTopic reads the product from the first level and the device from the second.
        // GIVEN the default deviceTopic
        // WHEN topics with and without further levels are mapped
        DeviceId report = DeviceId.of(DEFAULT, "/thermo/dev-1/properties/report");
        DeviceId bare = DeviceId.of(DEFAULT, "/thermo/dev-1");

        // THEN both name device dev-1 of product thermo, with one key
        assertThat(report).isEqualTo(new DeviceId("thermo", "dev-1"));
        assertThat(bare).isEqualTo(report);
        assertThat(report.key()).isEqualTo("thermo\ndev-1");
    }

    @Test
    void aTopicNotMatchingTheWholePatternNamesNoDevice() {
        // Verifies that topics the pattern does not match as a whole name no device.
        // GIVEN the default deviceTopic
        // WHEN topics without the leading slash, with one level only or with an empty level are mapped
        // THEN none names a device
        assertThat(DeviceId.of(DEFAULT, "status/gateway")).isNull();
        assertThat(DeviceId.of(DEFAULT, "/only-one-level")).isNull();
        assertThat(DeviceId.of(DEFAULT, "//dev-1/report")).isNull();
    }

    @Test
    void aCustomPatternMayNameTheGroupsInAnyOrder() {
        // Verifies that a custom deviceTopic picks the identity by group name, not by position.
        // GIVEN a deviceTopic with the device before the product
        Pattern custom = Pattern.compile("^devices/(?<deviceId>[^/]+)/of/(?<productId>[^/]+)/.*$");

        // WHEN a matching topic is mapped
        DeviceId named = DeviceId.of(custom, "devices/c7/of/meter/data");

        // THEN the groups give device c7 of product meter
        assertThat(named).isEqualTo(new DeviceId("meter", "c7"));
    }

    @Test
    void anEmptyOrMissingGroupNamesNoDevice() {
        // Verifies that a match whose productId or deviceId group is empty or did not take part names no device.
        // GIVEN a pattern whose groups may be empty and one whose product group is optional
        Pattern emptyAllowed = Pattern.compile("^(?<productId>[^/]*)/(?<deviceId>[^/]*)$");
        Pattern optional = Pattern.compile("^(?:p/(?<productId>[^/]+)/)?d/(?<deviceId>[^/]+)$");

        // WHEN topics that leave a group empty or unmatched are mapped
        // THEN none names a device, while a topic filling both groups does
        assertThat(DeviceId.of(emptyAllowed, "/dev-1")).isNull();
        assertThat(DeviceId.of(emptyAllowed, "thermo/")).isNull();
        assertThat(DeviceId.of(optional, "d/dev-1")).isNull();
        assertThat(DeviceId.of(optional, "p/thermo/d/dev-1")).isEqualTo(new DeviceId("thermo", "dev-1"));
    }
}
