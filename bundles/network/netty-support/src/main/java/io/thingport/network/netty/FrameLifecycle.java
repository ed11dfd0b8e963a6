package io.thingport.network.netty;

import io.thingport.api.protocol.AuthResult;

/**
 * Where a frame connection is in its life (waiting for its login frame, authenticating, connected, closing, closed)
 * and what each phase allows: what a frame read now is for, what the login check's outcome means, which timeout still
 * applies, whether the disconnection is reported. It only decides; {@link FrameConnectionHandler} does the channel
 * work. Not thread-safe: confined to the connection's event loop.
 */
final class FrameLifecycle {
    enum Phase { AWAIT_LOGIN, AUTHENTICATING, CONNECTED, CLOSING, CLOSED }

    /** What a frame read now is for. */
    enum FrameUse {
        /** The first frame: the login; the connection is now authenticating. */
        LOGIN,
        /** Read while the login is decided: held, and delivered in order once the login is accepted. */
        HOLD,
        /** An uplink of a logged-in connection. */
        UPLINK,
        /** The connection is closing: nothing more is read. */
        DROP
    }

    /** What the login check's outcome means. */
    enum LoginOutcome {
        /** The connection is no longer waiting for it (closed or timed out meanwhile): ignored. */
        STALE,
        /** The check failed or gave no result: the connection closes. */
        FAILED,
        /** The login was refused: its reply (if any) is written, then the connection closes. */
        REFUSED,
        /** The login was accepted: its reply (if any) is written, then the connection is reported connected. */
        ACCEPTED
    }

    private Phase phase = Phase.AWAIT_LOGIN;
    private boolean reportedConnected;

    Phase phase() {
        return phase;
    }

    /** A non-empty frame was read; the first one moves the connection to authenticating. */
    FrameUse frameRead() {
        return switch (phase) {
            case AWAIT_LOGIN -> {
                phase = Phase.AUTHENTICATING;
                yield FrameUse.LOGIN;
            }
            case AUTHENTICATING -> FrameUse.HOLD;
            case CONNECTED -> FrameUse.UPLINK;
            case CLOSING, CLOSED -> FrameUse.DROP;
        };
    }

    /** Whether the connection still waits for its login frame (the authTimeout starts then). */
    boolean awaitingLogin() {
        return phase == Phase.AWAIT_LOGIN;
    }

    /** The close reason when {@code authTimeout} strikes, or {@code null} if the connection logged in or is closing. */
    String authTimeoutReason(int authTimeoutSeconds) {
        return switch (phase) {
            case AWAIT_LOGIN -> "no login frame within authTimeout " + authTimeoutSeconds + " s";
            case AUTHENTICATING -> "the login was not decided within authTimeout " + authTimeoutSeconds + " s";
            default -> null;
        };
    }

    /** What the login check's outcome means now; a check that failed or gave no result is {@link LoginOutcome#FAILED}. */
    LoginOutcome loginChecked(AuthResult result, Throwable error) {
        if (phase != Phase.AUTHENTICATING) {
            return LoginOutcome.STALE;
        }
        if (error != null || result == null) {
            return LoginOutcome.FAILED;
        }
        return result.accepted() ? LoginOutcome.ACCEPTED : LoginOutcome.REFUSED;
    }

    /** The accepted login's reply is written: the connection is logged in, and is now reported connected. */
    void loggedIn() {
        phase = Phase.CONNECTED;
        reportedConnected = true;
    }

    boolean connected() {
        return phase == Phase.CONNECTED;
    }

    /**
     * Whether {@code idleTimeout} closes the connection now: while it waits for its login frame, or while it is logged
     * in and reading ({@code reading}: not stopped by the in-flight bound). A connection not read because the
     * platform is slow, or whose login is being decided, is never idle.
     */
    boolean idleCloses(boolean reading) {
        return phase == Phase.AWAIT_LOGIN || (phase == Phase.CONNECTED && reading);
    }

    /** A graceful close is asked for: {@code true} the first time (the connection is now closing), else {@code false}. */
    boolean startClosing() {
        if (phase == Phase.CLOSING || phase == Phase.CLOSED) {
            return false;
        }
        phase = Phase.CLOSING;
        return true;
    }

    /** An immediate close is asked for: {@code true} if the connection was not closed yet (it is now closing). */
    boolean abort() {
        if (phase == Phase.CLOSED) {
            return false;
        }
        phase = Phase.CLOSING;
        return true;
    }

    /**
     * The channel is closed: {@code true} if its disconnection must be reported, that is exactly once for a connection
     * that was reported connected.
     */
    boolean closed() {
        phase = Phase.CLOSED;
        boolean report = reportedConnected;
        reportedConnected = false;
        return report;
    }
}
