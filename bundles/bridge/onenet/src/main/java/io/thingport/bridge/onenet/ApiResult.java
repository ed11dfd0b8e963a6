package io.thingport.bridge.onenet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of a OneNET Studio API call: {@code {"code":0,"msg":"succ","data":{..},"request_id":".."}}. It is a
 * success when the HTTP status is 2xx and {@code code} is 0; anything else is a failure naming the code and msg.
 *
 * @param httpStatus the HTTP status
 * @param code OneNET's {@code code} (-1 when a non-2xx answer had no JSON body)
 * @param message OneNET's {@code msg} (or {@code HTTP <status>} when there was none)
 * @param data {@code data} as plain Java values (unmodifiable), or null
 * @param requestId {@code request_id}, if present
 */
public record ApiResult(int httpStatus, int code, String message, Object data, Optional<String> requestId) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_MESSAGE_CHARS = 200;

    public ApiResult {
        Objects.requireNonNull(message, "message");
        data = JsonValues.immutable(data);
        Objects.requireNonNull(requestId, "requestId");
    }

    public boolean success() {
        return httpStatus / 100 == 2 && code == 0;
    }

    /**
     * Reads an answer.
     *
     * @throws ThingportException {@code MALFORMED} when a 2xx answer is not the documented JSON
     */
    public static ApiResult parse(int httpStatus, String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            root = null;
        }
        boolean ok = httpStatus / 100 == 2;
        if (root == null || !root.isObject() || !root.path("code").isIntegralNumber() || !root.path("code").canConvertToInt()) {
            if (ok) {
                throw new ThingportException(ErrorCode.MALFORMED,
                        "OneNET API answered HTTP " + httpStatus + " without a JSON object with an integer 'code'");
            }
            return new ApiResult(httpStatus, -1, "HTTP " + httpStatus, null, Optional.empty());
        }
        String message = root.path("msg").isTextual() ? root.path("msg").textValue() : "";
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
        }
        Optional<String> requestId = root.path("request_id").isValueNode() && !root.path("request_id").isNull()
                ? Optional.of(root.path("request_id").asText())
                : Optional.empty();
        return new ApiResult(httpStatus, root.path("code").intValue(), message, JsonValues.toJava(root.get("data")), requestId);
    }

    /** A short text naming the status, code and msg, e.g. {@code HTTP 200, code 10403: auth failed}. */
    public String describe() {
        return "HTTP " + httpStatus + ", code " + code + (message.isEmpty() ? "" : ": " + message)
                + requestId.map(id -> " (request_id " + id + ")").orElse("");
    }

    /**
     * This result if it is a success.
     *
     * @throws ThingportException {@code UNAUTHENTICATED} for HTTP 401/403, else {@code DEVICE_ERROR}, naming code and msg
     */
    public ApiResult orThrow() {
        if (success()) {
            return this;
        }
        ErrorCode errorCode = httpStatus == 401 || httpStatus == 403 ? ErrorCode.UNAUTHENTICATED : ErrorCode.DEVICE_ERROR;
        throw new ThingportException(errorCode, "OneNET API call failed: " + describe());
    }
}
