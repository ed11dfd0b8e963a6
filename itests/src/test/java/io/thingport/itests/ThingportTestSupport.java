package io.thingport.itests;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.propagateSystemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureSecurity;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import io.thingport.network.testkit.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Base class of the in-container tests: boots the assembled Thingport distribution
 * ({@code assembly/target/thingport-assembly-*.tar.gz}) in a fresh folder under {@code target/exam}, with every
 * listening port moved to a free one on the loopback interface, and runs the test methods inside it.
 * <p>
 * Subclasses: {@code @RunWith(PaxExam.class) @ExamReactorStrategy(PerClass.class)} — one Karaf boot per class
 * (≈ 20 s), so group related tests into few classes. To add options, override {@link #config()} and append to
 * {@code super.config()}.
 * <p>
 * The container resolves {@code mvn:} URLs offline, from the build's local repository only: a bundle added with
 * {@code mavenBundle(...)} must be a test dependency of this module.
 */
public abstract class ThingportTestSupport {

    /** Default wait for services, commands and conditions. */
    protected static final long TIMEOUT_MS = 60_000;

    private static final String MQTT_PORT_PROPERTY = "thingport.itest.mqttPort";

    static {
        // Runs in the test JVM first, where the port is chosen; config() propagates it into the container's
        // etc/system.properties, so the container-side copy of this class sees the same value.
        if (System.getProperty(MQTT_PORT_PROPERTY) == null) {
            System.setProperty(MQTT_PORT_PROPERTY, Integer.toString(freePort()));
        }
    }

    /** The MQTT server's port in this test run (etc/io.thingport.network-mqtt.cfg, key {@code port}). */
    protected final int mqttPort = Integer.getInteger(MQTT_PORT_PROPERTY);

    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected FeaturesService featuresService;

    @Inject
    protected SessionFactory sessionFactory;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    /** Injection of this service waits until every boot feature is installed. */
    @Inject
    protected BootFinished bootFinished;

    @Configuration
    public Option[] config() {
        String karafVersion = requiredProperty("karaf.version");
        File assembly = new File(requiredProperty("thingport.assembly"));
        if (!assembly.isFile()) {
            throw new IllegalStateException("Distribution " + assembly + " not found: build the assembly module first");
        }
        String localRepository = requiredProperty("org.ops4j.pax.url.mvn.localRepository");
        int[] ports = FreePorts.take(4); // never mqttPort: each port is handed out once per JVM
        String httpPort = Integer.toString(ports[0]);
        String sshPort = Integer.toString(ports[1]);
        String rmiRegistryPort = Integer.toString(ports[2]);
        String rmiServerPort = Integer.toString(ports[3]);
        List<Option> options = new ArrayList<>(Arrays.asList(
            karafDistributionConfiguration()
                .frameworkUrl(assembly.toURI().toString())
                .name("Thingport")
                .karafVersion(karafVersion)
                .unpackDirectory(new File("target/exam"))
                .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            configureSecurity().disableKarafMBeanServerBuilder(),
            logLevel(LogLevel.WARN),
            // Thingport's own INFO lines (components starting and stopping, ...) for post-mortems with thingport.itest.keep
            editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg", "log4j2.logger.thingport.name", "io.thingport"),
            editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg", "log4j2.logger.thingport.level", "INFO"),
            systemTimeout(TIMEOUT_MS * 3),
            // the JVM options bin/karaf passes on Java 9+ (pax-exam starts java itself)
            vmOptions(java9PlusOptions(karafVersion)),

            // offline: mvn: URLs resolve from the distribution's system/ folder and the build's local repository
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepository),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
            editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "updateSnapshots", "none"),

            // every port free and on loopback
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", httpPort),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "127.0.0.1"),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", sshPort),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1"),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", rmiRegistryPort),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryHost", "127.0.0.1"),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", rmiServerPort),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerHost", "127.0.0.1"),
            editConfigurationFilePut("etc/io.thingport.network-mqtt.cfg", "port", Integer.toString(mqttPort)),
            propagateSystemProperty(MQTT_PORT_PROPERTY),
            editConfigurationFilePut("etc/io.thingport.network-mqtt.cfg", "host", "127.0.0.1"),

            editConfigurationFilePut("etc/branding.properties", "welcome", ""),
            editConfigurationFilePut("etc/branding-ssh.properties", "welcome", ""),

            // test libraries inside the container (all real OSGi bundles)
            mavenBundle("org.eclipse.paho", "org.eclipse.paho.client.mqttv3", requiredProperty("paho.version")),
            mavenBundle("org.hamcrest", "hamcrest", requiredProperty("hamcrest.version")),
            mavenBundle("org.awaitility", "awaitility", requiredProperty("awaitility.version")),
            mavenBundle("net.bytebuddy", "byte-buddy", requiredProperty("byte-buddy.version")),
            mavenBundle("org.assertj", "assertj-core", requiredProperty("assertj.version")),
            mavenBundle("io.thingport", "thingport-network-testkit", requiredProperty("thingport.version"))
        ));
        if (Boolean.getBoolean("thingport.itest.keep")) {
            // mvn install -Dthingport.itest.keep=true keeps target/exam/<uuid> (logs in data/log) for a post-mortem
            options.add(keepRuntimeFolder());
        }
        return options.toArray(new Option[0]);
    }

    /** Lets test classes use any package the container exports (Thingport API, Paho, ...). */
    @ProbeBuilder
    public TestProbeBuilder probeConfiguration(TestProbeBuilder probe) {
        probe.setHeader(Constants.DYNAMICIMPORT_PACKAGE, "*");
        return probe;
    }

    /**
     * Runs a Karaf shell command (as the shell would: {@code "feature:list -i"}, {@code "iot:device-list"}) and
     * returns what it printed, followed by its result if it returned one. Fails the test if the command throws
     * or takes longer than {@link #TIMEOUT_MS}.
     */
    protected String executeCommand(String command) {
        return executeCommand(command, TIMEOUT_MS);
    }

    private static final Pattern SECRET = Pattern.compile("device secret: (\\S+)");

    /** Creates a device with {@code iot:device-create} and returns the secret it printed. */
    protected String createDevice(String productId, String deviceId) {
        String out = executeCommand("iot:device-create " + productId + " " + deviceId);
        Matcher m = SECRET.matcher(out);
        if (!m.find()) {
            throw new AssertionError("device-create prints the secret: " + out);
        }
        return m.group(1);
    }

    /** The device's latest properties, tab-separated. */
    protected String props(String deviceId) {
        return executeCommand("iot:device-props --no-format " + deviceId);
    }

    /** The device's last 50 log entries, tab-separated. */
    protected String log(String deviceId) {
        return executeCommand("iot:device-log --limit 50 --no-format " + deviceId);
    }

    /** Runs a command that must fail and returns its error message. */
    protected static String failure(Runnable command) {
        try {
            command.run();
        } catch (AssertionError e) {
            return e.getMessage();
        }
        throw new AssertionError("the command was expected to fail");
    }

    protected String executeCommand(String command, long timeoutMs) {
        waitForCommand(command, timeoutMs);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(System.in, out, out);
        Future<String> result = EXECUTOR.submit(() -> {
            Object value = session.execute(command);
            if (value != null) {
                session.getConsole().println(value);
            }
            out.flush();
            return bytes.toString(StandardCharsets.UTF_8);
        });
        try {
            return result.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new AssertionError("Command timed out after " + timeoutMs + " ms: " + command
                + "\nOutput so far:\n" + bytes.toString(StandardCharsets.UTF_8));
        } catch (ExecutionException e) {
            // No cause attached on purpose: pax-exam reports the innermost cause, which would hide the command.
            AssertionError error = new AssertionError("Command failed: " + command + ": " + e.getCause());
            throw error;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while running: " + command, e);
        } finally {
            session.close();
        }
    }

    /** Command services register asynchronously: wait until the command exists. */
    private void waitForCommand(String command, long timeoutMs) {
        String name = command.trim().split("\\s+", 2)[0];
        int colon = name.indexOf(':');
        String scope = colon > 0 ? name.substring(0, colon) : "*";
        String function = colon > 0 ? name.substring(colon + 1) : name;
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (sessionFactory.getRegistry().getCommand(scope, function) == null) {
            if (System.currentTimeMillis() > deadline) {
                fail("Command " + name + " not available after " + timeoutMs + " ms");
            }
            sleep(100);
        }
    }

    /** Waits for a service of the given type (and optional LDAP filter, e.g. "(dataSourceName=thingport)"). */
    protected <T> T waitForService(Class<T> type, String filter) {
        return waitForService(type, filter, TIMEOUT_MS);
    }

    protected <T> T waitForService(Class<T> type, String filter, long timeoutMs) {
        String objectClass = "(" + Constants.OBJECTCLASS + "=" + type.getName() + ")";
        String full = filter == null || filter.isEmpty() ? objectClass : "(&" + objectClass + filter + ")";
        ServiceTracker<T, T> tracker;
        try {
            tracker = new ServiceTracker<>(bundleContext, FrameworkUtil.createFilter(full), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("Bad filter " + full, e);
        }
        tracker.open(true);
        try {
            if (tracker.waitForService(timeoutMs) == null) {
                fail("No service " + full + " after " + timeoutMs + " ms");
            }
            // Get it through the test's own context: a service (factory) obtained only through the tracker
            // would be released when the tracker closes.
            ServiceReference<T> reference = tracker.getServiceReference();
            T service = bundleContext.getService(reference);
            if (service == null) {
                fail("Service " + full + " went away while being fetched");
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + full, e);
        } finally {
            tracker.close();
        }
    }

    protected void assertFeatureInstalled(String name) throws Exception {
        Feature[] matching = featuresService.getFeatures(name);
        assertTrue("Feature " + name + " is not defined", matching != null && matching.length > 0);
        for (Feature feature : matching) {
            if (featuresService.isInstalled(feature)) {
                return;
            }
        }
        fail("Feature " + name + " is not installed; installed: " + Arrays.toString(featuresService.listInstalledFeatures()));
    }

    private static String[] java9PlusOptions(String karafVersion) {
        return new String[] {
            "--add-reads=java.xml=java.logging",
            "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
            "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
            "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
            "--add-opens", "java.base/java.security=ALL-UNNAMED",
            "--add-opens", "java.base/java.net=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
            "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
            "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
            "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
            "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
            "-classpath", "lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*",
        };
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("System property " + name + " is not set (it comes from itests/pom.xml)");
        }
        return value;
    }

    protected static int freePort() {
        return FreePorts.one();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
