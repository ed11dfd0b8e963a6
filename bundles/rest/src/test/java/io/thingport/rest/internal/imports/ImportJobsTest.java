package io.thingport.rest.internal.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceState;
import io.thingport.rest.internal.auth.MutableClock;
import io.thingport.rest.internal.imports.ImportJobs.DeviceSecret;
import io.thingport.rest.internal.imports.ImportJobs.JobError;
import io.thingport.rest.internal.imports.ImportJobs.JobView;
import io.thingport.rest.internal.imports.ImportJobs.Owner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bookkeeping of the API's asynchronous device imports, on a clock the test moves. */
class ImportJobsTest {
    private static final Instant START = Instant.parse("2026-12-03T10:00:00Z");
    private static final Owner OPS = new Owner("ops", "user");

    private final MutableClock clock = new MutableClock(START);
    private final AtomicInteger next = new AtomicInteger();
    private final ImportJobs jobs = new ImportJobs(clock, 4, 64, Duration.ofMinutes(10), () -> "job" + next.incrementAndGet());

    private static CreatedDevice created(String id, String secret) {
        return new CreatedDevice(new Device(id, "p1", id, true, DeviceState.NEVER_ONLINE, START), secret);
    }

    private JobView view(String jobId) {
        return jobs.get(jobId, OPS).orElseThrow();
    }

    @Test
    void aJobGoesFromQueuedThroughItsProgressToDoneWithItsDevices() {
        // Verifies the life of a job as its owner sees it: queued without a phase, running with the progress last
        // reported, done with the devices and their secrets, the times of each step.
        // GIVEN a submitted job
        JobView queued = jobs.submit(OPS, "p1");

        // WHEN it starts, reports, and ends with two devices
        clock.advance(Duration.ofSeconds(1));
        jobs.started(queued.jobId());
        jobs.progress(queued.jobId(), "checked", 2, 2);
        jobs.progress(queued.jobId(), "stored", 1, 2);
        JobView running = view(queued.jobId());
        clock.advance(Duration.ofSeconds(1));
        jobs.done(queued.jobId(), List.of(created("d1", "secret-1"), created("d2", "secret-2")));
        JobView done = view(queued.jobId());

        // THEN each view says where it was
        assertThat(queued).isEqualTo(new JobView("job1", "p1", ImportJobs.QUEUED, null, 0, 0, 0, null, null, START, null, null));
        assertThat(running).isEqualTo(new JobView("job1", "p1", ImportJobs.RUNNING, "stored", 1, 2, 0, null, null, START,
                START.plusSeconds(1), null));
        assertThat(done).isEqualTo(new JobView("job1", "p1", ImportJobs.DONE, "stored", 1, 2, 2,
                List.of(new DeviceSecret("d1", "secret-1"), new DeviceSecret("d2", "secret-2")), null, START,
                START.plusSeconds(1), START.plusSeconds(2)));
        assertThat(done.devices().get(0).toString()).doesNotContain("secret-1");
    }

    @Test
    void aFailedJobHasItsErrorAndNoDevicesAndLaterReportsChangeNothing() {
        // Verifies a failed job: its error's code and message, no devices; a report or end after it ended is ignored.
        // GIVEN a running job
        String id = jobs.submit(OPS, "p1").jobId();
        jobs.started(id);
        jobs.progress(id, "checked", 1000, 3000);

        // WHEN it fails, then hears more
        jobs.failed(id, "invalid_argument", "line 7: device id 'bad id' ...");
        jobs.progress(id, "checked", 2000, 3000);
        jobs.done(id, List.of(created("d1", "secret-1")));

        // THEN it stays failed as it ended
        JobView failed = view(id);
        assertThat(failed.state()).isEqualTo(ImportJobs.FAILED);
        assertThat(failed.error()).isEqualTo(new JobError("invalid_argument", "line 7: device id 'bad id' ..."));
        assertThat(failed.devices()).isNull();
        assertThat(failed.created()).isZero();
        assertThat(failed.done()).isEqualTo(1000);
    }

