package io.thingport.core.internal.rules;

import io.thingport.api.device.DeviceMessageSender;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.camel.CamelContext;

/** What running actions use from the platform: the narrow side of the engine, replaced by test doubles in unit tests. */
public interface SinkContext {
    /** The platform's CamelContext (camel-kafka and camel-paho endpoints). */
    CamelContext camel();

    DeviceMessageSender sender();

    HttpClient http();

    /** A new connection to a jdbc data source (through the driver's OSGi DataSourceFactory in the platform). */
    Connection connect(DataSourceSpec database) throws SQLException;
}
