package io.thingport.shell.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrderlyExitCommandTest {
    private static final int LINES = 20_000;
    private static final int CALLS = 15;
    private static final String PADDING = " " + "x".repeat(50);

    private SshServer server;
    private SshClient client;

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.stop(true);
        }
    }

    @Test
    void aCommandThatClosesTheSessionAfterItsExitStillDeliversAllItsOutput() throws Exception {
        // Verifies that a command ending as Karaf's exec command does (exit, then the SSH session closed at once)
        // delivers every line to a real SSH client on every call, and its exit status, once wrapped.
        start(new OrderlyExitCommandFactory(SessionClosingCommand::new));

        for (int call = 1; call <= CALLS; call++) {
            Result result = exec("lines");
            assertThat(result.text.lines().count()).as("call %d: lines received", call).isEqualTo(LINES);
            assertThat(result.text).as("call %d", call).startsWith("line 1" + PADDING + "\n").endsWith("line " + LINES + PADDING + "\n");
            assertThat(result.exitStatus).as("call %d", call).isEqualTo(3);
        }
    }

    private void start(CommandFactory factory) throws IOException {
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider());
        server.setPasswordAuthenticator((user, password, session) -> "secret".equals(password));
        server.setCommandFactory(factory);
        server.start();
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
    }

    private Result exec(String command) throws IOException {
        try (ClientSession session = client.connect("karaf", "127.0.0.1", server.getPort()).verify(Duration.ofSeconds(10)).getSession()) {
            session.addPasswordIdentity("secret");
            session.auth().verify(Duration.ofSeconds(10));
            // A client that takes its time to write what it receives: more of the output is still on its way when the
            // command ends.
            ByteArrayOutputStream out = new ByteArrayOutputStream() {
                @Override
                public synchronized void write(byte[] b, int off, int len) {
                    super.write(b, off, len);
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            try (ChannelExec channel = session.createExecChannel(command)) {
                channel.setOut(out);
                channel.setErr(out);
                channel.open().verify(Duration.ofSeconds(10));
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(30));
                return new Result(out.toString(StandardCharsets.UTF_8), channel.getExitStatus());
            }
        }
    }

    private record Result(String text, Integer exitStatus) {
    }

    /**
     * Ends as Karaf's exec command does: on a thread of its own, it writes its output, reports its exit and closes the
     * SSH session right away.
     */
    private static final class SessionClosingCommand implements Command {
        private OutputStream out;
        private ExitCallback callback;

        SessionClosingCommand(ChannelSession channel, String command) {
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            ServerSession session = channel.getServerSession();
            new Thread(() -> {
                try {
                    for (int i = 1; i <= LINES; i++) {
                        out.write(("line " + i + PADDING + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } finally {
                    callback.onExit(3);
                    session.close(false);
                }
            }).start();
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.callback = callback;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setInputStream(InputStream in) {
        }

        @Override
        public void setErrorStream(OutputStream err) {
        }

        @Override
        public void destroy(ChannelSession channel) {
        }
    }
}
