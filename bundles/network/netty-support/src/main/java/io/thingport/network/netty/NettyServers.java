package io.thingport.network.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import java.net.BindException;

/** Binding a Netty server with errors that name the component, the address and the likely cause. */
public final class NettyServers {
    private NettyServers() {
    }

    /**
     * Binds and waits.
     *
     * @throws ThingportException {@code CONFLICT} when the port is in use, {@code INVALID_ARGUMENT} for another bind
     *                            failure (unknown host, ...)
     */
    public static Channel bind(ServerBootstrap bootstrap, NetworkComponentConfig config, String host, int port) {
        ChannelFuture bind = bootstrap.bind(host, port).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw bindError(config, host, port, bind.cause());
        }
        return bind.channel();
    }

    public static ThingportException bindError(NetworkComponentConfig config, String host, int port, Throwable cause) {
        if (cause instanceof BindException) {
            return new ThingportException(ErrorCode.CONFLICT, "network component " + config.id() + ": cannot listen on "
                    + host + ":" + port + " (" + cause.getMessage() + "; is the port already in use?)");
        }
        return new ThingportException(ErrorCode.INVALID_ARGUMENT, "network component " + config.id() + ": cannot listen on "
                + host + ":" + port + ": " + cause);
    }
}
