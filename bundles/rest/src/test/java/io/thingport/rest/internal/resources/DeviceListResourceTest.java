package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.Device;
import io.thingport.api.device.DevicePage;
import io.thingport.api.device.DeviceQuery;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.DeviceStatus;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.api.model.ThingModel;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.http.ETags;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import io.thingport.rest.internal.resources.DeviceResource.CountsView;
import io.thingport.rest.internal.resources.DeviceResource.DeviceView;
import io.thingport.rest.internal.resources.DeviceResource.MacBody;
import io.thingport.rest.internal.resources.DeviceResource.TagsView;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** {@code GET /devices} with its filters, {@code GET /devices/counts}, {@code PUT /devices/{id}/tags} and {@code /mac}. */
class DeviceListResourceTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private final List<Object> calls = new ArrayList<>();
    private Device device = new Device("d1", "p1", "d1", true, DeviceState.NEVER_ONLINE, NOW, "aa:bb:cc:dd:ee:ff", Map.of("room", "1"));

    private final DeviceService devices = (DeviceService) Proxy.newProxyInstance(DeviceService.class.getClassLoader(),
            new Class<?>[] {DeviceService.class}, (proxy, method, args) -> {
                if (method.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                switch (method.getName()) {
                    case "queryDevices" -> {
                        calls.add(args[0]);
                        if ("bad".equals(((DeviceQuery) args[0]).cursor())) {
                            throw ThingportException.invalidArgument("cursor 'bad' is not one a device list issued");
                        }
                        return new DevicePage(List.of(device), "next-1");
                    }
                    case "countByStatus" -> {
                        calls.add("count " + args[0]);
                        Map<DeviceStatus, Long> counts = new EnumMap<>(DeviceStatus.class);
                        counts.put(DeviceStatus.DISABLED, 1L);
                        counts.put(DeviceStatus.ONLINE, 2L);
                        counts.put(DeviceStatus.OFFLINE, 0L);
                        counts.put(DeviceStatus.NEVER_CONNECTED, 3L);
                        return counts;
                    }
                    case "findDevice" -> {
                        return Optional.of(device).filter(d -> d.id().equals(args[0]));
                    }
                    case "setTags" -> {
                        calls.add("tags " + args[1]);
                        @SuppressWarnings("unchecked")
                        Map<String, String> tags = (Map<String, String>) args[1];
                        device = new Device(device.id(), device.productId(), device.name(), true, device.state(), NOW, device.mac(), tags);
                        return device;
                    }
                    case "setMac" -> {
                        calls.add("mac " + args[1]);
                        device = new Device(device.id(), device.productId(), device.name(), true, device.state(), NOW, null, device.tags());
                        return device;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                }
            });
    private final ProductService products = (ProductService) Proxy.newProxyInstance(ProductService.class.getClassLoader(),
            new Class<?>[] {ProductService.class}, (proxy, method, args) -> {
                if (method.getName().equals("findProduct")) {
                    return Optional.of(new Product((String) args[0], null, null, "s", false, ThingModel.EMPTY, null, null, NOW));
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private DeviceResource resource(Caller caller) {
        return Callers.as(caller, new DeviceResource(devices, products, null, null));
    }

    @Test
    void theListsParametersBecomeOneQueryLimitedToTheCallersProducts() {
        // Verifies that product, status, tag (repeated), prefix, cursor and limit make the query; that a caller limited to
        // some products queries those only; that the older online/enabled flags map to statuses; and the page's columns.
        // GIVEN / WHEN
        Page<DeviceView> page = resource(Callers.ADMIN).list("p1", "never-connected", List.of("room=1", "floor=2"), "d", null, null, null,
                "c1", 10);
        resource(Callers.LIMITED_ADMIN).list(null, null, List.of(), null, null, true, null, null, null);
        resource(Callers.ADMIN).list(null, null, List.of(), null, false, null, null, null, null);
        // THEN
        assertThat(calls).containsExactly(new DeviceQuery(Set.of("p1"), DeviceStatus.NEVER_CONNECTED, Map.of("room", "1", "floor", "2"),
                "d", "c1", 10), new DeviceQuery(Set.of("p1"), DeviceStatus.ONLINE, null, null, null, 100),
                new DeviceQuery(null, DeviceStatus.DISABLED, null, null, null, 100));
        assertThat(page.next()).isEqualTo("next-1");
        assertThat(page.items()).singleElement().satisfies(v -> {
            assertThat(v.status()).isEqualTo("never-connected");
            assertThat(v.mac()).isEqualTo("aa:bb:cc:dd:ee:ff");
            assertThat(v.tags()).containsExactly(Map.entry("room", "1"));
            assertThat(v.state().onlineCount()).isZero();
        });
    }

    @Test
    void aBadStatusTagLimitOrFlagCombinationIsAFieldError() {
        // Verifies the refusals of the list's parameters, each naming its field, before anything is asked.
        // GIVEN
        DeviceResource r = resource(Callers.ADMIN);
        // WHEN / THEN
        assertThatThrownBy(() -> r.list(null, "asleep", List.of(), null, null, null, null, null, null)).isInstanceOf(FieldException.class)
                .hasMessageContaining("status 'asleep' is not a device status");
        assertThatThrownBy(() -> r.list(null, null, List.of("room"), null, null, null, null, null, null)).isInstanceOf(FieldException.class)
                .hasMessageContaining("tag 'room' must be written key=value");
        assertThatThrownBy(() -> r.list(null, null, List.of(), null, null, null, null, null, 1001)).isInstanceOf(FieldException.class)
                .hasMessageContaining("limit must be between 1 and 1000");
        assertThatThrownBy(() -> r.list(null, "online", List.of(), null, null, true, null, null, null)).isInstanceOf(FieldException.class)
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> r.list(null, null, List.of(), null, true, false, null, null, null)).isInstanceOf(FieldException.class)
                .hasMessageContaining("name no status");
        assertThatThrownBy(() -> resource(Callers.LIMITED_ADMIN).list("p2", null, List.of(), null, null, null, null, null, null))
                .isInstanceOf(ThingportException.class);
        assertThat(calls).isEmpty();
        assertThatThrownBy(() -> r.list(null, null, List.of(), null, null, null, null, "bad", null)).isInstanceOf(FieldException.class)
                .extracting(e -> ((FieldException) e).field()).isEqualTo("cursor");
    }

    @Test
    void countsAreByStatusWithTheirTotal() {
        // Verifies GET /devices/counts: every status by its label in a fixed order, the total, the filters passed on.
        // GIVEN / WHEN
        CountsView counts = resource(Callers.ADMIN).counts("p1", List.of("room=1"), null, null);
        // THEN
        assertThat(counts.total()).isEqualTo(6);
        assertThat(counts.byStatus()).containsExactly(Map.entry("online", 2L), Map.entry("offline", 0L), Map.entry("never-connected", 3L),
                Map.entry("disabled", 1L));
        assertThat(calls).containsExactly("count " + new DeviceQuery(Set.of("p1"), null, Map.of("room", "1"), null, null, 1));
    }

    @Test
    void tagsAreReplacedOnlyWhileTheyAreAsRead() {
        // Verifies PUT /devices/{id}/tags: the ETag of GET .../tags lets it through, a stale one is 412 and changes nothing;
        // PUT .../mac clears the address.
        // GIVEN
        DeviceResource r = resource(Callers.OPERATOR);
        Response read = r.tags("d1");
        String etag = "\"" + read.getEntityTag().getValue() + "\"";
        // WHEN
        Response put = r.setTags("d1", etag, Map.of("room", "2"));
        // THEN
        assertThat(((TagsView) put.getEntity()).tags()).containsExactly(Map.entry("room", "2"));
        assertThat(put.getEntityTag()).isEqualTo(ETags.of(new TagsView("d1", Map.of("room", "2"))));
        assertThatThrownBy(() -> r.setTags("d1", etag, Map.of("room", "3"))).isInstanceOf(FieldException.class)
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(((DeviceView) r.setMac("d1", null, new MacBody(null)).getEntity()).mac()).isNull();
        assertThat(calls).containsExactly("tags {room=2}", "mac null");
    }
}
