package io.thingport.network.netty;

import io.netty.channel.Channel;

/**
 * How a transport puts one frame on the wire for a {@link FrameConnectionHandler}: TCP adds its framing (delimiter,
 * length field), WebSocket makes a text or binary frame. Called from any thread.
 */
@FunctionalInterface
public interface FrameWriter {
    /**
     * The outbound message that carries {@code payload} as one frame (a {@code ByteBuf} or a message an encoder later in
     * the pipeline understands).
     *
     * @throws io.thingport.api.ThingportException {@code INVALID_ARGUMENT} when the payload cannot be one frame (e.g.
     *                                             not the fixed frame length), naming the rule
     */
    Object frame(Channel channel, byte[] payload);

    /**
     * What to write just before the connection closes (e.g. a WebSocket close frame), or {@code null} for nothing.
     *
     * @param reason the close reason for the device log
     */
    default Object goodbye(Channel channel, CloseCause cause, String reason) {
        return null;
    }
}
