package io.thingport.bridge.ctwing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The *unverified* answer shape of the CTWing API ({@link ApiResponses}). */
class ApiResponsesTest {

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void assumedShapeVector() {
        // Verifies the ONE test vector of the assumed answer shape: code 0, msg, result.commandId/commandStatus.
        // GIVEN
        String answer = "{\"code\":0,\"msg\":\"ok\",\"result\":{\"commandId\":\"18\",\"commandStatus\":\"指令已保存\",\"ttl\":7200}}";
        // WHEN
        CommandInfo info = ApiResponses.command("create", bytes(answer));
        // THEN
        assertThat(info.commandId()).isEqualTo("18");
        assertThat(info.commandStatus()).isEqualTo("指令已保存");
        assertThat(info.result()).containsEntry("ttl", 7200);
    }

    @Test
    void nonZeroCodeIsAnApiErrorNamingCodeAndMsg() {
        // Verifies that code != 0 fails as API_ERROR naming the call, the code and the msg.
        // GIVEN / WHEN / THEN
        assertThatThrownBy(() -> ApiResponses.command("CTWing create command", bytes("{\"code\":8001,\"msg\":\"device not found\"}")))
                .isInstanceOfSatisfying(CtwingApiException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CtwingApiException.Kind.API_ERROR);
                    assertThat(e.apiCode()).hasValue(8001);
                    assertThat(e.getMessage()).isEqualTo("CTWing create command refused: code 8001, msg 'device not found'");
                });
    }

    @Test
    void otherShapesAreBadResponses() {
        // Verifies that an answer that is not JSON, has no integer code, no result or no commandId is BAD_RESPONSE.
        // GIVEN / WHEN / THEN
        assertThatThrownBy(() -> ApiResponses.command("q", bytes("<html>")))
                .isInstanceOfSatisfying(CtwingApiException.class, e -> assertThat(e.kind()).isEqualTo(CtwingApiException.Kind.BAD_RESPONSE))
                .hasMessage("q: answer is not JSON");
        assertThatThrownBy(() -> ApiResponses.command("q", bytes("{\"code\":\"0\"}"))).hasMessage("q: answer has no integer code");
        assertThatThrownBy(() -> ApiResponses.command("q", bytes("{\"code\":0}"))).hasMessage("q: answer has no result object");
        assertThatThrownBy(() -> ApiResponses.command("q", bytes("{\"code\":0,\"result\":{}}")))
                .hasMessage("q: result.commandId is missing or not a string");
    }
}
