package io.thingport.network.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.network.netty.FrameFailure.Severity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** What each failure means for the frame connection it closes, without a channel. */
class FrameFailureTest {
    private static final InetSocketAddress REMOTE = InetSocketAddress.createUnresolved("device.example", 4000);

    @Test
    void aTooLongFrameClosesAsTooLargeWithTheLimit() {
        // Verifies that a frame beyond maxMessageLength closes with TOO_LARGE and names the limit.
        // GIVEN / WHEN the decoder reports a too-long frame
        FrameFailure failure = FrameFailure.ofPipeline(new TooLongFrameException("frame of 2000 bytes"), "c9", REMOTE, 1024);

        // THEN the device log names the limit, the server log the connection and the decoder's message
        assertThat(failure.cause()).isEqualTo(CloseCause.TOO_LARGE);
        assertThat(failure.reason()).isEqualTo("frame longer than maxMessageLength 1024 bytes");
        assertThat(failure.severity()).isEqualTo(Severity.INFO);
        assertThat(failure.log()).isEqualTo("connection c9 from " + REMOTE
                + " sent a frame longer than maxMessageLength 1024 bytes (frame of 2000 bytes)");
        assertThat(failure.stack()).isNull();
    }

    @Test
    void aTlsFailureIsFoundAmongTheCausesBeforeTheDecoderWrapperCounts() {
        // Verifies that a TLS failure wrapped in a decoder exception is reported as TLS, not as a malformed frame.
        // GIVEN a decoder exception caused by a failed handshake
        DecoderException wrapped = new DecoderException(new SSLHandshakeException("no certificate"));

        // WHEN it reaches the handler
        FrameFailure failure = FrameFailure.ofPipeline(wrapped, "c9", REMOTE, 1024);

        // THEN it closes as a TLS failure
        assertThat(failure.cause()).isEqualTo(CloseCause.PROTOCOL_ERROR);
        assertThat(failure.reason()).isEqualTo("TLS failed: no certificate");
        assertThat(failure.log()).isEqualTo("TLS with " + REMOTE + " failed: no certificate");
    }

    @Test
    void malformedFramesIoErrorsAndSurprisesAreProtocolErrorsLoggedByHowExpectedTheyAre() {
        // Verifies that malformed input and I/O errors log without a stack trace and anything else logs a warning with one.
        // GIVEN / WHEN a corrupt frame, an I/O error and an unexpected exception reach the handler
        FrameFailure corrupt = FrameFailure.ofPipeline(new CorruptedFrameException("negative length"), "c9", REMOTE, 1024);
        FrameFailure io = FrameFailure.ofPipeline(new IOException("Connection reset by peer"), "c9", REMOTE, 1024);
        IllegalStateException bug = new IllegalStateException("bug");
        FrameFailure unexpected = FrameFailure.ofPipeline(bug, "c9", REMOTE, 1024);

        // THEN all are protocol errors; only the unexpected one is a warning with its stack trace
        assertThat(corrupt.reason()).isEqualTo("malformed frame: negative length");
        assertThat(corrupt.severity()).isEqualTo(Severity.INFO);
        assertThat(io.reason()).isEqualTo("connection error: Connection reset by peer");
        assertThat(io.severity()).isEqualTo(Severity.DEBUG);
        assertThat(io.log()).isEqualTo("connection c9 failed: java.io.IOException: Connection reset by peer");
        assertThat(unexpected.reason()).isEqualTo("connection error: java.lang.IllegalStateException: bug");
        assertThat(unexpected.severity()).isEqualTo(Severity.WARN);
        assertThat(unexpected.stack()).isSameAs(bug);
        assertThat(List.of(corrupt, io, unexpected)).extracting(FrameFailure::cause).containsOnly(CloseCause.PROTOCOL_ERROR);
    }

    @Test
    void aForbiddenUplinkClosesAsForbiddenAndAnyOtherStageFailureSoTheDeviceResends() {
        // Verifies that FORBIDDEN (even wrapped in a CompletionException) closes as forbidden and any other failure as a
        // platform error.
        // GIVEN / WHEN an uplink's stage fails with FORBIDDEN, wrapped, or with anything else
        FrameFailure forbidden = FrameFailure.ofUplink(
                new CompletionException(new ThingportException(ErrorCode.FORBIDDEN, "not yours")), "c9");
        FrameFailure notStored = FrameFailure.ofUplink(new IllegalStateException("disk full"), "c9");

        // THEN the close causes and reasons tell them apart
        assertThat(forbidden.cause()).isEqualTo(CloseCause.FORBIDDEN);
        assertThat(forbidden.reason()).isEqualTo("forbidden: not yours");
        assertThat(forbidden.log()).isEqualTo("connection c9 broke the access rules: not yours");
        assertThat(notStored.cause()).isEqualTo(CloseCause.PLATFORM_ERROR);
        assertThat(notStored.reason()).isEqualTo("the platform could not store a message: disk full");
        assertThat(notStored.severity()).isEqualTo(Severity.WARN);
    }

    @Test
    void aFailedOrEmptyLoginCheckIsARefusal() {
        // Verifies that a login check that failed or gave no result closes as refused with the error's message.
        // GIVEN / WHEN the check fails (wrapped) or gives nothing
        FrameFailure failed = FrameFailure.ofLoginCheck(new CompletionException(new IllegalStateException("registry down")), REMOTE);
        FrameFailure empty = FrameFailure.ofLoginCheck(null, REMOTE);

        // THEN both are refusals naming what happened
        assertThat(failed.cause()).isEqualTo(CloseCause.REFUSED);
        assertThat(failed.reason()).isEqualTo("authentication failed: registry down");
        assertThat(failed.log()).isEqualTo("checking the login of " + REMOTE + " failed: java.lang.IllegalStateException: registry down");
        assertThat(empty.reason()).isEqualTo("authentication failed: no result");
        assertThat(empty.log()).endsWith("failed: no result");
    }

    @Test
    void theLoginStepsThatCloseNameTheirCause() {
        // Verifies the close causes of a refused login, an unframeable login reply and a platform that cannot take the
        // connection.
        // GIVEN / WHEN each happens
        FrameFailure refused = FrameFailure.ofRefusal("bad signature", REMOTE);
        FrameFailure reply = FrameFailure.ofLoginReply(new IllegalArgumentException("too long"), REMOTE);
        IllegalStateException error = new IllegalStateException("registry closed");
        FrameFailure notTaken = FrameFailure.ofConnected(error, "c9");

        // THEN each closes with its own cause and reason; only the platform's error is logged with its stack trace
        assertThat(refused.cause()).isEqualTo(CloseCause.REFUSED);
        assertThat(refused.reason()).isEqualTo("login refused: bad signature");
        assertThat(refused.severity()).isEqualTo(Severity.INFO);
        assertThat(reply.cause()).isEqualTo(CloseCause.PROTOCOL_ERROR);
        assertThat(reply.reason()).isEqualTo("the login reply cannot be sent: too long");
        assertThat(reply.stack()).isNull();
        assertThat(notTaken.cause()).isEqualTo(CloseCause.PLATFORM_ERROR);
        assertThat(notTaken.reason()).isEqualTo("the platform could not take the connection: registry closed");
        assertThat(notTaken.stack()).isSameAs(error);
    }
}
