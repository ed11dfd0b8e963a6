package io.thingport.shell.ssh;

import java.io.IOException;
import java.util.Objects;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/** Makes every command of {@code factory} an {@link OrderlyExitCommand}. */
final class OrderlyExitCommandFactory implements CommandFactory {
    private final CommandFactory factory;

    OrderlyExitCommandFactory(CommandFactory factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** The factory this one wraps. */
    CommandFactory wrapped() {
        return factory;
    }

    @Override
    public Command createCommand(ChannelSession channel, String command) throws IOException {
        return new OrderlyExitCommand(factory.createCommand(channel, command), channel);
    }

    @Override
    public String toString() {
        return "OrderlyExitCommandFactory[" + factory + "]";
    }
}
