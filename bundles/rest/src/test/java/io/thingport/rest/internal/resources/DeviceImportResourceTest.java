package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.ImportProgress;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.api.model.ThingModel;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.imports.DeviceImports;
import io.thingport.rest.internal.imports.ImportJobs;
import io.thingport.rest.internal.imports.ImportJobs.JobView;
import io.thingport.rest.internal.resources.DeviceResource.CreatedDeviceView;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.ws.rs.core.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /devices/import} synchronous and with {@code async=true}, and {@code GET /devices/imports/{jobId}}. */
class DeviceImportResourceTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final byte[] CSV = "id\nd1\n".getBytes(StandardCharsets.UTF_8);

    private final DeviceService devices = (DeviceService) Proxy.newProxyInstance(DeviceService.class.getClassLoader(),
            new Class<?>[] {DeviceService.class}, (proxy, method, args) -> {
                if (method.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                if (method.getName().equals("importDevices")) {
                    ((ImportProgress) args[3]).progress(ImportProgress.CHECKED, 1, 1);
                    Device d1 = new Device("d1", (String) args[0], "d1", true, DeviceState.NEVER_ONLINE, NOW);
                    return List.of(new CreatedDevice(d1, "secret-d1"));
                }
                throw new UnsupportedOperationException(method.getName());
            });
    private final ProductService products = (ProductService) Proxy.newProxyInstance(ProductService.class.getClassLoader(),
            new Class<?>[] {ProductService.class}, (proxy, method, args) -> {
                if (method.getName().equals("findProduct")) {
                    return Optional.of(new Product((String) args[0], null, null, "s", false, ThingModel.EMPTY, null, null, NOW))
                            .filter(p -> !p.id().equals("nope"));
                }
                throw new UnsupportedOperationException(method.getName());
            });
    private final DeviceImports imports = new DeviceImports(devices, Clock.systemUTC());

    @AfterEach
    void tearDown() {
        imports.close();
    }

    private DeviceResource resource(Caller caller) {
        return Callers.as(caller, new DeviceResource(devices, products, null, imports));
    }

    /** Polls the job as {@code caller} until it has ended, failing after 10 s. */
    private JobView ended(Caller caller, String jobId) {
        return Awaitility.await("job " + jobId).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> resource(caller).importJob(jobId),
                        job -> job.state().equals(ImportJobs.DONE) || job.state().equals(ImportJobs.FAILED));
    }

    @Test
    void withoutAsyncTheImportAnswersTheCreatedDevices() {
        // Verifies that the endpoint stays synchronous without async (or with async=false): 200 with the devices.
        // GIVEN an operator
        DeviceResource resource = resource(Callers.OPERATOR);

        // WHEN a file is imported without async and with async=false
        Response plain = resource.importDevices("p1", "csv", null, CSV);
        Response notAsync = resource.importDevices("p1", "csv", "false", CSV);

        // THEN both answer the devices with their secrets
        for (Response r : List.of(plain, notAsync)) {
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getEntity()).asList().extracting(d -> ((CreatedDeviceView) d).secret()).containsExactly("secret-d1");
        }
    }

    @Test
    void asyncAnswers202WithTheJobItsCallerThenFollowsToTheDevices() throws Exception {
        // Verifies async=true: 202 at once with the job (queued or running) and its address in Location, then the job
        // done with the devices, seen by its caller only (another caller, even of the same name as an application,
        // gets 404).
        // GIVEN an operator
        DeviceResource resource = resource(Callers.OPERATOR);

        // WHEN the file is imported asynchronously and the job polled
        Response accepted = resource.importDevices("p1", "csv", "true", CSV);
        JobView job = (JobView) accepted.getEntity();
        JobView done = ended(Callers.OPERATOR, job.jobId());

        // THEN the job was accepted, ended done with the device, and no one else sees it
        assertThat(accepted.getStatus()).isEqualTo(202);
        assertThat(accepted.getLocation()).hasToString("devices/imports/" + job.jobId());
        assertThat(job.state()).isIn(ImportJobs.QUEUED, ImportJobs.RUNNING);
        assertThat(job.productId()).isEqualTo("p1");
        assertThat(done.state()).isEqualTo(ImportJobs.DONE);
        assertThat(done.created()).isEqualTo(1);
        assertThat(done.devices()).extracting(ImportJobs.DeviceSecret::secret).containsExactly("secret-d1");
        for (Caller other : List.of(Callers.ADMIN, new Caller("ops", Caller.APPLICATION, Role.OPERATOR, Set.of()))) {
            assertThatThrownBy(() -> resource(other).importJob(job.jobId()))
                    .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessage("device import " + job.jobId() + " does not exist");
        }
    }

    @Test
    void productGrantsAndParametersAreCheckedBeforeAJobIsMade() {
        // Verifies that the async form refuses as the synchronous one does, before queuing anything: a product outside
        // the caller's grants or unknown (404), a bad format, a bad async value (400 naming the field).
        // GIVEN a caller limited to product p1
        Caller limited = new Caller("app-1", Caller.APPLICATION, Role.OPERATOR, Set.of("p1"));

        // WHEN / THEN
        assertThatThrownBy(() -> resource(limited).importDevices("p2", "csv", "true", CSV))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> resource(Callers.OPERATOR).importDevices("nope", "csv", "true", CSV))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> resource(Callers.OPERATOR).importDevices("p1", "xml", "true", CSV))
                .isInstanceOfSatisfying(FieldException.class, e -> assertThat(e.field()).isEqualTo("format"));
        assertThatThrownBy(() -> resource(Callers.OPERATOR).importDevices("p1", "csv", "yes", CSV))
                .isInstanceOfSatisfying(FieldException.class, e -> assertThat(e.field()).isEqualTo("async"));
    }

    @Test
    void aJobOfAProductNoLongerGrantedIsNotShown() throws Exception {
        // Verifies that the job's product must still be granted to its caller when polled (same 404 as for a product
        // outside the grants).
        // GIVEN a job of an application granted p1
        Caller granted = new Caller("app-1", Caller.APPLICATION, Role.OPERATOR, Set.of("p1"));
        String jobId = ((JobView) resource(granted).importDevices("p1", "csv", "true", CSV).getEntity()).jobId();
        ended(granted, jobId);

        // WHEN the same application, now granted p2 only, polls it
        Caller regranted = new Caller("app-1", Caller.APPLICATION, Role.OPERATOR, Set.of("p2"));

        // THEN it is not found
        assertThatThrownBy(() -> resource(regranted).importJob(jobId))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
