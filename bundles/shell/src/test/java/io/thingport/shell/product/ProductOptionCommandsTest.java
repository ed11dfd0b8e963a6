package io.thingport.shell.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.device.CommandQueueSettings;
import io.thingport.api.device.CommunicationType;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.DownlinkMode;
import io.thingport.api.device.NewProduct;
import io.thingport.api.device.NodeType;
import io.thingport.api.device.PowerMode;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductCategory;
import io.thingport.api.device.ProductOptions;
import io.thingport.api.device.ProductService;
import io.thingport.api.model.ThingModel;
import io.thingport.shell.support.Fakes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

/** iot:product-create's options, iot:product-set and iot:category-list. */
class ProductOptionCommandsTest {
    private static final ProductOptions CELLULAR = new ProductOptions("sensor", CommunicationType.CELLULAR_4G, PowerMode.LOW_POWER,
            DownlinkMode.PSM, "Vodafone");

    @Test
    void productCreatePassesTheOptionsParsed() throws Exception {
        // Verifies that the create options reach the service parsed, and that the options are printed.
        // GIVEN a service that creates what it is given
        AtomicReference<NewProduct> given = new AtomicReference<>();
        ProductCreateCommand command = new ProductCreateCommand();
        command.products = Fakes.service(ProductService.class, Map.of("createProduct", args -> {
            NewProduct np = (NewProduct) args[0];
            given.set(np);
            return new Product(np.id(), np.id(), "", "s3cr3t-s3cr3t-s3cr3t", false, np.thingModel(), null, np.dataFormat(),
                    np.options(), Instant.EPOCH);
        }));
        command.id = "meter";
        command.category = "sensor";
        command.communication = "4G";
        command.power = "low-power";
        command.downlink = "psm";
        command.carrier = "Vodafone";
        // WHEN it runs
        String out = Fakes.output(command::execute);
        // THEN the service got the options, and they are shown
        assertThat(given.get().options()).isEqualTo(CELLULAR);
        assertThat(out).contains("options: category sensor, 4g, power low-power, downlink psm (queues 16 commands for 86400 s),"
                + " carrier Vodafone, data format fixed, node type device");
    }

    @Test
    void nodeTypeIsSetOnCreateAndChangedBySet() throws Exception {
        // Verifies --node-type: parsed on create, changed by product-set (the other options kept), shown, and a bad value
        // refused with the allowed ones before the service is called.
        // GIVEN services that store what they are given
        AtomicReference<ProductOptions> given = new AtomicReference<>();
        ProductCreateCommand create = new ProductCreateCommand();
        create.products = Fakes.service(ProductService.class, Map.of("createProduct", args -> {
            NewProduct np = (NewProduct) args[0];
            given.set(np.options());
            return new Product(np.id(), np.id(), "", "s", false, np.thingModel(), null, np.dataFormat(), np.options(), Instant.EPOCH);
        }));
        create.id = "hub";
        create.nodeType = "Gateway";
        // WHEN / THEN
        assertThat(Fakes.output(create::execute)).contains("node type gateway");
        assertThat(given.get().node()).isEqualTo(NodeType.GATEWAY);
        Product old = new Product("meter", "Meter", "", "s", false, ThingModel.EMPTY, null, DataFormat.FIXED, CELLULAR, Instant.EPOCH);
        ProductSetCommand set = new ProductSetCommand();
        set.products = Fakes.service(ProductService.class, Map.of("getProduct", args -> old, "updateOptions", args -> {
            given.set((ProductOptions) args[2]);
            return new Product("meter", "Meter", "", "s", false, ThingModel.EMPTY, null, (DataFormat) args[1], (ProductOptions) args[2],
                    Instant.EPOCH);
        }));
        set.id = "meter";
        set.nodeType = "gateway";
        assertThat(Fakes.output(set::execute)).endsWith("node type gateway\n");
        assertThat(given.get()).isEqualTo(CELLULAR.withNode(NodeType.GATEWAY));
        ProductCreateCommand bad = new ProductCreateCommand();
        bad.products = Fakes.service(ProductService.class, Map.of());
        bad.id = "x";
        bad.nodeType = "hub";
        assertThatThrownBy(bad::execute).isInstanceOf(CommandException.class).hasMessageContaining("node type must be device or gateway");
    }

    @Test
    void productCreateRefusesAnUnknownCommunicationBeforeCreatingAnything() {
        // Verifies that a bad option value is refused with the allowed values, without a call to the service.
        // GIVEN a service that may not be called
        ProductCreateCommand command = new ProductCreateCommand();
        command.products = Fakes.service(ProductService.class, Map.of());
        command.id = "meter";
        command.communication = "carrier-pigeon";
        // WHEN / THEN
        assertThatThrownBy(command::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("communication must be one of wifi, 2g");
    }

    @Test
    void productSetChangesOnlyWhatIsGivenAndNoneRemovesTheCarrier() throws Exception {
        // Verifies that iot:product-set keeps the options not given, that --carrier none removes the carrier, and that
        // --queue-max and --queue-ttl set the command queue.
        // GIVEN a cellular product
        Product old = new Product("meter", "Meter", "", "s", false, ThingModel.EMPTY, null, DataFormat.FIXED, CELLULAR, Instant.EPOCH);
        AtomicReference<ProductOptions> given = new AtomicReference<>();
        ProductSetCommand command = new ProductSetCommand();
        command.products = Fakes.service(ProductService.class, Map.of("getProduct", args -> old, "updateOptions", args -> {
            given.set((ProductOptions) args[2]);
            return new Product("meter", "Meter", "", "s", false, ThingModel.EMPTY, null, (DataFormat) args[1], (ProductOptions) args[2],
                    Instant.EPOCH);
        }));
        command.id = "meter";
        command.communication = "nb-iot";
        command.carrier = "none";
        command.dataFormat = "variable";
        command.queueMax = 4;
        command.queueTtl = 600L;
        // WHEN it runs
        String out = Fakes.output(command::execute);
        // THEN only communication and carrier changed
        assertThat(given.get()).isEqualTo(new ProductOptions("sensor", CommunicationType.NB_IOT, PowerMode.LOW_POWER, DownlinkMode.PSM,
                null, new CommandQueueSettings(4, Duration.ofSeconds(600))));
        assertThat(out).contains("Product meter: category sensor, nb-iot, power low-power, downlink psm (queues 4 commands for 600 s),"
                + " data format variable");
    }

    @Test
    void categoryListShowsBothNamesAndTheTemplate() throws Exception {
        // Verifies iot:category-list: id, English and Chinese names, and the template's properties or "-".
        // GIVEN two categories, one with a template
        ThingModel lamp = ThingModel.EMPTY;
        CategoryListCommand command = new CategoryListCommand();
        command.products = Fakes.service(ProductService.class, Map.of("listCategories", args -> List.of(
                new ProductCategory("other", "Other", "其他", null), new ProductCategory("lighting", "Lighting", "照明", lamp))));
        command.noFormat = true;
        // WHEN it runs
        String out = Fakes.output(command::execute);
        // THEN
        assertThat(out).contains("other\tOther\t其他\t-").contains("lighting\tLighting\t照明\t-");
    }
}
