package io.thingport.shell.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.AbstractDelegatingCommandFactory;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.junit.jupiter.api.Test;

class OrderlyExitInstallerTest {
    private final CommandFactory shell = (channel, command) -> {
        throw new UnsupportedOperationException();
    };

    @Test
    void withAnScpFactoryOnlyItsDelegateTheShellIsWrapped() {
        // Verifies that Karaf's default (SCP in front of the shell) keeps SCP as it is, and that removing puts the
        // shell's factory back.
        // GIVEN
        SshServer server = SshServer.setUpDefaultServer();
        Scp scp = new Scp();
        scp.setDelegateCommandFactory(shell);
        server.setCommandFactory(scp);

        // WHEN
        OrderlyExitInstaller.install(server);
        OrderlyExitInstaller.install(server);

        // THEN
        assertThat(server.getCommandFactory()).isSameAs(scp);
        assertThat(scp.getDelegateCommandFactory()).isInstanceOfSatisfying(OrderlyExitCommandFactory.class,
                ours -> assertThat(ours.wrapped()).as("wrapped once").isSameAs(shell));
        OrderlyExitInstaller.uninstall(server);
        assertThat(scp.getDelegateCommandFactory()).isSameAs(shell);
    }

    @Test
    void withoutScpTheShellFactoryItselfIsWrapped() {
        // Verifies the sftpEnabled = false case: the server's factory is the shell's.
        // GIVEN
        SshServer server = SshServer.setUpDefaultServer();
        server.setCommandFactory(shell);

        // WHEN
        OrderlyExitInstaller.install(server);
        OrderlyExitInstaller.install(server);

        // THEN
        assertThat(server.getCommandFactory()).isInstanceOfSatisfying(OrderlyExitCommandFactory.class,
                ours -> assertThat(ours.wrapped()).as("wrapped once").isSameAs(shell));
        OrderlyExitInstaller.uninstall(server);
        assertThat(server.getCommandFactory()).isSameAs(shell);
    }

    @Test
    void aServerWithoutCommandsIsLeftAsItIs() {
        // Verifies that nothing is invented where there is nothing to wrap.
        SshServer server = SshServer.setUpDefaultServer();
        Scp scp = new Scp();
        server.setCommandFactory(scp);

        OrderlyExitInstaller.install(server);
        assertThat(scp.getDelegateCommandFactory()).isNull();

        server.setCommandFactory(null);
        OrderlyExitInstaller.install(server);
        assertThat(server.getCommandFactory()).isNull();
    }

    /** Hands {@code scp} to itself and everything else to its delegate, as SSHD's SCP factory does. */
    private static final class Scp extends AbstractDelegatingCommandFactory {
        Scp() {
            super("scp");
        }

        @Override
        public boolean isSupportedCommand(ChannelSession channel, String command) {
            return command.startsWith("scp ");
        }

        @Override
        protected Command executeSupportedCommand(ChannelSession channel, String command) {
            throw new UnsupportedOperationException();
        }
    }
}
