package io.thingport.shell.ssh;

import java.util.Objects;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.AbstractDelegatingCommandFactory;
import org.apache.sshd.server.command.CommandFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@link OrderlyExitCommandFactory} around the shell's commands in the SSH server that Karaf's ssh feature
 * publishes, and takes it out again when this bundle stops. A new server (Karaf starts one when
 * {@code etc/org.apache.karaf.shell.cfg} changes) gets it too: the reference is static, so a new server means a new
 * instance of this component.
 *
 * <p>Karaf's command factory is an SCP factory ({@code sftpEnabled = true}, the default) that hands every command
 * that is not {@code scp} to its delegate, the shell; then only the delegate is wrapped, and SCP stays as it is.
 * Otherwise ({@code sftpEnabled = false}) the factory is the shell's and is wrapped itself.
 */
@Component(service = {})
public final class OrderlyExitInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(OrderlyExitInstaller.class);

    private final SshServer server;

    @Activate
    public OrderlyExitInstaller(@Reference SshServer server) {
        this.server = server;
        install(server);
        LOG.debug("Commands over SSH on port {} end after the client has their output", server.getPort());
    }

    @Deactivate
    void deactivate() {
        uninstall(server);
    }

    /** Wraps the shell's command factory of {@code server} (once: a second call changes nothing). */
    static void install(SshServer server) {
        CommandFactory factory = Objects.requireNonNull(server, "server").getCommandFactory();
        if (factory instanceof AbstractDelegatingCommandFactory scp) {
            CommandFactory shell = scp.getDelegateCommandFactory();
            if (shell != null && !(shell instanceof OrderlyExitCommandFactory)) {
                scp.setDelegateCommandFactory(new OrderlyExitCommandFactory(shell));
            }
        } else if (factory != null && !(factory instanceof OrderlyExitCommandFactory)) {
            server.setCommandFactory(new OrderlyExitCommandFactory(factory));
        }
    }

    /** Puts back what {@link #install} wrapped. */
    static void uninstall(SshServer server) {
        CommandFactory factory = Objects.requireNonNull(server, "server").getCommandFactory();
        if (factory instanceof AbstractDelegatingCommandFactory scp) {
            if (scp.getDelegateCommandFactory() instanceof OrderlyExitCommandFactory ours) {
                scp.setDelegateCommandFactory(ours.wrapped());
            }
        } else if (factory instanceof OrderlyExitCommandFactory ours) {
            server.setCommandFactory(ours.wrapped());
        }
    }
}
