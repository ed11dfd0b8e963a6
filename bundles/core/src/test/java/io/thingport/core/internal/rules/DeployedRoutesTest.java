package io.thingport.core.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.message.DeviceMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-written XML routes from deploy/ reading the platform's stream. */
@Tag("storage")
class DeployedRoutesTest {
    private static final String ROUTES = """
            <routes xmlns="http://camel.apache.org/schema/spring">
              <route id="%s">
                <from uri="thingport-stream:mine?filters=RAW(/device/p1/+/properties/report)"/>
                <to uri="direct:out"/>
              </route>
            </routes>
            """;

    @TempDir
    Path deploy;
    private RuleFixture f;
    private DeployedRoutes routes;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        f = new RuleFixture();
        f.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:out").routeId("out").process(e -> received.add(e.getMessage().getBody(DeviceMessage.class).deviceId()
                        + " " + e.getMessage().getHeader(StreamComponent.TOPIC)));
            }
        });
        routes = new DeployedRoutes(f.camel);
    }

    @AfterEach
    void stop() {
        routes.close();
        f.close();
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(deploy.resolve(name), content);
    }

    @Test
    void aRouteFileReadsTheStreamUntilItIsDeleted() throws Exception {
        // Verifies that a *.camel.xml route runs in the platform's context on the stream, and leaves with its file.
        Path mine = file("mine.camel.xml", ROUTES.formatted("mine"));
        assertThat(routes.canHandle(mine.toFile())).isTrue();
        assertThat(routes.canHandle(deploy.resolve("x.jar").toFile())).isFalse();
        routes.install(mine.toFile());
        assertThat(f.camel.getRoute("mine")).isNotNull();
        f.report("d1", Map.of("temp", 1.0));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("d1 /device/p1/d1/properties/report"));
        routes.uninstall(mine.toFile());
        assertThat(f.camel.getRoute("mine")).isNull();
    }

    @Test
    void aBrokenOrClashingFileIsRefusedAndTheRoutesBeforeStay() throws Exception {
        // Verifies that a file that does not parse, or takes a rule's or another route's id, changes nothing.
        Path mine = file("mine.camel.xml", ROUTES.formatted("mine"));
        routes.install(mine.toFile());
        file("mine.camel.xml", "<routes><route><from uri=");
        routes.update(mine.toFile());
        assertThat(f.camel.getRoute("mine")).as("the previous routes stay").isNotNull();
        routes.install(file("rule.camel.xml", ROUTES.formatted("rule-x")).toFile());
        assertThat(f.camel.getRoute("rule-x")).isNull();
        routes.install(file("other.camel.xml", ROUTES.formatted("out")).toFile());
        assertThat(f.camel.getRoutes()).hasSize(2);
        assertThat(DeployedRoutes.clash(List.of("a", "a"), List.of(), List.of())).isPresent();
    }
}
