package io.thingport.api.message;

/** A device answers an {@link InvokeFunction}; {@code output} may be any JSON value or {@code null}. */
public record InvokeFunctionReply(MessageHeader header, boolean success, String code, String message, Object output)
        implements DeviceReply {

    @Override
    public MessageType type() {
        return MessageType.INVOKE_FUNCTION_REPLY;
    }

    @Override
    public InvokeFunctionReply withHeader(MessageHeader header) {
        return new InvokeFunctionReply(header, success, code, message, output);
    }
}
