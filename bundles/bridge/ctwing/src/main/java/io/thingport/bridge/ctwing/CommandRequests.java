package io.thingport.bridge.ctwing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.api.ThingportException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the command API calls (pure). Create: {@code POST /aep_device_command/command}, version
 * {@value CtwingApi#CREATE_COMMAND_VERSION}, body
 * {@code {"content":{"payload":"AA01","dataType":2},"deviceId":"..","operator":"..","productId":15045240,"ttl":7200,"level":1}}
 * with {@code productId} a JSON number. Query: {@code GET /aep_device_command/command?commandId=..&productId=..&deviceId=..},
 * version {@value CtwingApi#QUERY_COMMAND_VERSION}. Both carry the product's {@code MasterKey}.
 */
public final class CommandRequests {
    /** The {@code level} the create call sends (as in the documented example). */
    public static final int DEFAULT_LEVEL = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private CommandRequests() {
    }

    /** The create-command call for {@code deviceId} with the product, operator and ttl of {@code config}. */
    public static ApiRequest create(CtwingBridgeConfig config, String deviceId, CommandPayload payload) {
        return create(config.productId(), deviceId, config.operator(), payload, config.commandTtlSeconds(), DEFAULT_LEVEL);
    }

    /** The create-command call. */
    public static ApiRequest create(long productId, String deviceId, String operator, CommandPayload payload, int ttlSeconds, int level) {
        requireText("deviceId", deviceId);
        requireText("operator", operator);
        Objects.requireNonNull(payload, "payload");
        ObjectNode body = JSON.createObjectNode();
        ObjectNode content = body.putObject("content");
        content.put("payload", payload.payload());
        content.put("dataType", payload.dataType().wire());
        body.put("deviceId", deviceId);
        body.put("operator", operator);
        body.put("productId", productId);
        body.put("ttl", ttlSeconds);
        body.put("level", level);
        return new ApiRequest("POST", CtwingApi.COMMAND_PATH, CtwingApi.CREATE_COMMAND_VERSION, Map.of(), true, bytes(body));
    }

    /** The query-command call. */
    public static ApiRequest query(long productId, String deviceId, String commandId) {
        requireText("deviceId", deviceId);
        requireText("commandId", commandId);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("commandId", commandId);
        query.put("productId", Long.toString(productId));
        query.put("deviceId", deviceId);
        return new ApiRequest("GET", CtwingApi.COMMAND_PATH, CtwingApi.QUERY_COMMAND_VERSION, query, true, null);
    }

    /** The unsigned clock call {@code GET /echo}. */
    public static ApiRequest echo() {
        return new ApiRequest("GET", CtwingApi.ECHO_PATH, "", Map.of(), false, null);
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ThingportException.invalidArgument(name + " must not be empty");
        }
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("command body could not be written", e);
        }
    }
}
