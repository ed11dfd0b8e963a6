package io.thingport.core.internal.registry;

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
import io.thingport.api.model.ThingModel;
import io.thingport.core.internal.json.ThingModelJson;
import io.thingport.core.internal.storage.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Products on H2 and PostgreSQL. */
@Tag("storage")
class ProductServiceImplTest {
    private RegistryFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new RegistryFixture();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void migratesOnceAndSurvivesRestart() {
        // Verifies that the schema is versioned and that data outlives a restart of the storage.
        assertThat(fixture.storage.schemaVersion()).isEqualTo(TestDatabase.latestSchemaVersion());
        fixture.product(false);
        fixture.restart();
        assertThat(fixture.storage.schemaVersion()).isEqualTo(TestDatabase.latestSchemaVersion());
        assertThat(fixture.products.getProduct("p1").thingModel().property("temp")).isPresent();
    }

    @Test
    void thingModelJsonRoundTripsAndNamesErrors() {
        // Verifies export/import and the JSON path in import errors.
        ProductServiceImpl products = fixture.products;
        fixture.product(true);
        String exported = products.exportJson("p1");
        assertThat(exported).doesNotContain(products.getProduct("p1").secret());
        products.deleteProduct("p1");
        Product imported = products.importJson(exported, false);
        assertThat(ThingModelJson.toJson(imported.thingModel()))
                .isEqualTo(ThingModelJson.toJson(ThingModelJson.parse(RegistryFixture.MODEL)));
        assertThat(imported.dynamicRegistration()).isTrue();
        assertThatThrownBy(() -> products.importJson(exported, false)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> ThingModelJson.parse("{\"properties\":[{\"id\":\"t\",\"type\":{\"type\":\"integr\"}}]}"))
                .hasMessageContaining("properties[0].type.type").hasMessageContaining("unknown data type 'integr'");
        assertThatThrownBy(() -> ThingModelJson.parse("{\"properties\":[{\"id\":\"t\",\"type\":\"int\",\"acess\":\"x\"}]}"))
                .hasMessageContaining("properties[0].acess: is not a known key");
        assertThatThrownBy(() -> ThingModelJson.parse("{\"properties\":[{\"id\":\"9t\",\"type\":\"int\"}]}"))
                .hasMessageContaining("properties[0]").hasMessageContaining("must start with a letter");
        ThingModel empty = ThingModelJson.parse("{}");
        assertThat(empty.properties()).isEmpty();
    }

    @Test
    void aSleepyProductsCommandQueueIsStoredExportedAndImported() {
        // Verifies that the queue settings survive a restart and an export/import, and that a bad one is refused naming it.
        // GIVEN a PSM product queueing 4 commands for 10 minutes
        ProductOptions psm = new ProductOptions(null, CommunicationType.NB_IOT, PowerMode.LOW_POWER, DownlinkMode.PSM, null,
                new CommandQueueSettings(4, Duration.ofMinutes(10)));
        fixture.products.createProduct(new NewProduct("meter", "Meter", null, null, false, ThingModel.EMPTY, null, null, psm));
        // WHEN the platform restarts, and the product is exported, deleted and imported
        fixture.restart();
        assertThat(fixture.products.getProduct("meter").options()).isEqualTo(psm);
        String exported = fixture.products.exportJson("meter");
        fixture.products.deleteProduct("meter");
        // THEN
        assertThat(exported).contains("\"queueMaxLength\" : 4").contains("\"queueTtlSeconds\" : 600");
        assertThat(fixture.products.importJson(exported, false).options()).isEqualTo(psm);
        assertThatThrownBy(() -> fixture.products.importJson(exported.replace("\"queueMaxLength\" : 4", "\"queueMaxLength\" : \"x\""),
                false)).hasMessageContaining("queueMaxLength: must be a whole number");
    }

    @Test
    void aProductBindsOnlyToAnExistingGatewayAndKeepsTheBindingAcrossRestarts() {
        // Verifies setGateway: unknown gateways are refused, the binding is stored, listed per gateway and removable.
        fixture.product(false);
        assertThatThrownBy(() -> fixture.products.setGateway("p1", "tcp-gw")).hasMessageContaining("gateway tcp-gw");
        fixture.products.gateways = name -> name.equals("tcp-gw");
        assertThat(fixture.products.setGateway("p1", "tcp-gw").gateway()).isEqualTo("tcp-gw");
        assertThat(fixture.products.productsOfGateway("tcp-gw")).containsExactly("p1");
        fixture.restart();
        assertThat(fixture.products.getProduct("p1").gateway()).isEqualTo("tcp-gw");
        assertThat(fixture.products.setGateway("p1", null).gateway()).isNull();
        assertThat(fixture.products.productsOfGateway("tcp-gw")).isEmpty();
    }

