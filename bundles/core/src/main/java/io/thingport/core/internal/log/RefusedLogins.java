package io.thingport.core.internal.log;

import io.thingport.api.device.LogType;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.core.internal.storage.StorageConfiguration;
import io.thingport.core.internal.storage.StorageSettings;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes refused logins to the device log, as {@link RefusalTally} decides: the first of each (source address, device,
 * failure) at once, the next ones counted and written as one entry per {@code refusedLogins.intervalSeconds}. The
 * counts of ended intervals are written within a second by a timer, and whatever is still counted when the platform
 * stops.
 */
@Component(service = RefusedLogins.class)
public final class RefusedLogins {
    private static final Logger LOG = LoggerFactory.getLogger(RefusedLogins.class);
    private final DeviceLogServiceImpl log;
    private final StorageConfiguration config;
    private final LongSupplier clock;
    private final RefusalTally tally = new RefusalTally();
    private final ScheduledExecutorService timer;

    @Activate
    public RefusedLogins(@Reference DeviceLogServiceImpl log, @Reference StorageConfiguration config) {
        this(log, config, System::currentTimeMillis);
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Without a timer: the test calls {@link #flush()} after moving its clock (milliseconds). */
    RefusedLogins(DeviceLogServiceImpl log, StorageConfiguration config, LongSupplier clock) {
        this.log = log;
        this.config = config;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "thingport-refused-logins");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void close() {
        timer.shutdownNow();
        List<RefusalTally.Note> notes;
        synchronized (tally) {
            notes = tally.drain(clock.getAsLong(), config.settings().refusedLoginsMaxTracked());
        }
        write(notes);
    }

    /** A login refused by the gateway or network component {@code via}: written now, or counted. */
    public void refused(String via, AuthRequest request, AuthResult result) {
        String who = result.deviceId() != null ? result.deviceId() : request.clientId();
        RefusalTally.Refusal r = new RefusalTally.Refusal(source(request.remoteAddress()), String.valueOf(request.remoteAddress()), who,
                result.failure().name().toLowerCase(Locale.ROOT), result.detail(), via);
        StorageSettings s = config.settings();
        List<RefusalTally.Note> notes;
        synchronized (tally) {
            notes = tally.refused(r, clock.getAsLong(), s.refusedLoginsInterval().toMillis(), s.refusedLoginsMaxTracked());
        }
        write(notes);
    }

    /** Writes the counts of the intervals that ended. */
    void flush() {
        StorageSettings s = config.settings();
        List<RefusalTally.Note> notes;
        synchronized (tally) {
            notes = tally.due(clock.getAsLong(), s.refusedLoginsInterval().toMillis(), s.refusedLoginsMaxTracked());
        }
        write(notes);
    }

    private void tick() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Writing the counts of refused logins failed (the timer goes on): {}", e.toString());
        }
    }

    /** How many keys are being counted (for tests). */
    int counting() {
        synchronized (tally) {
            return tally.size();
        }
    }

    private void write(List<RefusalTally.Note> notes) {
        for (RefusalTally.Note n : notes) {
            log.write(LogType.AUTH_REFUSED, n.deviceId(), null, "", "", "", "", "", n.detail());
        }
    }

    /** The peer's address without its port: a peer's logins come from a new port each time. */
    private static String source(InetSocketAddress address) {
        if (address == null) {
            return "unknown";
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }
}
