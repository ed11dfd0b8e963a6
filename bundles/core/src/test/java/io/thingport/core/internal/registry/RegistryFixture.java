package io.thingport.core.internal.registry;

import io.thingport.api.device.NewProduct;
import io.thingport.api.device.Product;
import io.thingport.core.internal.gateway.DeviceSessions;
import io.thingport.core.internal.json.ThingModelJson;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageConfiguration;
import io.thingport.core.internal.storage.TestDatabase;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Storage on a fresh database of the run's backend ({@link TestDatabase}: H2 or PostgreSQL), with the device log and both
 * registry services over it; restartable.
 */
public final class RegistryFixture implements AutoCloseable {
    public static final String MODEL = """
            {"properties":[
              {"id":"temp","name":"Temperature","type":{"type":"float","min":-40,"max":85,"unit":"C"}},
              {"id":"led","type":"bool","access":"read-write"}],
             "functions":[{"id":"reboot","inputs":[{"id":"delay","type":{"type":"int","min":0,"max":60},"required":true}]}],
             "events":[{"id":"overheat","level":"warn","output":{"type":"float"}}]}
            """;

    public final DataSource dataSource = TestDatabase.create();
    public final StorageConfiguration config = new StorageConfiguration(Map.of());
    public Storage storage;
    public DeviceLogServiceImpl log;
    public ProductServiceImpl products;
    public DeviceServiceImpl devices;
    public DeviceSessions sessions;

    public RegistryFixture() {
        start();
    }

    /** Starts storage and the services on the database, as the platform does. */
    public void start() {
        storage = new Storage(dataSource);
        log = new DeviceLogServiceImpl(storage, config);
        products = new ProductServiceImpl(storage);
        sessions = new DeviceSessions();
        devices = new DeviceServiceImpl(storage, products, sessions, log);
    }

    /** Stops storage and starts everything again on the same database. */
    public void restart() {
        storage.close();
        start();
    }

    /** Creates product {@code p1} with {@link #MODEL}. */
    public Product product(boolean dynamic) {
        return products.createProduct(new NewProduct("p1", "Sensor", null, null, dynamic, ThingModelJson.parse(MODEL)));
    }

    @Override
    public void close() {
        storage.close();
    }
}
