package io.thingport.network.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthResult;
import io.thingport.network.netty.FrameLifecycle.FrameUse;
import io.thingport.network.netty.FrameLifecycle.LoginOutcome;
import io.thingport.network.netty.FrameLifecycle.Phase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The login-by-first-frame phases of one connection alone: no channel, no event loop. */
class FrameLifecycleTest {
    private final FrameLifecycle lifecycle = new FrameLifecycle();

    private void logIn() {
        lifecycle.frameRead();
        lifecycle.loggedIn();
    }

    @Test
    void theFirstFrameIsTheLoginAndLaterOnesAreHeldUntilItIsDecided() {
        // Verifies that the first frame is the login and frames read while it is checked are held.
        // GIVEN a new connection
        boolean awaitingAtFirst = lifecycle.awaitingLogin();

        // WHEN three frames are read before the login is decided
        List<FrameUse> uses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            uses.add(lifecycle.frameRead());
        }

        // THEN the first is the login, the others are held, and the connection no longer awaits its login
        assertThat(awaitingAtFirst).isTrue();
        assertThat(uses).containsExactly(FrameUse.LOGIN, FrameUse.HOLD, FrameUse.HOLD);
        assertThat(lifecycle.phase()).isEqualTo(Phase.AUTHENTICATING);
        assertThat(lifecycle.awaitingLogin()).isFalse();
    }

    @Test
    void aLoggedInConnectionReadsUplinksAndAClosingOneReadsNothing() {
        // Verifies that frames are uplinks once logged in and dropped once the connection closes.
        // GIVEN a logged-in connection
        logIn();
        FrameUse whileConnected = lifecycle.frameRead();

        // WHEN it starts closing
        lifecycle.startClosing();

        // THEN frames before were uplinks, frames after are dropped
        assertThat(whileConnected).isEqualTo(FrameUse.UPLINK);
        assertThat(lifecycle.frameRead()).isEqualTo(FrameUse.DROP);
        assertThat(lifecycle.connected()).isFalse();
    }

    @Test
    void theDisconnectionIsReportedOnceAndOnlyForALoggedInConnection() {
        // Verifies that only a connection reported connected has its disconnection reported, and only once.
        // GIVEN a connection refused during its login and one that logged in
        FrameLifecycle refused = new FrameLifecycle();
        refused.frameRead();
        refused.startClosing();
        logIn();

        // WHEN their channels close (the logged-in one twice)
        boolean refusedReported = refused.closed();
        boolean first = lifecycle.closed();
        boolean second = lifecycle.closed();

        // THEN only the logged-in connection's first close is reported
        assertThat(refusedReported).isFalse();
        assertThat(first).isTrue();
        assertThat(second).isFalse();
    }

    @Test
    void theLoginOutcomeFollowsTheCheck() {
        // Verifies that a failed check, a refusal and an acceptance are told apart while the login is decided.
        // GIVEN a connection whose login is being checked
        lifecycle.frameRead();

        // WHEN the check fails, gives nothing, refuses or accepts
        LoginOutcome failed = lifecycle.loginChecked(null, new IllegalStateException("registry down"));
        LoginOutcome nothing = lifecycle.loginChecked(null, null);
        LoginOutcome refused = lifecycle.loginChecked(AuthResult.refuse(AuthFailure.BAD_SIGNATURE, null, "nope"), null);
        LoginOutcome accepted = lifecycle.loginChecked(AuthResult.accept("d1", "p1"), null);

        // THEN each outcome is named, and deciding alone does not log the connection in
        assertThat(failed).isEqualTo(LoginOutcome.FAILED);
        assertThat(nothing).isEqualTo(LoginOutcome.FAILED);
        assertThat(refused).isEqualTo(LoginOutcome.REFUSED);
        assertThat(accepted).isEqualTo(LoginOutcome.ACCEPTED);
        assertThat(lifecycle.connected()).isFalse();
    }

    @Test
    void aLoginDecidedAfterTheConnectionClosedIsStale() {
        // Verifies that a login check completing after a timeout or close is ignored.
        // GIVEN a connection that closed while its login was checked
        lifecycle.frameRead();
        lifecycle.startClosing();

        // WHEN the check accepts the login
        LoginOutcome outcome = lifecycle.loginChecked(AuthResult.accept("d1", "p1"), null);

        // THEN the outcome is stale
        assertThat(outcome).isEqualTo(LoginOutcome.STALE);
    }

    @Test
    void theAuthTimeoutNamesWhatWasMissingAndSparesLoggedInConnections() {
        // Verifies that authTimeout gives a reason while waiting for or deciding the login, and none afterwards.
        // GIVEN / WHEN the timeout strikes in each phase
        String waiting = lifecycle.authTimeoutReason(10);
        lifecycle.frameRead();
        String deciding = lifecycle.authTimeoutReason(10);
        lifecycle.loggedIn();
        String loggedIn = lifecycle.authTimeoutReason(10);

        // THEN only the first two close the connection
        assertThat(waiting).isEqualTo("no login frame within authTimeout 10 s");
        assertThat(deciding).isEqualTo("the login was not decided within authTimeout 10 s");
        assertThat(loggedIn).isNull();
    }

    @Test
    void idleTimeoutClosesOnlyConnectionsThatAreRead() {
        // Verifies that a connection is idle while it awaits its login or reads, never while its login is decided or
        // reading is stopped by the in-flight bound.
        // GIVEN / WHEN the idle timeout strikes in each phase
        boolean awaiting = lifecycle.idleCloses(true);
        lifecycle.frameRead();
        boolean deciding = lifecycle.idleCloses(true);
        lifecycle.loggedIn();
        boolean reading = lifecycle.idleCloses(true);
        boolean atTheBound = lifecycle.idleCloses(false);
        lifecycle.startClosing();
        boolean closing = lifecycle.idleCloses(true);

        // THEN it closes the connection only when awaiting the login or reading
        assertThat(awaiting).isTrue();
        assertThat(deciding).isFalse();
        assertThat(reading).isTrue();
        assertThat(atTheBound).isFalse();
        assertThat(closing).isFalse();
    }

    @Test
    void aGracefulCloseStartsOnceAndAnAbortOnlyBeforeTheChannelClosed() {
        // Verifies that a graceful close starts only once and that an abort after the channel closed changes nothing.
        // GIVEN a logged-in connection
        logIn();

        // WHEN it is closed twice, aborted, then its channel closes and it is aborted again
        boolean first = lifecycle.startClosing();
        boolean second = lifecycle.startClosing();
        boolean abortWhileClosing = lifecycle.abort();
        boolean reportDisconnected = lifecycle.closed();
        boolean abortWhenClosed = lifecycle.abort();

        // THEN only the first close starts closing; the abort counts until the channel is closed, which stays closed
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(abortWhileClosing).isTrue();
        assertThat(abortWhenClosed).isFalse();
        assertThat(reportDisconnected).isTrue();
        assertThat(lifecycle.phase()).isEqualTo(Phase.CLOSED);
        assertThat(lifecycle.startClosing()).isFalse();
    }
}
