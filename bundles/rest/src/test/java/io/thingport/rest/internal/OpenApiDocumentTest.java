package io.thingport.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Generates the OpenAPI document from the resource classes and compares it with the checked-in
 * {@code src/main/resources/openapi.json}, which the platform serves: an API change is a visible diff of that file.
 * After changing the API, regenerate it with {@code mvn -pl bundles/rest test -Dtest=OpenApiDocumentTest
 * -Dopenapi.update=true} and review the diff.
 */
class OpenApiDocumentTest {
    private static final Path CHECKED_IN = Path.of("src/main/resources/openapi.json");

    @Test
    void checkedInDocumentMatchesTheResources() throws Exception {
        // Verifies that the served document describes exactly the resources the bundle publishes.
        // GIVEN every class of the bundle with a JAX-RS @Path
        Set<Class<?>> resources = resourceClasses();
        assertThat(resources).isNotEmpty();

        // WHEN the document is generated from them
        String generated = generate(resources);

        // THEN it is the checked-in one
        if (Boolean.getBoolean("openapi.update")) {
            Files.writeString(CHECKED_IN, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(CHECKED_IN, StandardCharsets.UTF_8))
                .as("src/main/resources/openapi.json is out of date: run mvn -pl bundles/rest test "
                        + "-Dtest=OpenApiDocumentTest -Dopenapi.update=true and review the diff")
                .isEqualTo(generated);
    }

    static String generate(Set<Class<?>> resources) throws IOException {
        OpenAPI base = new OpenAPI()
                .info(new Info().title("Thingport Open API").version("1").description(
                        "Every resource needs credentials: an application's signature (X-Thingport-App, "
                                + "X-Thingport-Timestamp, X-Thingport-Nonce, X-Thingport-Signature: HMAC-SHA256 over "
                                + "method, path, sorted query, body SHA-256, timestamp and nonce), a bearer token from "
                                + "POST /auth/token, or a user's name and password (Basic). Errors are "
                                + "{\"code\",\"message\",\"field\"} with the HTTP status."))
                .servers(List.of(new Server().url("/api/v1")))
                .components(new Components().securitySchemes(Map.of(
                        "basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"),
                        "bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer"),
                        "signature", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-Thingport-Signature")
                                .description("with X-Thingport-App, X-Thingport-Timestamp and X-Thingport-Nonce"))))
                .security(List.of(new SecurityRequirement().addList("signature"),
                        new SecurityRequirement().addList("bearer"), new SecurityRequirement().addList("basic")));
        OpenAPI api = new Reader(base).read(resources);
        // the reader visits methods in the order reflection gives, which varies between runs: sort every object's keys
        JsonNode tree = sorted(Json.mapper().readTree(Json.mapper().writeValueAsString(api)));
        return Json.pretty(tree) + "\n";
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            keys.stream().sorted().forEach(k -> out.set(k, sorted(node.get(k))));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }

    static Set<Class<?>> resourceClasses() throws Exception {
        Path classes = Path.of("target/classes");
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .sorted().forEach(names::add);
        }
        Set<Class<?>> out = new LinkedHashSet<>();
        for (String name : names) {
            Class<?> c = Class.forName(name);
            if (c.isAnnotationPresent(javax.ws.rs.Path.class)) { // fully qualified: java.nio.file.Path is imported
                out.add(c);
            }
        }
        return out;
    }
}
