package io.thingport.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.eclipse.californium.elements.Connector;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.EndpointContextMatcher;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.RawDataChannel;
import org.eclipse.californium.elements.UdpEndpointContext;
import org.eclipse.californium.elements.exception.EndpointMismatchException;
import org.eclipse.californium.elements.util.ClockUtil;

/**
 * A Californium {@link Connector} over one Netty UDP socket registered on a given event loop. Californium's own
 * {@code UDPConnector} starts a receiver and a sender thread per socket; with one socket per simulated device that
 * would be two threads per device. Here every device's socket lives on the generator's few event loops, like the
 * MQTT and TCP connections. Sending and receiving mirror {@code UDPConnector} (endpoint-context check, the same
 * {@link RawData} callbacks).
 */
final class NettyUdpConnector implements Connector {
    private final EventLoop loop;
    private final InetSocketAddress bindAddress;
    private volatile Channel channel;
    private volatile InetSocketAddress effectiveAddress;
    private volatile RawDataChannel receiver;
    private volatile EndpointContextMatcher endpointContextMatcher;
    private volatile boolean running;

    NettyUdpConnector(EventLoop loop, InetSocketAddress bindAddress) {
        this.loop = loop;
        this.bindAddress = bindAddress;
    }

    /** Binds the socket; blocks until bound, so it must not be called on an event loop. */
    @Override
    public synchronized void start() throws IOException {
        if (running) {
            return;
        }
        Channel ch = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        received(packet);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // ICMP port unreachable and the like: the request will time out and be counted there
                    }
                })
                .bind(bindAddress).syncUninterruptibly().channel();
        if (ch.localAddress() == null) {
            throw new IOException("cannot bind a UDP socket to " + bindAddress);
        }
        channel = ch;
        effectiveAddress = (InetSocketAddress) ch.localAddress();
        running = true;
    }

    private void received(DatagramPacket packet) {
        RawDataChannel r = receiver;
        if (r == null || packet.sender() == null || packet.sender().getPort() == 0) {
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(packet.content());
        r.receiveData(RawData.inbound(bytes, new UdpEndpointContext(packet.sender()), false, ClockUtil.nanoRealtime(),
                effectiveAddress));
    }

    @Override
    public void send(RawData msg) {
        Channel ch = channel;
        if (!running || ch == null) {
            msg.onError(new IOException("connector not running"));
            return;
        }
        EndpointContext destination = msg.getEndpointContext();
        InetSocketAddress to = destination.getPeerAddress();
        EndpointContext connectionContext = new UdpEndpointContext(to);
        EndpointContextMatcher matcher = endpointContextMatcher;
        if (matcher != null && !matcher.isToBeSent(destination, connectionContext)) {
            msg.onError(new EndpointMismatchException("UDP sending"));
            return;
        }
        msg.onContextEstablished(connectionContext);
        ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(msg.getBytes()), to))
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        msg.onSent();
                    } else {
                        msg.onError(f.cause());
                    }
                });
    }

    @Override
    public synchronized void stop() {
        running = false;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public void destroy() {
        stop();
    }

    @Override
    public void setRawDataReceiver(RawDataChannel receiver) {
        this.receiver = receiver;
    }

    @Override
    public void setEndpointContextMatcher(EndpointContextMatcher matcher) {
        this.endpointContextMatcher = matcher;
    }

    @Override
    public InetSocketAddress getAddress() {
        InetSocketAddress a = effectiveAddress;
        return a == null ? bindAddress : a;
    }

    @Override
    public String getProtocol() {
        return "UDP";
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    // fully qualified: Netty's DatagramPacket is the one imported
    public void processDatagram(java.net.DatagramPacket datagram) {
        throw new UnsupportedOperationException("datagrams are received by the Netty channel");
    }

    @Override
    public String toString() {
        return "netty-udp-" + getAddress();
    }
}
