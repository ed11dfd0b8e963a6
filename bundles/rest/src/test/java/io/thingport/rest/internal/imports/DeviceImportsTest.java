package io.thingport.rest.internal.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.ImportFormat;
import io.thingport.api.device.ImportProgress;
import io.thingport.rest.internal.auth.MutableClock;
import io.thingport.rest.internal.imports.ImportJobs.JobError;
import io.thingport.rest.internal.imports.ImportJobs.JobView;
import io.thingport.rest.internal.imports.ImportJobs.Owner;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The imports' thread: jobs run one at a time, their progress and outcome kept, stopped with the API. */
class DeviceImportsTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Owner OPS = new Owner("ops", "user");

    /** What the fake import does with its arguments (content, progress). */
    interface Import {
        List<CreatedDevice> run(String content, ImportProgress progress) throws InterruptedException;
    }

    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private DeviceImports imports;

    @AfterEach
    void tearDown() {
        if (imports != null) {
            imports.close();
        }
    }

    /** A device service whose four-argument import does {@code body}, on whatever thread calls it. */
    private DeviceService devices(Import body) {
        return (DeviceService) Proxy.newProxyInstance(DeviceService.class.getClassLoader(), new Class<?>[] {DeviceService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("importDevices") && args.length == 4) {
                        threads.add(Thread.currentThread().getName());
                        return body.run((String) args[1], (ImportProgress) args[3]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static CreatedDevice created(String id) {
        return new CreatedDevice(new Device(id, "p1", id, true, DeviceState.NEVER_ONLINE, NOW), "secret-" + id);
    }

    /** Polls the job until it matches, failing after 10 s. */
    private JobView awaitJob(String jobId, Predicate<JobView> condition) {
        return Awaitility.await("job " + jobId).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> imports.get(jobId, OPS).orElseThrow(), condition::test);
    }

    @Test
    void aJobRunsOnTheImportThreadShowingItsProgressThenItsDevices() throws Exception {
        // Verifies that a submitted job runs on the imports' own thread, that its progress is visible while it runs and
        // that, done, it holds the created devices.
        // GIVEN an import that reports a phase, then waits for the test
        CountDownLatch goOn = new CountDownLatch(1);
        imports = new DeviceImports(devices((content, progress) -> {
            progress.progress(ImportProgress.CHECKED, 1000, 2000);
            goOn.await(10, TimeUnit.SECONDS);
            progress.progress(ImportProgress.STORED, 2000, 2000);
            return List.of(created("d1"), created("d2"));
        }), new MutableClock(NOW));

        // WHEN a job is submitted and let go on once it has reported
        JobView submitted = imports.submit(OPS, "p1", "id\nd1\nd2\n", ImportFormat.CSV);
        JobView running = awaitJob(submitted.jobId(), j -> j.done() == 1000);
        goOn.countDown();
        JobView done = awaitJob(submitted.jobId(), j -> j.state().equals(ImportJobs.DONE));

        // THEN it was seen running at its report, and ends with the devices, run on the import thread
        assertThat(submitted.jobId()).matches("[0-9a-f]{32}");
        assertThat(running.state()).isEqualTo(ImportJobs.RUNNING);
        assertThat(running.phase()).isEqualTo(ImportProgress.CHECKED);
        assertThat(done.created()).isEqualTo(2);
        assertThat(done.devices()).extracting(ImportJobs.DeviceSecret::secret).containsExactly("secret-d1", "secret-d2");
        assertThat(done.phase()).isEqualTo(ImportProgress.STORED);
        assertThat(threads).containsExactly("thingport-device-import");
    }

    @Test
    void aRefusedImportFailsWithItsCodeAndMessage() throws Exception {
        // Verifies that an import the platform refuses ends the job failed with the refusal's code and message, and
        // that any other failure is answered without its details.
        // GIVEN imports that refuse a row, or fail on a bug
        imports = new DeviceImports(devices((content, progress) -> {
            if (content.contains("bad")) {
                throw ThingportException.invalidArgument("1 problem(s), no device was imported:\n  line 2: bad");
            }
            throw new NullPointerException("a bug");
        }), new MutableClock(NOW));

        // WHEN they run
        String refused = imports.submit(OPS, "p1", "id\nbad\n", ImportFormat.CSV).jobId();
        String broken = imports.submit(OPS, "p1", "id\nd1\n", ImportFormat.CSV).jobId();

        // THEN each job failed with its error
        assertThat(awaitJob(refused, j -> j.state().equals(ImportJobs.FAILED)).error())
                .isEqualTo(new JobError("invalid_argument", "1 problem(s), no device was imported:\n  line 2: bad"));
        assertThat(awaitJob(broken, j -> j.state().equals(ImportJobs.FAILED)).error())
                .isEqualTo(new JobError("internal", "internal error: see the platform's log"));
    }

    @Test
    void oneJobRunsFourWaitAndMoreAreRefusedUntilTheStopInterruptsTheRunningOne() throws Exception {
        // Verifies the bounds with the real thread: one import runs, four wait, a sixth is refused (UNAVAILABLE); closing
        // interrupts the running one (its job fails) and refuses further jobs.
        // GIVEN an import that runs until interrupted
        CountDownLatch running = new CountDownLatch(1);
        imports = new DeviceImports(devices((content, progress) -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                throw new ThingportException(ErrorCode.INTERNAL, "interrupted while waiting for storage; nothing was stored");
            }
            return List.of();
        }), new MutableClock(NOW));
        String first = imports.submit(OPS, "p1", "id\nd1\n", ImportFormat.CSV).jobId();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        // WHEN four more are submitted, then a sixth; then the imports are closed and one more comes
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(imports.submit(OPS, "p1", "id\nd1\n", ImportFormat.CSV).jobId());
        }
        assertThatThrownBy(() -> imports.submit(OPS, "p1", "id\nd1\n", ImportFormat.CSV))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("(4)");
        imports.close();

        // THEN the running job failed as interrupted, the waiting ones without running, and a job after the stop is refused
        assertThat(imports.get(first, OPS).orElseThrow().error().message()).contains("interrupted");
        for (String id : waiting) {
            assertThat(imports.get(id, OPS).orElseThrow().error())
                    .isEqualTo(new JobError("unavailable", "the Open API stopped before the import started; nothing was imported"));
        }
        assertThatThrownBy(() -> imports.submit(OPS, "p1", "id\nd1\n", ImportFormat.CSV))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("stopping");
    }
}
