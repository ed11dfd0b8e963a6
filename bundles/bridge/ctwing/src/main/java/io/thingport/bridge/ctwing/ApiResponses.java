package io.thingport.bridge.ctwing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thingport.bridge.support.PushRejected;
import java.io.IOException;

/**
 * *UNVERIFIED*: the shape of CTWing API answers. The wire facts do not give it; this is the one place that assumes
 * {@code {"code":0,"msg":"ok","result":{"commandId":"..","commandStatus":"..",...}}} (the shape the platform's
 * examples and SDK users read). {@code code} other than 0 is a refusal naming code and msg. Change the constants and
 * the one test vector ({@code ApiResponsesTest#assumedShapeVector}) when a real answer is seen.
 */
public final class ApiResponses {
    /** The answer's status: 0 is success. */
    public static final String CODE = "code";
    /** The answer's human-readable message. */
    public static final String MESSAGE = "msg";
    /** The answer's payload object. */
    public static final String RESULT = "result";
    /** In {@link #RESULT}: the platform's id of the command. */
    public static final String COMMAND_ID = "commandId";
    /** In {@link #RESULT}: the command's status text. */
    public static final String COMMAND_STATUS = "commandStatus";
    /** The {@link #CODE} of success. */
    public static final long SUCCESS = 0;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiResponses() {
    }

    /** The command in a create- or query-command answer; {@code api} names the call in errors. */
    public static CommandInfo command(String api, byte[] body) {
        JsonNode result = result(api, body);
        JsonNode id = result.get(COMMAND_ID);
        if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
            throw bad(api, RESULT + "." + COMMAND_ID + " is missing or not a string");
        }
        JsonNode status = result.get(COMMAND_STATUS);
        String statusText = status == null || status.isNull() ? "" : status.asText();
        try {
            return new CommandInfo(id.asText(), statusText, JsonValues.toMap(result, RESULT));
        } catch (PushRejected e) {
            throw bad(api, e.getMessage());
        }
    }

    /** The {@code result} object of a successful answer; {@link CtwingApiException.Kind#API_ERROR} when code != 0. */
    static JsonNode result(String api, byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw bad(api, "answer is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw bad(api, "answer is not a JSON object");
        }
        JsonNode code = root.get(CODE);
        if (code == null || !code.isIntegralNumber()) {
            throw bad(api, "answer has no integer " + CODE);
        }
        if (code.longValue() != SUCCESS) {
            JsonNode message = root.get(MESSAGE);
            String text = message == null || message.isNull() ? "" : PushFields.echo(message.asText());
            throw new CtwingApiException(CtwingApiException.Kind.API_ERROR,
                    api + " refused: code " + code.longValue() + ", msg '" + text + "'", 200, code.longValue(), null);
        }
        JsonNode result = root.get(RESULT);
        if (result == null || !result.isObject()) {
            throw bad(api, "answer has no " + RESULT + " object");
        }
        return result;
    }

    /** Wraps a parse failure into {@link CtwingApiException.Kind#BAD_RESPONSE}. */
    private static CtwingApiException bad(String api, String problem) {
        return new CtwingApiException(CtwingApiException.Kind.BAD_RESPONSE, api + ": " + problem);
    }
}
