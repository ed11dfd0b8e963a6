package io.thingport.network.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.thingport.api.ThingportException;
import io.thingport.network.netty.FrameWriter;
import java.nio.ByteOrder;

/**
 * The {@code framing} key: how frames are cut from the byte stream (uplinks) and put on it (downlinks).
 *
 * <ul>
 *   <li>{@code delimiter}: a frame ends with the delimiter, which is removed; downlinks get it appended (a payload that
 *       contains the delimiter is refused, as the device would read it as several frames).</li>
 *   <li>{@code fixed}: every frame has {@code frameLength} bytes; a downlink must have exactly that many.</li>
 *   <li>{@code length}: a length field gives each frame's size (Netty's {@link LengthFieldBasedFrameDecoder}); when the
 *       field is at offset 0 and uplinks are delivered without it (the default {@code initialBytesToStrip}), downlinks
 *       get the field prepended (value = payload length - {@code lengthAdjustment}); otherwise downlinks are written
 *       as the codec produced them, header included.</li>
 *   <li>{@code none}: each read chunk is one frame (cut to {@code maxMessageLength}); downlinks are written as they
 *       are.</li>
 * </ul>
 */
final class TcpFraming {
    private TcpFraming() {
    }

    /** A new decoder for one connection. */
    static ChannelHandler decoder(TcpServerSettings s) {
        return switch (s.framing()) {
            case DELIMITER -> new DelimiterBasedFrameDecoder(s.maxMessageLength(), true, true, Unpooled.wrappedBuffer(s.delimiter()));
            case FIXED -> new FixedLengthFrameDecoder(s.frameLength());
            // the limit applies to what is delivered: the frame less the stripped bytes
            case LENGTH -> new LengthFieldBasedFrameDecoder(s.byteOrder(), s.maxMessageLength() + s.initialBytesToStrip(),
                    s.lengthFieldOffset(), s.lengthFieldLength(), s.lengthAdjustment(), s.initialBytesToStrip(), true);
            case NONE -> new ChunkSplitter(s.maxMessageLength());
        };
    }

    /** The downlink framing, shared by every connection of a server. */
    static FrameWriter writer(String componentId, TcpServerSettings s) {
        return switch (s.framing()) {
            case DELIMITER -> (ch, payload) -> {
                if (indexOf(payload, s.delimiter()) >= 0) {
                    throw ThingportException.invalidArgument("network component " + componentId
                            + ": the downlink contains the frame delimiter, so the device would read it as several frames");
                }
                return Unpooled.wrappedBuffer(payload.clone(), s.delimiter());
            };
            case FIXED -> (ch, payload) -> {
                if (payload.length != s.frameLength()) {
                    throw ThingportException.invalidArgument("network component " + componentId
                            + ": a downlink must have exactly frameLength " + s.frameLength() + " bytes with framing = fixed, not "
                            + payload.length);
                }
                return Unpooled.wrappedBuffer(payload.clone());
            };
            case LENGTH -> s.prependsLengthField()
                    ? (ch, payload) -> lengthPrefixed(componentId, s, ch, payload)
                    : (ch, payload) -> Unpooled.wrappedBuffer(payload.clone());
            case NONE -> (ch, payload) -> Unpooled.wrappedBuffer(payload.clone());
        };
    }

    private static ByteBuf lengthPrefixed(String componentId, TcpServerSettings s, Channel ch, byte[] payload) {
        long value = (long) payload.length - s.lengthAdjustment();
        long max = s.lengthFieldLength() == 8 ? Long.MAX_VALUE : (1L << (8 * s.lengthFieldLength())) - 1;
        if (value < 0 || value > max) {
            throw ThingportException.invalidArgument("network component " + componentId + ": a downlink of " + payload.length
                    + " bytes cannot be described by a " + s.lengthFieldLength() + "-byte length field (lengthAdjustment "
                    + s.lengthAdjustment() + ")");
        }
        ByteBuf header = ch.alloc().buffer(s.lengthFieldLength());
        boolean big = s.byteOrder() == ByteOrder.BIG_ENDIAN;
        switch (s.lengthFieldLength()) {
            case 1 -> header.writeByte((int) value);
            case 2 -> {
                if (big) {
                    header.writeShort((int) value);
                } else {
                    header.writeShortLE((int) value);
                }
            }
            case 3 -> {
                if (big) {
                    header.writeMedium((int) value);
                } else {
                    header.writeMediumLE((int) value);
                }
            }
            case 4 -> {
                if (big) {
                    header.writeInt((int) value);
                } else {
                    header.writeIntLE((int) value);
                }
            }
            default -> {
                if (big) {
                    header.writeLong(value);
                } else {
                    header.writeLongLE(value);
                }
            }
        }
        return Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(payload.clone()));
    }

    static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** {@code none} framing: each read chunk is a frame, cut into pieces of at most {@code max} bytes. */
    static final class ChunkSplitter extends ChannelInboundHandlerAdapter {
        private final int max;

        ChunkSplitter(int max) {
            this.max = max;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                while (buf.readableBytes() > max) {
                    ctx.fireChannelRead(buf.readRetainedSlice(max));
                }
                if (buf.isReadable()) {
                    ctx.fireChannelRead(buf.retain());
                }
            } finally {
                buf.release();
            }
        }
    }
}
