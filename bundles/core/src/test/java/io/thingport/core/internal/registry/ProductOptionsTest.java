package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandQueueSettings;
import io.thingport.api.device.CommunicationType;
import io.thingport.api.device.DownlinkMode;
import io.thingport.api.device.NodeType;
import io.thingport.api.device.PowerMode;
import io.thingport.api.device.ProductCategory;
import io.thingport.api.device.ProductOptions;
import io.thingport.api.model.PropertyKind;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The product options' rules and the built-in category catalogue, without storage. */
class ProductOptionsTest {
    private static final Set<String> CATEGORIES = ProductCategories.builtIn().ids();

    private static ProductOptions options(CommunicationType communication, PowerMode power, DownlinkMode downlink, String carrier) {
        return new ProductOptions("sensor", communication, power, downlink, carrier);
    }

    @Test
    void defaultsAreWifiAlwaysOnOther() {
        // Verifies that options given nothing are what existing products became: Wi-Fi, always on, category other.
        // GIVEN / WHEN options without values
        ProductOptions o = new ProductOptions(" ", null, null, null, " ");
        // THEN they are the defaults, and pass the rules
        assertThat(o).isEqualTo(ProductOptions.DEFAULTS);
        assertThat(o.category()).isEqualTo("other");
        assertThat(o.communication()).isEqualTo(CommunicationType.WIFI);
        assertThat(o.power()).isEqualTo(PowerMode.ALWAYS_ON);
        assertThat(o.downlink()).isEqualTo(DownlinkMode.ALWAYS_ON);
        assertThat(o.carrier()).isNull();
        assertThat(ProductOptionRules.check(o, CATEGORIES)).isEqualTo(o);
    }

    @Test
    void acceptsALowPowerNbIotProductInPsmWithACarrier() {
        // Verifies that the typical NB-IoT product (low power, PSM, a carrier) is accepted.
        // GIVEN an NB-IoT, low-power, PSM product with a carrier
        ProductOptions o = options(CommunicationType.NB_IOT, PowerMode.LOW_POWER, DownlinkMode.PSM, "China Telecom");
        // WHEN checked THEN it passes, and its downlink is sleepy
        assertThat(ProductOptionRules.check(o, CATEGORIES)).isEqualTo(o);
        assertThat(o.downlink().isSleepy()).isTrue();
        assertThat(DownlinkMode.ALWAYS_ON.isSleepy()).isFalse();
    }

    @Test
    void acceptsDrxForALowPowerSubDevice() {
        // Verifies that DRX, unlike PSM and eDRX, is allowed for a low-power product that is not cellular.
        // GIVEN a low-power Zigbee product in DRX
        ProductOptions o = options(CommunicationType.ZIGBEE, PowerMode.LOW_POWER, DownlinkMode.DRX, null);
        // WHEN checked THEN it passes
        assertThat(ProductOptionRules.check(o, CATEGORIES)).isEqualTo(o);
        assertThat(CommunicationType.ZIGBEE.isSubDevice()).isTrue();
    }

