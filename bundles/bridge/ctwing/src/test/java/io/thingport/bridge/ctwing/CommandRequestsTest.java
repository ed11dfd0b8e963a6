package io.thingport.bridge.ctwing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure builders of the command API calls. */
class CommandRequestsTest {

    @Test
    void createCommandBodyIsTheDocumentedOne() {
        // Verifies that the create call is POST /aep_device_command/command, version 20190712225145, with exactly the
        // documented body (field order, productId a number, dataType 2 for hex), and needs the MasterKey.
        // GIVEN / WHEN
        ApiRequest request = CommandRequests.create(15045240L, "dev-1", "admin", new CommandPayload("AA01", PayloadDataType.HEX), 7200, 1);
        // THEN
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/aep_device_command/command");
        assertThat(request.version()).isEqualTo("20190712225145");
        assertThat(request.masterKeyRequired()).isTrue();
        assertThat(request.query()).isEmpty();
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"content\":{\"payload\":\"AA01\",\"dataType\":2},\"deviceId\":\"dev-1\",\"operator\":\"admin\",\"productId\":15045240,"
                        + "\"ttl\":7200,\"level\":1}");
        // AND a string payload is dataType 1, escaped as JSON
        ApiRequest text = CommandRequests.create(1L, "d", "op", CommandPayload.text("on \"now\""), 0, 1);
        assertThat(new String(text.body(), StandardCharsets.UTF_8))
                .startsWith("{\"content\":{\"payload\":\"on \\\"now\\\"\",\"dataType\":1}");
    }

    @Test
    void createFromConfigUsesItsSettings() {
        // Verifies that the config's product, operator and ttl go into the body.
        // GIVEN
        CtwingBridgeConfig config = CtwingBridgeConfig.parse(Map.of("appKey", "k", "appSecret", "s", "masterKey", "m",
                "productId", "42", "operator", "ops", "commandTtlSeconds", "60"));
        // WHEN
        ApiRequest request = CommandRequests.create(config, "dev-9", CommandPayload.hex(new byte[] {(byte) 0xAB}));
        // THEN
        assertThat(Json.tree(new String(request.body(), StandardCharsets.UTF_8))).isEqualTo(Json.tree(
                "{\"content\":{\"payload\":\"AB\",\"dataType\":2},\"deviceId\":\"dev-9\",\"operator\":\"ops\",\"productId\":42,"
                        + "\"ttl\":60,\"level\":1}"));
    }

    @Test
    void queryCommandIsAGetWithTheDocumentedQuery() {
        // Verifies that the query call is GET with commandId, productId, deviceId (in that URL order), version
        // 20190712225241, no body; and that the URI keeps a base path, drops a trailing slash and encodes values.
        // GIVEN / WHEN
        ApiRequest request = CommandRequests.query(15045240L, "dev 1/x", "cmd-1");
        // THEN
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.version()).isEqualTo("20190712225241");
        assertThat(request.body()).isEmpty();
        assertThat(request.query()).containsExactly(
                Map.entry("commandId", "cmd-1"), Map.entry("productId", "15045240"), Map.entry("deviceId", "dev 1/x"));
        assertThat(request.uri(URI.create("https://ag-api.ctwing.cn/")).toString())
                .isEqualTo("https://ag-api.ctwing.cn/aep_device_command/command?commandId=cmd-1&productId=15045240&deviceId=dev%201%2Fx");
        assertThat(request.uri(URI.create("http://127.0.0.1:8080/gw")).getPath()).isEqualTo("/gw/aep_device_command/command");
    }

    @Test
    void payloadsAreChecked() {
        // Verifies that a hex payload must be an even number of hex digits, a payload is not empty nor over the bound,
        // and missing ids are refused naming the field.
        // GIVEN / WHEN / THEN
        assertThatThrownBy(() -> new CommandPayload("ABC", PayloadDataType.HEX))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("command payload of dataType hex must be an even number of hex digits");
        assertThatThrownBy(() -> new CommandPayload("zz", PayloadDataType.HEX)).hasMessageContaining("hex digits");
        assertThatThrownBy(() -> new CommandPayload("", PayloadDataType.STRING)).hasMessage("command payload must not be empty");
        assertThatThrownBy(() -> CommandPayload.text("x".repeat(CommandPayload.MAX_PAYLOAD_CHARS + 1)))
                .hasMessageContaining("more than 65536");
        assertThat(new CommandPayload("zz", PayloadDataType.STRING).payload()).isEqualTo("zz");
        assertThat(CommandPayload.hex(new byte[] {0x0a, (byte) 0xff}).payload()).isEqualTo("0AFF");
        assertThatThrownBy(() -> CommandRequests.query(1L, "d", " ")).hasMessage("commandId must not be empty");
        assertThatThrownBy(() -> CommandRequests.create(1L, "", "op", CommandPayload.text("x"), 1, 1))
                .hasMessage("deviceId must not be empty");
    }
}
