package io.thingport.api.shadow;

import io.thingport.api.ThingportException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A shadow update request (AWS form {@code {"state":{"desired":{..},"reported":{..}},"clientToken":"t","version":N}}).
 *
 * @param desired       keys to set in the desired state; a {@code null} value deletes the key; never null
 * @param clearDesired  {@code "desired":null}: empty the desired state
 * @param reported      keys to set in the reported state, as {@code desired}
 * @param clearReported {@code "reported":null}
 * @param clientToken   echoed in the answer, at most {@link #MAX_CLIENT_TOKEN} characters; may be null
 * @param version       the version the caller last saw: the update is refused unless it is still the current one;
 *                      {@code null} for no check
 */
public record ShadowUpdate(Map<String, Object> desired, boolean clearDesired, Map<String, Object> reported, boolean clearReported,
                           String clientToken, Long version) {
    public static final int MAX_CLIENT_TOKEN = 64;
    /** The most keys one section of an update may name. */
    public static final int MAX_KEYS = 256;

    /** Members of a request that the shadow ignores: the official protocol's message header. */
    private static final Set<String> HEADER = Set.of("messageId", "timestamp");

    public ShadowUpdate {
        desired = nullable(desired);
        reported = nullable(reported);
    }

    /** Whether it changes the desired state. */
    public boolean touchesDesired() {
        return clearDesired || !desired.isEmpty();
    }

    private static Map<String, Object> nullable(Map<String, Object> map) {
        // values may be null (a delete): no Map.copyOf
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * Reads an update from its parsed JSON (objects as maps, JSON null as a {@code null} value).
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the member that is missing, unknown or of the wrong type
     */
    public static ShadowUpdate parse(Map<String, ?> body) {
        for (String key : body.keySet()) {
            if (!HEADER.contains(key) && !key.equals("state") && !key.equals("clientToken") && !key.equals("version")) {
                throw ThingportException.invalidArgument("unknown member " + key + ": an update has state, clientToken and version");
            }
        }
        if (!(body.get("state") instanceof Map<?, ?> state)) {
            throw ThingportException.invalidArgument("state is required and must be an object with desired and/or reported");
        }
        for (Object key : state.keySet()) {
            if (!"desired".equals(key) && !"reported".equals(key)) {
                throw ThingportException.invalidArgument("unknown member state." + key + ": state has desired and reported");
            }
        }
        if (state.isEmpty()) {
            throw ThingportException.invalidArgument("state must have desired or reported");
        }
        Object token = body.get("clientToken");
        if (token != null && (!(token instanceof String t) || t.length() > MAX_CLIENT_TOKEN)) {
            throw ThingportException.invalidArgument("clientToken must be a string of at most " + MAX_CLIENT_TOKEN + " characters");
        }
        Object version = body.get("version");
        Long expected = null;
        if (version != null) {
            if (!(version instanceof Integer || version instanceof Long) || ((Number) version).longValue() < 0) {
                throw ThingportException.invalidArgument("version must be a whole number of at least 0");
            }
            expected = ((Number) version).longValue();
        }
        return new ShadowUpdate(section(state, "desired"), state.containsKey("desired") && state.get("desired") == null,
                section(state, "reported"), state.containsKey("reported") && state.get("reported") == null, (String) token, expected);
    }

    private static Map<String, Object> section(Map<?, ?> state, String name) {
        Object value = state.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw ThingportException.invalidArgument("state." + name + " must be an object or null");
        }
        if (map.size() > MAX_KEYS) {
            throw ThingportException.invalidArgument("state." + name + " names more than " + MAX_KEYS + " keys");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