    @Test
    void refusesACarrierForAProductThatIsNotCellular() {
        // Verifies that only cellular and NB-IoT products may name a carrier, and that the error names the field.
        // GIVEN a Wi-Fi product with a carrier
        ProductOptions o = options(CommunicationType.WIFI, PowerMode.ALWAYS_ON, DownlinkMode.ALWAYS_ON, "China Mobile");
        // WHEN checked THEN it is refused naming carrier
        assertThatThrownBy(() -> ProductOptionRules.check(o, CATEGORIES)).isInstanceOf(ThingportException.class)
                .hasMessageStartingWith("carrier:").hasMessageContaining("wifi")
                .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void refusesASleepyDownlinkForAnAlwaysPoweredProduct() {
        // Verifies that PSM/eDRX/DRX are refused for a product that is always powered, even a cellular one.
        // GIVEN an always-powered 4G product in eDRX
        ProductOptions o = options(CommunicationType.CELLULAR_4G, PowerMode.ALWAYS_ON, DownlinkMode.EDRX, null);
        // WHEN checked THEN it is refused naming downlink and the power mode
        assertThatThrownBy(() -> ProductOptionRules.check(o, CATEGORIES)).isInstanceOf(ThingportException.class)
                .hasMessageStartingWith("downlink: edrx").hasMessageContaining("low-power");
    }

    @Test
    void refusesPsmForALowPowerProductThatIsNotCellular() {
        // Verifies that PSM is a cellular mode: refused for a low-power BLE product.
        // GIVEN a low-power BLE product in PSM
        ProductOptions o = options(CommunicationType.BLE, PowerMode.LOW_POWER, DownlinkMode.PSM, null);
        // WHEN checked THEN it is refused naming downlink
        assertThatThrownBy(() -> ProductOptionRules.check(o, CATEGORIES)).isInstanceOf(ThingportException.class)
                .hasMessageStartingWith("downlink: psm").hasMessageContaining("ble");
    }

    @Test
    void aGatewayProductConnectsOnItsOwn() {
        // Verifies that a gateway product may use any direct link but not a sub-device link (one level of gateways).
        // GIVEN a Wi-Fi and a Zigbee gateway product
        ProductOptions wifi = options(CommunicationType.WIFI, null, null, null).withNode(NodeType.GATEWAY);
        ProductOptions zigbee = options(CommunicationType.ZIGBEE, null, null, null).withNode(NodeType.GATEWAY);
        // WHEN checked THEN the Wi-Fi one passes, the Zigbee one is refused naming nodeType and the link
        assertThat(ProductOptionRules.check(wifi, CATEGORIES).node()).isEqualTo(NodeType.GATEWAY);
        assertThatThrownBy(() -> ProductOptionRules.check(zigbee, CATEGORIES)).isInstanceOf(ThingportException.class)
                .hasMessageStartingWith("nodeType: a gateway product connects on its own").hasMessageContaining("zigbee");
        assertThat(ProductOptionRules.check(options(CommunicationType.ZIGBEE, null, null, null), CATEGORIES).node())
                .isEqualTo(NodeType.DEVICE);
        assertThatThrownBy(() -> NodeType.parse("hub")).hasMessage("node type must be device or gateway, not 'hub'");
        assertThat(NodeType.parse(" Gateway ")).isEqualTo(NodeType.GATEWAY);
    }

    @Test
    void refusesAnUnknownCategoryAndUnknownWireNames() {
        // Verifies that a category outside the catalogue and unknown option names are refused with the allowed values.
        // GIVEN / WHEN / THEN an unknown category, communication, power and downlink mode are refused
        assertThatThrownBy(() -> ProductOptionRules.check(new ProductOptions("toaster", null, null, null, null), CATEGORIES))
                .hasMessageStartingWith("category: 'toaster'").hasMessageContaining("lighting");
        assertThatThrownBy(() -> CommunicationType.parse("6g")).hasMessageContaining("communication must be one of")
                .hasMessageContaining("nb-iot");
        assertThatThrownBy(() -> PowerMode.parse("solar")).hasMessageContaining("always-on or low-power");
        assertThatThrownBy(() -> DownlinkMode.parse("sometimes")).hasMessageContaining("psm, edrx, drx");
        assertThat(CommunicationType.parse("NB-IoT")).isEqualTo(CommunicationType.NB_IOT);
    }

    @Test
    void catalogueHasEnglishAndChineseNamesAndParsedTemplates() {
        // Verifies that the built-in catalogue is read whole: names in both languages, templates through the thing-model reader.
        // GIVEN / WHEN the built-in catalogue
        var categories = ProductCategories.builtIn();
        // THEN every category has both names, "other" exists without a template, and the lighting template has a fault
        assertThat(categories.list()).allSatisfy(c -> assertThat(c.name()).isNotBlank())
                .allSatisfy(c -> assertThat(c.localName()).isNotBlank());
        assertThat(categories.find("other")).get().extracting(ProductCategory::hasTemplate).isEqualTo(false);
        ProductCategory lighting = categories.find("lighting").orElseThrow();
        assertThat(lighting.localName()).isEqualTo("照明");
        assertThat(lighting.template().property("fault")).get().extracting(p -> p.kind()).isEqualTo(PropertyKind.FAULT);
    }

    @Test
    void theCommandQueueIsBoundedWithARefusalNamingTheField() {
        // Verifies the queue's defaults (16 commands, 24 h) and that a length or time to live out of bounds is refused.
        // GIVEN a sleepy product's options
        ProductOptions o = options(CommunicationType.NB_IOT, PowerMode.LOW_POWER, DownlinkMode.PSM, null);
        // THEN the defaults
        assertThat(o.queue()).isEqualTo(new CommandQueueSettings(16, Duration.ofHours(24)));
        assertThat(ProductOptionRules.check(o.withQueue(new CommandQueueSettings(1000, Duration.ofDays(30))), CATEGORIES)).isNotNull();
        // WHEN / THEN out of bounds
        assertThatThrownBy(() -> ProductOptionRules.check(o.withQueue(new CommandQueueSettings(0, null)), CATEGORIES))
                .hasMessageContaining("queueMaxLength: must be between 1 and 1000");
        assertThatThrownBy(() -> ProductOptionRules.check(o.withQueue(new CommandQueueSettings(1001, null)), CATEGORIES))
                .hasMessageContaining("queueMaxLength");
        assertThatThrownBy(() -> ProductOptionRules.check(o.withQueue(new CommandQueueSettings(null, Duration.ofDays(31))),
                CATEGORIES)).hasMessageContaining("queueTtl: must be whole seconds between 1 second and 30 days");
        assertThatThrownBy(() -> ProductOptionRules.check(o.withQueue(new CommandQueueSettings(null, Duration.ZERO)), CATEGORIES))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
