package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.protocol.AuthContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The platform's replay guard for logins ({@link AuthContext#recordLogin}) on H2 and PostgreSQL. */
@Tag("storage")
class LoginTimestampsTest {
    private final RegistryFixture fixture = new RegistryFixture();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void ofManyConcurrentLoginsWithOneTimestampExactlyOneIsAccepted() throws Exception {
        // Verifies the atomic check-and-set: 16 threads present the same signed timestamp at once.
        AuthContext context = fixture.devices.authContext();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Boolean>> logins = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                logins.add(() -> context.recordLogin("dev-1", 1_000));
            }
            long accepted = 0;
            for (Future<Boolean> f : pool.invokeAll(logins)) {
                accepted += f.get() ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(context.recordLogin("dev-1", 999)).as("older").isFalse();
        assertThat(context.recordLogin("dev-1", 1_001)).as("newer").isTrue();
        assertThat(context.recordLogin("dev-2", 5)).as("each device has its own clock").isTrue();
    }

    @Test
    void theLastAcceptedLoginSurvivesARestart() {
        // Verifies that the guard is persistent: after a restart on the same database a replayed login is refused.
        assertThat(fixture.devices.authContext().recordLogin("dev-1", 2_000)).isTrue();
        fixture.restart();
        assertThat(fixture.devices.authContext().recordLogin("dev-1", 2_000)).isFalse();
        assertThat(fixture.devices.authContext().recordLogin("dev-1", 2_001)).isTrue();
    }
}