    @Test
    void onlyTheCallerWhoStartedAJobSeesIt() {
        // Verifies that a job is visible to the same caller name and kind only: another user, an application of the same
        // name, and an unknown id all see nothing.
        // GIVEN a job of user ops
        String id = jobs.submit(OPS, "p1").jobId();

        // WHEN / THEN only ops sees it
        assertThat(jobs.get(id, new Owner("ops", "user"))).isPresent();
        assertThat(jobs.get(id, new Owner("ops", "application"))).isEmpty();
        assertThat(jobs.get(id, new Owner("admin", "user"))).isEmpty();
        assertThat(jobs.get("nope", OPS)).isEmpty();
    }

    @Test
    void atMostFourJobsWaitAndAFifthIsRefusedNamingTheBound() {
        // Verifies the queue's bound: four queued jobs, a fifth refused with UNAVAILABLE naming the bound; once one has
        // started another may wait.
        // GIVEN four queued jobs
        List<String> queued = List.of(jobs.submit(OPS, "p1").jobId(), jobs.submit(OPS, "p1").jobId(),
                jobs.submit(OPS, "p1").jobId(), jobs.submit(OPS, "p1").jobId());

        // WHEN a fifth comes, then the first starts and another comes
        assertThatThrownBy(() -> jobs.submit(OPS, "p1"))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("the most there may be (4)");
        jobs.started(queued.get(0));
        JobView later = jobs.submit(OPS, "p1");

        // THEN that one is taken
        assertThat(later.state()).isEqualTo(ImportJobs.QUEUED);
        assertThat(jobs.held()).isEqualTo(5);
    }

    @Test
    void anEndedJobIsKeptTenMinutesAndARunningOneUntilItEnds() {
        // Verifies that a job is forgotten 10 minutes after it ended, not before, and that a job still running (or
        // queued) is kept however long it takes.
        // GIVEN a job that ends now and one that runs on
        String ended = jobs.submit(OPS, "p1").jobId();
        String running = jobs.submit(OPS, "p1").jobId();
        jobs.started(ended);
        jobs.failed(ended, "internal", "storage failure");
        jobs.started(running);

        // WHEN the clock moves to just before, then to, 10 minutes after the end, then hours on
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        boolean keptBefore = jobs.get(ended, OPS).isPresent();
        clock.advance(Duration.ofMillis(1));
        boolean keptAt = jobs.get(ended, OPS).isPresent();
        clock.advance(Duration.ofHours(5));

        // THEN the ended one is gone at 10 minutes, the running one stays
        assertThat(keptBefore).isTrue();
        assertThat(keptAt).isFalse();
        assertThat(jobs.get(running, OPS)).map(JobView::state).contains(ImportJobs.RUNNING);
    }

    @Test
    void atMostSoManyJobsAreHeldTheOnesThatEndedFirstForgottenFirst() {
        // Verifies the bound on held jobs: a new job makes room by forgetting the job that ended first (not the one
        // submitted first), never an unfinished one.
        // GIVEN a bookkeeping of at most 4 jobs (1 waiting): j1 runs, j2 and j3 ended (j3 first), j4 ended
        ImportJobs small = new ImportJobs(clock, 1, 4, Duration.ofMinutes(10), () -> "j" + next.incrementAndGet());
        String j1 = small.submit(OPS, "p1").jobId();
        small.started(j1);
        String j2 = small.submit(OPS, "p1").jobId();
        small.started(j2);
        String j3 = small.submit(OPS, "p1").jobId();
        small.started(j3);
        small.failed(j3, "internal", "x");
        clock.advance(Duration.ofSeconds(1));
        small.failed(j2, "internal", "x");
        String j4 = small.submit(OPS, "p1").jobId();
        small.started(j4);
        clock.advance(Duration.ofSeconds(1));
        small.done(j4, List.of());

        // WHEN two more come
        String j5 = small.submit(OPS, "p1").jobId();
        small.started(j5);
        String j6 = small.submit(OPS, "p1").jobId();

        // THEN j3, then j2 were forgotten; the running j1 and j5 stay
        assertThat(small.held()).isEqualTo(4);
        assertThat(List.of(j1, j2, j3, j4, j5, j6)).filteredOn(id -> small.get(id, OPS).isPresent())
                .containsExactly(j1, j4, j5, j6);
    }
}
