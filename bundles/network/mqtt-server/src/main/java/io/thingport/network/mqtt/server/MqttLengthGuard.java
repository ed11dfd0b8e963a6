package io.thingport.network.mqtt.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessageFactory;

/**
 * Refuses an MQTT packet as soon as its fixed header has been read when it declares a remaining length above
 * {@code maxMessageLength}, or a malformed one (a continuation bit on the fourth length byte). Netty's
 * {@link MqttDecoder} compares the length with its limit only once it has decoded the packet's variable header, so a
 * device that declares 200 MB and sends no more would be kept until {@code connectTimeout} or the keep-alive, and one
 * that sends a long variable header would have it buffered first.
 *
 * <p>Sits just before the decoder and passes the bytes on unchanged, following the packet boundaries itself (fixed
 * header, then {@code remaining length} bytes). A refused packet becomes the decoder's own invalid message (a
 * {@link TooLongFrameException} or a {@link DecoderException}), so that {@link MqttConnectionHandler} closes the
 * connection as for any too-long or malformed packet; the bytes before that packet are still passed on, nothing after
 * it is. Confined to the channel's event loop.
 */
final class MqttLengthGuard extends ChannelInboundHandlerAdapter {
    /** MQTT encodes the remaining length in at most four bytes. */
    private static final int MAX_LENGTH_BYTES = 4;

    private final int maxRemainingLength;
    /** Body bytes of the current packet that are still to pass. */
    private int bodyLeft;
    /** Bytes of the current packet's fixed header read so far: 0 at a packet's start, then type byte + length bytes. */
    private int headerRead;
    private int remainingLength;
    private boolean refused;

    MqttLengthGuard(int maxRemainingLength) {
        this.maxRemainingLength = maxRemainingLength;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (refused) {
            buf.release();
            return;
        }
        int end = buf.writerIndex();
        int i = buf.readerIndex();
        // where the packet being read starts in this buffer; a header begun in an earlier buffer starts "here"
        int packetStart = i;
        while (i < end) {
            if (bodyLeft > 0) {
                int n = Math.min(bodyLeft, end - i);
                i += n;
                bodyLeft -= n;
                continue;
            }
            int b = buf.getUnsignedByte(i++);
            if (headerRead == 0) {
                packetStart = i - 1;
                headerRead = 1;
                remainingLength = 0;
                continue;
            }
            remainingLength |= (b & 0x7F) << (7 * (headerRead - 1));
            headerRead++;
            if ((b & 0x80) == 0) {
                headerRead = 0;
                if (remainingLength > maxRemainingLength) {
                    refuse(ctx, buf, packetStart, new TooLongFrameException("a packet declares " + remainingLength
                            + " bytes, more than maxMessageLength " + maxRemainingLength));
                    return;
                }
                bodyLeft = remainingLength;
            } else if (headerRead > MAX_LENGTH_BYTES) {
                refuse(ctx, buf, packetStart, new DecoderException("remaining length exceeds 4 bytes"));
                return;
            }
        }
        ctx.fireChannelRead(buf);
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf buf, int packetStart, Exception cause) {
        refused = true;
        int before = packetStart - buf.readerIndex();
        try {
            if (before > 0) {
                ctx.fireChannelRead(buf.retainedSlice(buf.readerIndex(), before));
            }
        } finally {
            buf.release();
        }
        // passes through the decoder (it forwards what is not a ByteBuf) to the connection handler, which closes
        ctx.fireChannelRead(MqttMessageFactory.newInvalidMessage(cause));
    }
}
