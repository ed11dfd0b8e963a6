package io.thingport.simulator.internal;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.Product;
import io.thingport.api.simulation.SimulationRequest;
import io.thingport.api.simulation.SimulationService;
import io.thingport.api.simulation.SimulationStatus;
import io.thingport.api.simulation.VirtualDeviceInfo;
import io.thingport.api.simulation.VirtualDeviceService;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs one simulation at a time and remembers the last {@link #HISTORY} ones. A simulation running when the component
 * stops is cancelled and waited for (its throw-away devices are deleted).
 */
@Component(service = SimulationService.class)
public final class SimulationServiceImpl implements SimulationService {
    static final int HISTORY = 10;
    private static final long STOP_WAIT_MS = 30_000;

    private final SimulatorEngine engine;
    private final VirtualDeviceService virtualDevices;
    private final Deque<Simulation> simulations = new ArrayDeque<>();
    private Thread current;
    private Simulation running;

    @Activate
    public SimulationServiceImpl(@Reference SimulatorEngine engine, @Reference VirtualDeviceService virtualDevices) {
        this.engine = engine;
        this.virtualDevices = virtualDevices;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = current;
            if (running != null) {
                running.cancel();
            }
        }
        if (t != null) {
            t.join(STOP_WAIT_MS);
        }
    }

    @Override
    public synchronized SimulationStatus start(SimulationRequest request) {
        Objects.requireNonNull(request, "request");
        if (current != null && current.isAlive()) {
            throw new ThingportException(ErrorCode.UNAVAILABLE, "simulation " + running.id + " is running: one runs at a time"
                    + " (iot:simulate waits for it; DELETE /api/v1/simulations/" + running.id + " cancels it)");
        }
        engine.limits.checkSimulation(request);
        Product product = engine.products.getProduct(request.productId());
        MqttTargets.Target target = engine.target(product);
        List<String> existing = List.of();
        if (!request.create()) {
            // a device running as a virtual device already would lose its connection to its own twin (same client id)
            Set<String> virtual = virtualDevices.list().stream().map(VirtualDeviceInfo::deviceId).collect(Collectors.toSet());
            existing = Simulation.pick(engine.devices.listDevices(product.id()).stream().filter(d -> !virtual.contains(d.id())).toList(),
                    request.devices());
            if (existing.size() < request.devices()) {
                throw new ThingportException(ErrorCode.CONFLICT, "product " + product.id() + " has " + existing.size()
                        + " enabled devices that are not virtual devices, fewer than the " + request.devices() + " asked for:"
                        + " ask for fewer or let the simulation create throw-away devices (--create)");
            }
        }
        String id = Long.toString(System.currentTimeMillis(), 36);
        Simulation s = new Simulation(id, request, product, existing, engine, target);
        simulations.addFirst(s);
        while (simulations.size() > HISTORY) {
            simulations.removeLast();
        }
        running = s;
        current = new Thread(s, "thingport-simulation-" + id);
        current.setDaemon(true);
        current.start();
        return s.status();
    }

    @Override
    public synchronized SimulationStatus get(String simulationId) {
        return find(simulationId).status();
    }

    @Override
    public synchronized List<SimulationStatus> list() {
        return simulations.stream().map(Simulation::status).toList();
    }

    @Override
    public synchronized SimulationStatus cancel(String simulationId) {
        Simulation s = find(simulationId);
        s.cancel();
        return s.status();
    }

    private Simulation find(String simulationId) {
        return simulations.stream().filter(s -> s.id.equals(simulationId)).findFirst()
                .orElseThrow(() -> ThingportException.notFound("simulation", simulationId));
    }
}
