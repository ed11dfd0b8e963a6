package io.thingport.shell.product;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.api.model.ThingModel;
import io.thingport.shell.support.Fakes;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductInfoCommandTest {

    @Test
    void theProductSecretIsMaskedUnlessAskedForAndNamesAreEscaped() throws Exception {
        // Verifies iot:product-info: a product secret shows at most its first 4 characters (none when shorter than 16),
        // --show-secret prints it whole (the documented opt-in), and a name from an imported file cannot drive the
        // terminal.
        // GIVEN a product with a long secret and one with a short secret and an ANSI sequence in its description
        Map<String, Product> products = Map.of(
                "thermo", new Product("thermo", "Thermo", "", "0123456789abcdef0123", false, ThingModel.EMPTY, null, null, Instant.EPOCH),
                "meter", new Product("meter", "Meter", "clears\u001b[2J\u009b", "meter-secret", false, ThingModel.EMPTY, null, null,
                        Instant.EPOCH));
        ProductInfoCommand command = new ProductInfoCommand();
        command.products = Fakes.service(ProductService.class, Map.of("getProduct", args -> products.get((String) args[0])));
        // WHEN
        command.id = "thermo";
        String thermo = Fakes.output(command::execute);
        command.id = "meter";
        String meter = Fakes.output(command::execute);
        command.showSecret = true;
        String shown = Fakes.output(command::execute);
        // THEN
        assertThat(thermo).contains("Secret:               0123\u2026").doesNotContain("0123456789");
        assertThat(meter).contains("Secret:               ****").doesNotContain("meter-secret")
                .contains("Description:          clears\\u001b[2J\\u009b").doesNotContain("\u001b").doesNotContain("\u009b");
        assertThat(shown).contains("Secret:               meter-secret");
    }
}
