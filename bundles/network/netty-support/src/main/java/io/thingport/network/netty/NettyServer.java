package io.thingport.network.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.thingport.api.network.NetworkComponentConfig;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Netty part every TCP-based server component has: an accept thread and {@code ioThreads} event loops named after
 * the component, the bound server channel, and the group of accepted connections.
 */
public final class NettyServer {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final ChannelGroup connections;

    private NettyServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel, ChannelGroup connections) {
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
        this.connections = connections;
    }

    /**
     * Binds a server whose accepted channels are set up by {@code pipeline} (each is added to {@link #connections()}
     * first). Threads are named {@code <prefix>-<component id>-accept|io}. When binding fails the threads are stopped
     * and the error names the address ({@link NettyServers#bind}).
     */
    public static NettyServer start(NetworkComponentConfig config, String threadPrefix, String host, int port, int ioThreads,
                                    Consumer<SocketChannel> pipeline) {
        String name = threadPrefix + "-" + config.id();
        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-accept", true));
        EventLoopGroup workers = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory(name + "-io", true));
        ChannelGroup connections = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        pipeline.accept(ch);
                    }
                });
        try {
            return new NettyServer(boss, workers, NettyServers.bind(bootstrap, config, host, port), connections);
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The accepted connections that are still open. */
    public ChannelGroup connections() {
        return connections;
    }

    /**
     * Stops accepting, lets the component say goodbye to its connections ({@code closeConnections}), closes whatever
     * is still open and stops the event loops, each step bounded to a few seconds.
     */
    public void close(Runnable closeConnections) {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        try {
            closeConnections.run();
        } finally {
            connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
