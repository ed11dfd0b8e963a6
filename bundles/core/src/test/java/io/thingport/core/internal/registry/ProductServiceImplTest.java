package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.device.Product;
import io.thingport.api.model.ThingModel;
import io.thingport.core.internal.json.ThingModelJson;
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
        assertThat(fixture.storage.schemaVersion()).isEqualTo(16);
        fixture.product(false);
        fixture.restart();
        assertThat(fixture.storage.schemaVersion()).isEqualTo(16);
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
}
