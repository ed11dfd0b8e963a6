package io.thingport.network.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.thingport.network.netty.CloseCause;
import io.thingport.network.netty.FrameConnectionHandler;
import io.thingport.network.netty.FrameWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The WebSocket side of a frame connection: the path check, frames in and out, close frames. */
final class WebSocketFrames {
    private static final AttributeKey<Boolean> OPEN = AttributeKey.valueOf("thingport.websocket.open");
    /** A close frame's reason holds at most 123 bytes. */
    private static final int MAX_CLOSE_REASON = 123;

    private WebSocketFrames() {
    }

    /**
     * Downlinks: a text frame when the payload is valid UTF-8, else a binary frame. Goodbyes: a close frame whose
     * status says why (1000 normal/timeout, 1001 component stopped, 1008 refused/forbidden, 1009 too large, 1011
     * platform error, 1002 protocol error) with the close reason, once the WebSocket is open.
     */
    static final FrameWriter WRITER = new FrameWriter() {
        @Override
        public Object frame(Channel channel, byte[] payload) {
            ByteBuf content = Unpooled.wrappedBuffer(payload.clone());
            return isUtf8(payload) ? new TextWebSocketFrame(content) : new BinaryWebSocketFrame(content);
        }

        @Override
        public Object goodbye(Channel channel, CloseCause cause, String reason) {
            if (!Boolean.TRUE.equals(channel.attr(OPEN).get())) {
                return null;
            }
            return new CloseWebSocketFrame(status(cause), truncate(reason));
        }
    };

    static WebSocketCloseStatus status(CloseCause cause) {
        return switch (cause) {
            case SHUTDOWN -> WebSocketCloseStatus.ENDPOINT_UNAVAILABLE;
            case REFUSED, FORBIDDEN -> WebSocketCloseStatus.POLICY_VIOLATION;
            case TOO_LARGE -> WebSocketCloseStatus.MESSAGE_TOO_BIG;
            case PLATFORM_ERROR -> WebSocketCloseStatus.INTERNAL_SERVER_ERROR;
            case PROTOCOL_ERROR -> WebSocketCloseStatus.PROTOCOL_ERROR;
            default -> WebSocketCloseStatus.NORMAL_CLOSURE;
        };
    }

    static boolean isUtf8(byte[] payload) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static String truncate(String reason) {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_CLOSE_REASON) {
            return reason;
        }
        int end = Math.min(reason.length(), MAX_CLOSE_REASON);
        while (end > 0 && reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_CLOSE_REASON - 3) {
            end--;
        }
        return reason.substring(0, end) + "...";
    }

    /** Answers 404 to an HTTP request for any other path than the configured one. */
    static final class PathFilter extends ChannelInboundHandlerAdapter {
        private final String path;

        PathFilter(String path) {
            this.path = path;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest request && !new QueryStringDecoder(request.uri()).path().equals(path)) {
                ReferenceCountUtil.release(msg);
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                        Unpooled.copiedBuffer("not found: WebSocket connections open on " + path + "\n", StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                        .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                FrameConnectionHandler.closeReason(ctx.channel(), "HTTP request for " + request.uri() + " answered 404");
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Hands the content of text and binary messages (continuations already aggregated) to the frame handler as
     * {@code ByteBuf}s, marks the WebSocket open after the handshake, and names oversized frames.
     */
    static final class Adapter extends ChannelInboundHandlerAdapter {
        private final int maxMessageLength;

        Adapter(int maxMessageLength) {
            this.maxMessageLength = maxMessageLength;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                WebSocketFrame frame = (WebSocketFrame) msg;
                ctx.fireChannelRead(frame.content().retain());
                frame.release();
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                ctx.channel().attr(OPEN).set(true);
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof CorruptedWebSocketFrameException corrupt) {
                // Netty's decoder already sent the close frame with the status; close without a second one.
                FrameConnectionHandler handler = ctx.pipeline().get(FrameConnectionHandler.class);
                String reason = corrupt.closeStatus() != null && corrupt.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()
                        ? "frame longer than maxMessageLength " + maxMessageLength + " bytes"
                        : "malformed WebSocket frame: " + cause.getMessage();
                if (handler != null) {
                    handler.abort(reason);
                } else {
                    FrameConnectionHandler.closeReason(ctx.channel(), reason);
                    ctx.close();
                }
                return;
            }
            ctx.fireExceptionCaught(cause);
        }
    }
}