    @Test
    void aProductOfACategoryStartsFromItsTemplateAndKeepsItsOptions() {
        // Verifies that a product created with a category and no model gets the category's standard model, and that
        // its options are stored and survive a restart.
        // GIVEN a cellular lock product without a thing model
        ProductOptions options = new ProductOptions("lock", CommunicationType.NB_IOT, PowerMode.LOW_POWER, DownlinkMode.EDRX,
                "China Telecom");
        // WHEN it is created and the storage restarted
        fixture.products.createProduct(new NewProduct("lock1", null, null, null, false, null, null, DataFormat.VARIABLE, options));
        fixture.restart();
        // THEN it has the lock template and its options
        Product p = fixture.products.getProduct("lock1");
        assertThat(p.thingModel().property("tamper")).isPresent();
        assertThat(p.options()).isEqualTo(options);
        assertThat(p.dataFormat()).isEqualTo(DataFormat.VARIABLE);
        assertThat(fixture.products.listCategories()).extracting(ProductCategory::id).contains("lighting", "lock", "other");
    }

    @Test
    void updatingOptionsChecksThemWholeAndChangesNothingWhenRefused() {
        // Verifies that option changes go through the rules and that a refused change leaves the product as it was.
        // GIVEN a default product
        fixture.product(false);
        // WHEN a change to a Wi-Fi product with PSM is asked for
        assertThatThrownBy(() -> fixture.products.updateOptions("p1", DataFormat.FIXED, new ProductOptions("sensor", null,
                PowerMode.LOW_POWER, DownlinkMode.PSM, null))).hasMessageStartingWith("downlink: psm");
        // THEN nothing changed; a valid change is stored
        assertThat(fixture.products.getProduct("p1").options()).isEqualTo(ProductOptions.DEFAULTS);
        Product changed = fixture.products.updateOptions("p1", DataFormat.VARIABLE, new ProductOptions("sensor",
                CommunicationType.CELLULAR_4G, PowerMode.LOW_POWER, DownlinkMode.PSM, "Vodafone"));
        fixture.restart();
        assertThat(fixture.products.getProduct("p1").options()).isEqualTo(changed.options());
        assertThat(fixture.products.getProduct("p1").thingModel().property("temp")).isPresent();
    }

    @Test
    void exportAndImportCarryTheOptionsAndNameABadField() {
        // Verifies that the product document holds the options, reads them back, and names the field of a bad value.
        // GIVEN a cellular product exported
        fixture.products.createProduct(new NewProduct("cell", null, null, null, false, null, null, null,
                new ProductOptions("tracker", CommunicationType.CELLULAR_4G, PowerMode.LOW_POWER, DownlinkMode.PSM, "Orange")
                        .withNode(NodeType.GATEWAY)));
        String json = fixture.products.exportJson("cell");
        assertThat(json).contains("\"communication\" : \"4g\"").contains("\"downlink\" : \"psm\"").contains("\"carrier\" : \"Orange\"")
                .contains("\"nodeType\" : \"gateway\"");
        // WHEN it is imported as another product
        Product copy = fixture.products.importJson(json.replace("\"cell\"", "\"cell2\""), false);
        // THEN the copy has the same options; bad values are refused naming their field
        assertThat(copy.options()).isEqualTo(fixture.products.getProduct("cell").options());
        assertThatThrownBy(() -> fixture.products.importJson("{\"id\":\"x\",\"power\":\"solar\"}", false))
                .hasMessageStartingWith("power:");
        assertThatThrownBy(() -> fixture.products.importJson("{\"id\":\"x\",\"communication\":4}", false))
                .hasMessageStartingWith("communication: must be a string");
        assertThatThrownBy(() -> fixture.products.importJson("{\"id\":\"x\",\"carrier\":\"Orange\"}", false))
                .hasMessageStartingWith("carrier:");
        assertThatThrownBy(() -> fixture.products.importJson("{\"id\":\"x\",\"nodeType\":\"hub\"}", false))
                .hasMessageStartingWith("nodeType: node type must be device or gateway");
        assertThat(fixture.products.findProduct("x")).isEmpty();
    }
}
