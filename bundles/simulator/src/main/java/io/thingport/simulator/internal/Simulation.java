package io.thingport.simulator.internal;

import io.netty.channel.EventLoop;
import io.thingport.api.device.Device;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.Product;
import io.thingport.api.simulation.LatencySummary;
import io.thingport.api.simulation.SimulationRequest;
import io.thingport.api.simulation.SimulationStatus;
import io.thingport.simulator.engine.LatencyHistogram;
import io.thingport.simulator.engine.RatePacer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load simulation, on its own thread: create the throw-away devices (when asked), connect the devices, pace
 * reports at the total rate over the connected devices for the duration ({@link RatePacer}, as the benchmark does),
 * wait for the last acknowledgements, disconnect, delete what it created. Its counters and latency histogram are
 * read at any time for the progress line.
 */
final class Simulation implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);
    private static final long CONNECT_WAIT_MS = 15_000;
    private static final long DRAIN_MS = 5_000;

    final String id;
    private final SimulationRequest request;
    private final Product product;
    private final List<String> existing;
    private final SimulatorEngine engine;
    private final MqttTargets.Target target;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger resolved = new AtomicInteger();
    private final LongAdder sent = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final List<VirtualDevice> devices = new ArrayList<>();
    private final Instant started = Instant.now();
    private volatile long reportingStartNanos;
    private volatile long reportingEndNanos;
    private volatile String state = "starting";
    private volatile String detail = "";
    private volatile boolean cancelled;
    /** The devices are being stopped: what they hear now is the end, not an error. */
    private volatile boolean ending;

    /** @param existing the devices to use, or empty to create {@code request.devices()} throw-away ones */
    Simulation(String id, SimulationRequest request, Product product, List<String> existing, SimulatorEngine engine,
               MqttTargets.Target target) {
        this.id = id;
        this.request = request;
        this.product = product;
        this.existing = List.copyOf(existing);
        this.engine = engine;
        this.target = target;
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public void run() {
        List<String> created = new ArrayList<>();
        try {
            List<String> ids = existing;
            if (request.create()) {
                for (int i = 1; i <= request.devices() && !cancelled; i++) {
                    String deviceId = String.format("sim-%s-%04d", id, i);
                    engine.devices.createDevice(new NewDevice(deviceId, product.id(), "simulated (" + id + ")", null));
                    created.add(deviceId);
                }
                ids = created;
            }
            connectAll(ids);
            if (!cancelled) {
                state = "running";
                pace();
            }
            state = "draining";
            long drainEnd = System.nanoTime() + DRAIN_MS * 1_000_000;
            while (outstanding() > 0 && System.nanoTime() < drainEnd) {
                LockSupport.parkNanos(10_000_000L);
            }
            state = cancelled ? "cancelled" : "finished";
        } catch (RuntimeException e) {
            LOG.warn("Simulation {} failed: {}", id, e.toString());
            detail = e.getMessage();
            state = "failed";
        } finally {
            String end = state;
            errors.add(Math.max(0, outstanding()));
            ending = true;
            devices.forEach(VirtualDevice::stop);
            if (!created.isEmpty()) {
                state = "cleaning-up";
                deleteAll(created);
            }
            state = end;
            LOG.info("Simulation {} {}: sent={} acked={} errors={}", id, end, sent.sum(), acked.sum(), errors.sum());
        }
    }

    private void connectAll(List<String> ids) {
        VirtualDevice.Observer observer = new Observer();
        for (String deviceId : ids) {
            VirtualDevice d = new VirtualDevice(deviceId, product, Map.of(), Duration.ZERO, engine, target, observer);
            devices.add(d);
            d.start();
        }
        long deadline = System.currentTimeMillis() + CONNECT_WAIT_MS;
        while (resolved.get() < devices.size() && System.currentTimeMillis() < deadline && !cancelled) {
            LockSupport.parkNanos(10_000_000L);
        }
        if (connected.get() == 0) {
            throw new IllegalStateException("no device logged in to " + target.component() + " within " + CONNECT_WAIT_MS / 1000
                    + " s (see iot:device-log and the system log)");
        }
    }

    /** Hands out due reports round-robin over the connected devices, batched per event loop, until the end. */
    private void pace() {
        RatePacer pacer = new RatePacer(request.rate());
        long start = System.nanoTime();
        reportingStartNanos = start;
        long end = start + request.duration().toNanos();
        int cursor = 0;
        int n = devices.size();
        while (!cancelled) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            long due = pacer.due(now - start);
            Map<EventLoop, List<VirtualDevice>> batches = new IdentityHashMap<>();
            for (long i = 0; i < due; i++) {
                VirtualDevice picked = null;
                for (int step = 0; step < n && connected.get() > 0; step++) {
                    VirtualDevice d = devices.get(cursor);
                    cursor = cursor + 1 == n ? 0 : cursor + 1;
                    if (d.connected()) {
                        picked = d;
                        break;
                    }
                }
                if (picked == null) {
                    break; // nobody online: the report is not sent (and not counted as sent)
                }
                batches.computeIfAbsent(picked.loop(), k -> new ArrayList<>()).add(picked);
            }
            batches.forEach((loop, batch) -> loop.execute(() -> {
                for (VirtualDevice d : batch) {
                    if (d.report()) {
                        sent.increment();
                    }
                }
            }));
            LockSupport.parkNanos(2_000_000L);
        }
        reportingEndNanos = System.nanoTime();
    }

    private void deleteAll(List<String> created) {
        for (String deviceId : created) {
            try {
                engine.devices.deleteDevice(deviceId);
            } catch (RuntimeException e) {
                LOG.warn("Simulation {}: could not delete throw-away device {}: {}", id, deviceId, e.getMessage());
                detail = "could not delete every throw-away device (" + e.getMessage() + ")";
            }
        }
    }

    private long outstanding() {
        return sent.sum() - acked.sum() - dropped.sum();
    }

    SimulationStatus status() {
        long startN = reportingStartNanos;
        long endN = reportingEndNanos == 0 ? System.nanoTime() : reportingEndNanos;
        double reportingS = startN == 0 ? 0 : (endN - startN) / 1e9;
        long ack = acked.sum();
        LatencySummary l = latency.count() == 0 ? LatencySummary.NONE : new LatencySummary(latency.count(),
                latency.percentileMs(50), latency.percentileMs(90), latency.percentileMs(99), latency.percentileMs(99.9),
                latency.maxUs() / 1000.0);
        return new SimulationStatus(id, product.id(), state, detail, request.devices(), connected.get(), request.rate(),
                request.duration(), started, Duration.between(started, Instant.now()), sent.sum(), ack, errors.sum(),
                reportingS > 0 ? ack / reportingS : 0, l, request.create());
    }

    /** Counts what the devices hear, on their event loops. */
    private final class Observer implements VirtualDevice.Observer {
        @Override
        public void loggedIn(long connectNanos) {
            connected.incrementAndGet();
            resolved.incrementAndGet();
        }

        @Override
        public void loginFailed(String why) {
            errors.increment();
            resolved.incrementAndGet();
            detail = why;
        }

        @Override
        public void reportAcked(long latencyNanos) {
            acked.increment();
            latency.recordNanos(latencyNanos);
        }

        @Override
        public void reportDropped() {
            dropped.increment();
            if (ending) {
                return;
            }
            errors.increment();
        }

        @Override
        public void sessionLost(String why) {
            connected.decrementAndGet();
            if (ending) {
                return;
            }
            errors.increment();
            detail = why;
        }
    }

    /** The devices a simulation without {@code create} uses: the product's first enabled ones. */
    static List<String> pick(List<Device> productDevices, int count) {
        return productDevices.stream().filter(Device::enabled).map(Device::id).sorted().limit(count).toList();
    }
}
