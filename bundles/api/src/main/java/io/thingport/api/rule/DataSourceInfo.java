package io.thingport.api.rule;

import java.util.List;
import java.util.Map;

/**
 * A named connection that actions use: {@code jdbc} (url, user, password), {@code kafka} (brokers), {@code http} (secret:
 * the HMAC key of webhook signatures) or {@code mqtt} (url, user, password). In every answer the secret options
 * ({@code password}, {@code secret}) are masked.
 */
public record DataSourceInfo(String name, String type, Map<String, String> options, long createdAt, List<String> usedBy) {
}
