package io.thingport.network.mqtt.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TransportListener;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A running MQTT server: one bound port, its connections and its event loops. */
final class MqttServer implements NetworkComponent {
    private final NetworkComponentConfig config;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final ChannelGroup connections;

    private MqttServer(NetworkComponentConfig config, EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel,
                       ChannelGroup connections) {
        this.config = config;
        this.boss = boss;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    static MqttServer start(NetworkComponentConfig config, MqttServerSettings settings, TransportListener listener) {
        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("mqtt-" + config.id() + "-accept", true));
        EventLoopGroup workers = new NioEventLoopGroup(settings.ioThreads(), new DefaultThreadFactory("mqtt-" + config.id() + "-io", true));
        ChannelGroup connections = new DefaultChannelGroup("mqtt-" + config.id(), GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline()
                                .addLast("flush", new FlushConsolidationHandler(256, true))
                                .addLast("idle", new IdleStateHandler(settings.connectTimeout(), 0, 0, TimeUnit.SECONDS))
                                .addLast("decoder", new MqttDecoder(settings.maxMessageLength()))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("mqtt", new MqttConnectionHandler(ch, settings, listener));
                    }
                });
        try {
            ChannelFuture bind = bootstrap.bind(settings.host(), settings.port()).awaitUninterruptibly();
            if (!bind.isSuccess()) {
                throw bindError(config, settings, bind.cause());
            }
            return new MqttServer(config, boss, workers, bind.channel(), connections);
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static ThingportException bindError(NetworkComponentConfig config, MqttServerSettings s, Throwable cause) {
        if (cause instanceof BindException) {
            return new ThingportException(ErrorCode.CONFLICT, "network component " + config.id() + ": cannot listen on "
                    + s.host() + ":" + s.port() + " (" + cause.getMessage() + "; is the port already in use?)");
        }
        return new ThingportException(ErrorCode.INVALID_ARGUMENT, "network component " + config.id() + ": cannot listen on "
                + s.host() + ":" + s.port() + ": " + cause);
    }

    @Override
    public NetworkComponentConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        connections.forEach(ch -> MqttConnectionHandler.closeReason(ch, "network component " + config.id() + " stopped"));
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
