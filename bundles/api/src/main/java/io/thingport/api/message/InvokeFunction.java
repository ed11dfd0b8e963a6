package io.thingport.api.message;

import java.util.Map;
import java.util.Objects;

/** The platform invokes a function of a device with named inputs (in the order given). */
public record InvokeFunction(MessageHeader header, String functionId, Map<String, Object> inputs) implements DeviceCommand {
    public InvokeFunction {
        Objects.requireNonNull(functionId, "functionId");
        inputs = Messages.copy(inputs);
    }

    @Override
    public MessageType type() {
        return MessageType.INVOKE_FUNCTION;
    }

    @Override
    public InvokeFunction withHeader(MessageHeader header) {
        return new InvokeFunction(header, functionId, inputs);
    }
}
