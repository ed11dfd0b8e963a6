package io.thingport.shell.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command run over SSH ({@code bin/client}, {@code ssh host 'command'}) whose end waits until the client has closed
 * the channel, that is, until it has received all of the output.
 *
 * <p>Why: Karaf's exec command reports its exit (SSHD then sends what output it still holds, EOF, exit-status and
 * CHANNEL_CLOSE) and closes the whole SSH session right after, on the same thread. That close cuts the channel's close
 * handshake short and shuts the TCP connection as soon as the last bytes are handed to the kernel, while the client is
 * still reading them and still sending its window adjustments. The server's socket is closed with those unread, so the
 * kernel resets the connection, and the client's kernel drops what the client had not read yet ({@code bin/client}:
 * "Connection reset by peer"); OpenSSH, which sees the connection end before the channel's close, quits without writing
 * the rest it holds. Either way the tail of long output was lost, a different amount on each call. Holding the
 * command's thread in its exit until the client has answered the channel's CHANNEL_CLOSE lets Karaf's session close
 * come only after the client has read everything.
 *
 * <p>The wait is bounded by the session's idle timeout ({@code sshIdleTimeout}) and by {@link #MAX_WAIT}: a client that
 * neither reads nor closes for that long loses the connection anyway. It runs on the thread that reports the exit, which for Karaf's exec
 * command is a thread of its own per command; this class must not wrap a command that reports its exit on an SSHD I/O
 * thread (SCP, SFTP).
 */
final class OrderlyExitCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(OrderlyExitCommand.class);

    /**
     * The longest a command's thread waits for the client to close the channel: by the exit all output was handed to
     * SSHD within the client's window, which a live client reads in far less; one that does not is not waited for longer.
     */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final Command command;
    private final ChannelSession channel;
    private final CountDownLatch channelClosed = new CountDownLatch(1);

    OrderlyExitCommand(Command command, ChannelSession channel) {
        this.command = Objects.requireNonNull(command, "command");
        this.channel = Objects.requireNonNull(channel, "channel");
        channel.addCloseFutureListener(closed -> channelClosed.countDown());
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        Objects.requireNonNull(callback, "callback");
        command.setExitCallback((exitValue, exitMessage, closeImmediately) -> {
            callback.onExit(exitValue, exitMessage, closeImmediately);
            awaitChannelClosed();
        });
    }

    private void awaitChannelClosed() {
        Duration idle = CoreModuleProperties.IDLE_TIMEOUT.getRequired(channel);
        Duration timeout = idle.isZero() || idle.isNegative() || idle.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : idle;
        try {
            if (!channelClosed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debug("{}: the client did not close the channel within {}; the session is closed anyway", channel, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void setInputStream(InputStream in) {
        command.setInputStream(in);
    }

    @Override
    public void setOutputStream(OutputStream out) {
        command.setOutputStream(out);
    }

    @Override
    public void setErrorStream(OutputStream err) {
        command.setErrorStream(err);
    }

    @Override
    public void start(ChannelSession channelSession, Environment env) throws IOException {
        command.start(channelSession, env);
    }

    @Override
    public void destroy(ChannelSession channelSession) throws Exception {
        command.destroy(channelSession);
    }

    @Override
    public String toString() {
        return "OrderlyExitCommand[" + command + "]";
    }
}
