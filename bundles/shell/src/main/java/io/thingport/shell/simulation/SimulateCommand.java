package io.thingport.shell.simulation;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.simulation.SimulationRequest;
import io.thingport.api.simulation.SimulationService;
import io.thingport.api.simulation.SimulationStatus;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import io.thingport.shell.support.ProgressLine;
import io.thingport.shell.support.Values;
import java.time.Duration;
import org.apache.felix.service.command.Process;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

@Command(scope = "iot", name = "simulate", description = "Runs N virtual devices of a product as a load generator",
        detailedDescription = "The devices report at --rate reports per second in total for --duration, over the platform's"
                + " MQTT server, with the benchmark's engine; a live line shows sent, acknowledged, errors and rate, the"
                + " summary the latency percentiles (publish to PUBACK). Ctrl-C cancels.\n"
                + "Example: iot:simulate --product thermo --devices 10 --rate 100 --duration 30 --create")
@Service
public class SimulateCommand extends IotCommand {
    private static final long POLL_MS = 1_000;
    /** Off a terminal, a progress line this often. */
    private static final long PLAIN_EVERY_MS = 10_000;

    @Reference
    SimulationService simulations;

    @Reference
    Session session;

    @Option(name = "--product", description = "Product of the devices", required = true)
    @Completion(ProductIdCompleter.class)
    String productId;

    @Option(name = "--devices", description = "How many devices", required = true)
    int devices;

    @Option(name = "--rate", description = "Reports per second over all devices", required = true)
    double rate;

    @Option(name = "--duration", description = "Seconds (or ISO-8601, PT1M) the devices report", required = true)
    String duration;

    @Option(name = "--create", description = "Create throw-away devices (deleted afterwards) instead of using the product's own")
    boolean create;

    @Override
    protected Object run() throws Exception {
        Duration d = Values.seconds("--duration", duration);
        SimulationStatus s = simulations.start(new SimulationRequest(productId, devices, rate, d, create));
        ProgressLine progress = new ProgressLine(System.err, ProgressLine.isTerminal(Process.Utils.current(),
                session == null ? null : session.getTerminal()));
        long lastPlain = 0;
        try {
            while (!s.done()) {
                Thread.sleep(POLL_MS); // a shell command polling its job: the operator watches this line
                s = simulations.get(s.id());
                long now = System.currentTimeMillis();
                if (progress.terminal() || now - lastPlain >= PLAIN_EVERY_MS || s.done()) {
                    progress.show(VirtualDevices.progress(s));
                    lastPlain = now;
                }
            }
        } catch (InterruptedException e) {
            progress.finish();
            println("Cancelling simulation " + s.id());
            simulations.cancel(s.id());
            Thread.currentThread().interrupt();
            return null;
        } finally {
            progress.finish();
        }
        System.out.print(VirtualDevices.summary(s));
        if ("failed".equals(s.state())) {
            throw new ThingportException(ErrorCode.UNAVAILABLE, "simulation " + s.id() + " failed: " + s.detail());
        }
        return null;
    }
}
