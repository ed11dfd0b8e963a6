package io.thingport.rest.internal.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.thingport.api.ErrorCode;
import io.thingport.api.Secrets;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CreatedDevice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The API's asynchronous device imports and where each is: bookkeeping only, no threads ({@link DeviceImports} runs
 * them). A job is {@code queued}, then {@code running}, then {@code done} or {@code failed}. At most {@code maxWaiting}
 * jobs are queued at a time (one more is refused with {@code UNAVAILABLE}); a job is shown only to the caller who
 * started it (same name and kind), and is forgotten {@code keep} after it ended; at most {@code maxHeld} jobs are held,
 * the ones that ended first forgotten first to make room.
 */
public final class ImportJobs {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    /** Who started a job: only they see it. */
    public record Owner(String name, String kind) {
    }

    /** A device the import created, with its secret (shown to the job's owner while the job is held). */
    public record DeviceSecret(String id, String secret) {
        /** As the generated one, but the secret masked ({@link Secrets#mask}). */
        @Override
        public String toString() {
            return "DeviceSecret[id=" + id + ", secret=" + Secrets.mask(secret) + "]";
        }
    }

    /** Why a job failed: the API's error code and message. */
    public record JobError(String code, String message) {
    }

    /**
     * A job as the API shows it: {@code phase}, {@code done} and {@code total} as the import last reported them
     * ({@code checked}, then {@code stored}); {@code devices} only once done, {@code error} only once failed.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobView(String jobId, String productId, String state, String phase, int done, int total, int created,
            List<DeviceSecret> devices, JobError error, Instant submittedAt, Instant startedAt, Instant finishedAt) {
    }

    private static final class Job {
        final String id;
        final Owner owner;
        final String productId;
        final Instant submittedAt;
        String state = QUEUED;
        String phase;
        int done;
        int total;
        List<DeviceSecret> devices;
        JobError error;
        Instant startedAt;
        Instant finishedAt;

        Job(String id, Owner owner, String productId, Instant submittedAt) {
            this.id = id;
            this.owner = owner;
            this.productId = productId;
            this.submittedAt = submittedAt;
        }

        boolean ended() {
            return finishedAt != null;
        }

        JobView view() {
            return new JobView(id, productId, state, phase, done, total, devices == null ? 0 : devices.size(), devices, error,
                    submittedAt, startedAt, finishedAt);
        }
    }

    private final Clock clock;
    private final int maxWaiting;
    private final int maxHeld;
    private final Duration keep;
    private final Supplier<String> ids;
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    /**
     * @param ids new job ids, never one in use (lower-case hex digits: what {@code GET /devices/imports/{jobId}}
     *            matches)
     */
    public ImportJobs(Clock clock, int maxWaiting, int maxHeld, Duration keep, Supplier<String> ids) {
        if (maxHeld <= maxWaiting + 1) {
            throw new IllegalArgumentException("hold more jobs (" + maxHeld + ") than can be unfinished (" + (maxWaiting + 1)
                    + ")");
        }
        this.clock = clock;
        this.maxWaiting = maxWaiting;
        this.maxHeld = maxHeld;
        this.keep = keep;
        this.ids = ids;
    }

    /**
     * A new queued job of {@code owner}.
     *
     * @throws ThingportException {@code UNAVAILABLE} when {@code maxWaiting} jobs are queued already
     */
    public synchronized JobView submit(Owner owner, String productId) {
        forgetExpired();
        long waiting = jobs.values().stream().filter(j -> QUEUED.equals(j.state)).count();
        if (waiting >= maxWaiting) {
            throw new ThingportException(ErrorCode.UNAVAILABLE, waiting + " device imports are waiting already, the most"
                    + " there may be (" + maxWaiting + "): try again once one has started");
        }
        while (jobs.size() >= maxHeld) {
            Job oldest = jobs.values().stream().filter(Job::ended).min(Comparator.comparing(j -> j.finishedAt)).orElseThrow();
            jobs.remove(oldest.id);
        }
        Job job = new Job(ids.get(), owner, productId, clock.instant());
        jobs.put(job.id, job);
        return job.view();
    }

    /** The job, when {@code owner} started it and it is still held. */
    public synchronized Optional<JobView> get(String jobId, Owner owner) {
        forgetExpired();
        Job job = jobs.get(jobId);
        return job == null || !job.owner.equals(owner) ? Optional.empty() : Optional.of(job.view());
    }

    /** The job left the queue: it runs. */
    public synchronized void started(String jobId) {
        update(jobId, j -> {
            j.state = RUNNING;
            j.startedAt = clock.instant();
        });
    }

    /** How far the running job has come. */
    public synchronized void progress(String jobId, String phase, int done, int total) {
        update(jobId, j -> {
            j.phase = phase;
            j.done = done;
            j.total = total;
        });
    }

    /** The job created these devices. */
    public synchronized void done(String jobId, List<CreatedDevice> created) {
        update(jobId, j -> {
            j.state = DONE;
            j.devices = created.stream().map(c -> new DeviceSecret(c.device().id(), c.secret())).toList();
            j.finishedAt = clock.instant();
        });
    }

    /** The job ended with an error; nothing was imported. */
    public synchronized void failed(String jobId, String code, String message) {
        update(jobId, j -> {
            j.state = FAILED;
            j.error = new JobError(code, message);
            j.finishedAt = clock.instant();
        });
    }

    /** Forgets a job that will never run (it could not be queued). */
    public synchronized void forget(String jobId) {
        jobs.remove(jobId);
    }

    /** How many jobs are held (tests, diagnostics). */
    public synchronized int held() {
        forgetExpired();
        return jobs.size();
    }

    private void update(String jobId, Consumer<Job> change) {
        Job job = jobs.get(jobId);
        if (job != null && !job.ended()) {
            change.accept(job);
        }
    }

    private void forgetExpired() {
        Instant now = clock.instant();
        jobs.values().removeIf(j -> j.ended() && !j.finishedAt.plus(keep).isAfter(now));
    }
}
