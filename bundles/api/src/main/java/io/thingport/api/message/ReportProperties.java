package io.thingport.api.message;

import java.util.Map;

/** A device reports the current values of some of its properties. */
public record ReportProperties(MessageHeader header, Map<String, Object> properties) implements DeviceMessage {
    public ReportProperties {
        properties = Messages.copy(properties);
    }

    @Override
    public MessageType type() {
        return MessageType.REPORT_PROPERTIES;
    }

    @Override
    public ReportProperties withHeader(MessageHeader header) {
        return new ReportProperties(header, properties);
    }
}
