package io.thingport.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;

/** Verifies that the assembled distribution boots with the default Thingport feature set. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BootIT extends ThingportTestSupport {

    @Test
    public void thingportFeatureIsInstalled() throws Exception {
        assertFeatureInstalled("thingport");
        String installed = executeCommand("feature:list -i");
        assertTrue(installed, installed.contains("thingport"));
    }

    @Test
    public void thingportDataSourceIsUsable() throws Exception {
        DataSource dataSource = waitForService(DataSource.class, "(dataSourceName=thingport)");
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
        }
    }

    @Test
    public void mqttPortIsPassedIntoTheContainer() throws Exception {
        // Felix FileInstall reads "a-b.cfg" as factory PID "a", instance "b": this file is a factory configuration.
        Configuration[] configurations =
            configurationAdmin.listConfigurations("(felix.fileinstall.filename=*/io.thingport.network-mqtt.cfg)");
        assertNotNull("etc/io.thingport.network-mqtt.cfg was not loaded", configurations);
        assertEquals(1, configurations.length);
        assertEquals("io.thingport.network", configurations[0].getFactoryPid());
        assertEquals(Integer.toString(mqttPort), String.valueOf(configurations[0].getProperties().get("port")));
    }

    @Test
    public void testingLibrariesWorkInsideTheContainer() throws Exception {
        // Paho, Awaitility and AssertJ are installed as bundles next to the probe (ThingportTestSupport.config()).
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + mqttPort, "boot-it", new MemoryPersistence());
        try {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !client.isConnected());
            Assertions.assertThat(client.getServerURI()).endsWith(":" + mqttPort);
        } finally {
            client.close();
        }
    }
}
