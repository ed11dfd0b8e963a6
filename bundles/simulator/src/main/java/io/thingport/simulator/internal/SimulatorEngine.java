package io.thingport.simulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.thingport.api.device.DeviceLoginSigner;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.api.network.GatewayManager;
import io.thingport.api.network.NetworkManager;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * What every virtual and simulated device shares: the Netty event loops their connections run on, a worker for the
 * blocking steps (signing a login looks the device up in storage), the bounds, JSON, and the platform services they
 * use. Deactivated after the services that run devices (DS order), so those stop their devices first.
 */
@Component(service = SimulatorEngine.class, configurationPid = "io.thingport.simulator")
@Designate(ocd = SimulatorConfig.class)
public final class SimulatorEngine {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    /** How long a connect and then a CONNACK may take. */
    static final long LOGIN_TIMEOUT_MS = 10_000;

    final ProductService products;
    final DeviceService devices;
    final DeviceLoginSigner signer;
    final Limits limits;
    final int keepAliveSeconds;
    private final NetworkManager network;
    private final GatewayManager gateways;
    private final NioEventLoopGroup group;
    private final Bootstrap bootstrap;
    private final ExecutorService worker;

    @Activate
    public SimulatorEngine(SimulatorConfig config, @Reference ProductService products, @Reference DeviceService devices,
                           @Reference DeviceLoginSigner signer, @Reference NetworkManager network, @Reference GatewayManager gateways) {
        this.products = products;
        this.devices = devices;
        this.signer = signer;
        this.network = network;
        this.gateways = gateways;
        this.limits = Limits.of(config);
        this.keepAliveSeconds = Math.max(0, config.keepAliveSeconds());
        this.group = new NioEventLoopGroup(Math.max(1, config.threads()), new DefaultThreadFactory("thingport-simulator", true));
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) LOGIN_TIMEOUT_MS);
        // two threads, idle ones end; the queue holds one task per connect attempt (at most one per running device)
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(100_000),
                new DefaultThreadFactory("thingport-simulator-login", true));
        pool.allowCoreThreadTimeOut(true);
        this.worker = pool;
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    Bootstrap bootstrap() {
        return bootstrap;
    }

    EventLoop nextLoop() {
        return group.next();
    }

    /** Runs blocking work (storage look-ups) off the event loops. */
    void work(Runnable task) {
        worker.execute(task);
    }

    /** Where devices of the product connect; {@code UNSUPPORTED} naming what is missing. */
    MqttTargets.Target target(Product product) {
        return MqttTargets.locate(product, gateways.gateways(), network::component);
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + value, e);
        }
    }

    /** A JSON object, or {@code null} for anything else. */
    static Map<String, Object> parseObject(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}
