package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.AlarmPage;
import io.thingport.api.device.AlarmQuery;
import io.thingport.api.device.AlarmService;
import io.thingport.api.device.CommunicationType;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.DeviceAlarm;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DownlinkMode;
import io.thingport.api.device.NewProduct;
import io.thingport.api.device.NodeType;
import io.thingport.api.device.PowerMode;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductCategory;
import io.thingport.api.device.ProductOptions;
import io.thingport.api.device.ProductService;
import io.thingport.api.model.PropertyKind;
import io.thingport.api.model.ThingModel;
import io.thingport.rest.internal.http.ETags;
import io.thingport.rest.internal.resources.ProductResource.CreatedProduct;
import io.thingport.rest.internal.resources.ProductResource.NewProductBody;
import io.thingport.rest.internal.resources.ProductResource.ProductSettings;
import io.thingport.rest.internal.resources.ProductResource.ProductView;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** The product options in the product bodies, the category list and the alarm endpoints. */
class ProductOptionsResourceTest {
    private static final ProductOptions NB = new ProductOptions("lock", CommunicationType.NB_IOT, PowerMode.LOW_POWER, DownlinkMode.PSM,
            "China Telecom");

    /** A service of {@code type} answering the methods named; any other call fails the test. */
    static <T> T fake(Class<T> type, Map<String, Function<Object[], Object>> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Function<Object[], Object> answer = answers.get(method.getName());
            if (answer == null) {
                throw new UnsupportedOperationException(method.getName());
            }
            return answer.apply(args == null ? new Object[0] : args);
        }));
    }

    private static Product product(DataFormat format, ProductOptions options) {
        return new Product("p1", "Lock", "", "0123456789abcdef0123", false, ThingModel.EMPTY, null, format, options, Instant.EPOCH);
    }

    @Test
    void createPassesTheOptionsAndTheViewShowsThem() {
        // Verifies that the create body's options reach the service parsed and come back in the view.
        // GIVEN a service that creates what it is given
        List<NewProduct> created = new ArrayList<>();
        ProductService products = fake(ProductService.class, Map.of("createProduct", args -> {
            NewProduct np = (NewProduct) args[0];
            created.add(np);
            return product(np.dataFormat(), np.options());
        }));
        ProductResource resource = Callers.as(Callers.OPERATOR, new ProductResource(products));
        // WHEN a product is created with options
        Response r = resource.create(new NewProductBody("p1", null, null, null, null, null, "variable", "lock", "NB-IoT", "low-power",
                "psm", "China Telecom", null, null, null, null));
        // THEN
        assertThat(created).singleElement().extracting(NewProduct::options).isEqualTo(NB);
        ProductView view = ((CreatedProduct) r.getEntity()).product();
        assertThat(view.communication()).isEqualTo("nb-iot");
        assertThat(view.downlink()).isEqualTo("psm");
        assertThat(view.carrier()).isEqualTo("China Telecom");
        assertThat(view.dataFormat()).isEqualTo("variable");
    }

    @Test
    void createRefusesAnUnknownValueNamingItBeforeCallingTheService() {
        // Verifies that a bad option value is a 400 naming the field, and nothing is created.
        // GIVEN a service that may not be called
        ProductResource resource = Callers.as(Callers.OPERATOR, new ProductResource(fake(ProductService.class, Map.of())));
        // WHEN / THEN
        assertThatThrownBy(() -> resource.create(new NewProductBody("p1", null, null, null, null, null, null, null, null, null,
                "sometimes", null, null, null, null, null)))
                .isInstanceOf(ThingportException.class).hasMessageContaining("downlink mode must be one of")
                .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void settingsChangeOnlyTheOptionsGivenUnderIfMatch() {
        // Verifies that the settings body merges options into the product's, "" removes the carrier, and a stale
        // ETag is refused before anything changes.
        // GIVEN an NB-IoT product
        Product old = product(DataFormat.FIXED, NB);
        List<Object[]> updates = new ArrayList<>();
        ProductService products = fake(ProductService.class, Map.of("findProduct", args -> Optional.of(old), "updateOptions", args -> {
            updates.add(args);
            return product((DataFormat) args[1], (ProductOptions) args[2]);
        }));
        ProductResource resource = Callers.as(Callers.OPERATOR, new ProductResource(products));
        ProductSettings change = new ProductSettings(null, null, null, null, "5g", null, "edrx", "", null, null, null);
        // WHEN the change is sent with a stale ETag, then with the current one
        assertThatThrownBy(() -> resource.settings("p1", "\"stale\"", change)).isInstanceOf(ThingportException.class);
        assertThat(updates).isEmpty();
        Response r = resource.settings("p1", ETags.of(ProductView.of(old)).toString(), change);
        // THEN only the given options changed
        assertThat(updates).singleElement().satisfies(a -> assertThat(a[2]).isEqualTo(new ProductOptions("lock",
                CommunicationType.CELLULAR_5G, PowerMode.LOW_POWER, DownlinkMode.EDRX, null)));
        assertThat(((ProductView) r.getEntity()).communication()).isEqualTo("5g");
        // WHEN only the node type is changed / THEN the rest is kept
        Response gateway = resource.settings("p1", null, new ProductSettings(null, null, null, null, null, null, null, null, null, null,
                "gateway"));
        assertThat(updates.get(1)[2]).isEqualTo(NB.withNode(NodeType.GATEWAY));
        assertThat(((ProductView) gateway.getEntity()).nodeType()).isEqualTo("gateway");
        assertThatThrownBy(() -> resource.settings("p1", null, new ProductSettings(null, null, null, null, null, null, null, null, null,
                null, "hub"))).hasMessageContaining("node type must be device or gateway");
        assertThat(updates).hasSize(2);
    }

    @Test
    void categoriesListTheirNamesAndTemplateProperties() {
        // Verifies GET /product-categories.
        // GIVEN a catalogue of one category without a template
        ProductService products = fake(ProductService.class, Map.of("listCategories", args -> List.of(new ProductCategory("other",
                "Other", "其他", null))));
        // WHEN / THEN
        assertThat(new ProductCategoryResource(products).list())
                .containsExactly(new ProductCategoryResource.CategoryView("other", "Other", "其他", List.of()));
    }

    @Test
    void alarmsAreScopedToTheCallersProductsAndAcknowledgedByTheCaller() {
        // Verifies the alarm endpoints' access rules: a limited caller names a product of theirs, sees another
        // product's alarm as not found, and an acknowledgement records the caller's name.
        // GIVEN an alarm of product p2 and one of p1
        DeviceAlarm p1 = new DeviceAlarm(1, "d1", "p1", "overheat", PropertyKind.ALARM, "true", Instant.EPOCH, null, null, null);
        DeviceAlarm p2 = new DeviceAlarm(2, "d2", "p2", "overheat", PropertyKind.ALARM, "true", Instant.EPOCH, null, null, null);
        List<String> acks = new ArrayList<>();
        AlarmService alarms = fake(AlarmService.class, Map.of(
                "getAlarm", args -> (Long) args[0] == 1 ? p1 : p2,
                "listAlarms", args -> new AlarmPage(((AlarmQuery) args[0]).productId().equals("p1") ? List.of(p1) : List.of(), 1L),
                "acknowledge", args -> {
                    acks.add(args[0] + " " + args[1]);
                    return p1;
                }));
        AlarmResource limited = Callers.as(Callers.LIMITED_ADMIN, new AlarmResource(alarms, fake(DeviceService.class, Map.of())));
        // WHEN / THEN a list without a product is refused, with p1 allowed, with the cursor of the next page
        assertThatThrownBy(() -> limited.list(null, null, false, null, null, null, null))
                .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(limited.list(null, "p1", true, null, null, null, 10).next()).isEqualTo("1");
        assertThatThrownBy(() -> limited.list(null, "p2", true, null, null, null, 10))
                .satisfies(e -> assertThat(((ThingportException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
        // AND p2's alarm is not found, p1's is acknowledged by the application
        assertThatThrownBy(() -> limited.acknowledge(2)).satisfies(e -> assertThat(((ThingportException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(limited.acknowledge(1).id()).isEqualTo(1);
        assertThat(acks).containsExactly("1 app-1");
        assertThatThrownBy(() -> limited.list(null, "p1", false, "yesterday", null, null, 10)).hasMessageContaining("from");
    }
}
