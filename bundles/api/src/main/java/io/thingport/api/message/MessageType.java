package io.thingport.api.message;

/**
 * The kind of a device message. {@link #topicSuffix()} is the last part of the internal event topic
 * {@code /device/{productId}/{deviceId}/{suffix}} on which the platform publishes the message.
 */
public enum MessageType {
    REPORT_PROPERTIES("properties/report"),
    READ_PROPERTIES("properties/read"),
    READ_PROPERTIES_REPLY("properties/read/reply"),
    WRITE_PROPERTIES("properties/write"),
    WRITE_PROPERTIES_REPLY("properties/write/reply"),
    INVOKE_FUNCTION("function/invoke"),
    INVOKE_FUNCTION_REPLY("function/invoke/reply"),
    EVENT("event"),
    ONLINE("online"),
    OFFLINE("offline"),
    REGISTER("register"),
    REGISTER_REPLY("register/reply"),
    DIRECT("direct"),
    SHADOW_GET("shadow/get"),
    SHADOW_UPDATE("shadow/update"),
    /** Any answer of the platform to a shadow request, and a pushed delta ({@link ShadowReply.Kind} tells which). */
    SHADOW_REPLY("shadow"),
    ERROR("error");

    private final String topicSuffix;

    MessageType(String topicSuffix) {
        this.topicSuffix = topicSuffix;
    }

    public String topicSuffix() {
        return topicSuffix;
    }
}
