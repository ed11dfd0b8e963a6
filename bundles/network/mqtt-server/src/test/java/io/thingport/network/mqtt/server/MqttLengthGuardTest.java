package io.thingport.network.mqtt.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttMessage;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The fixed-header guard alone: bytes pass unchanged across any segmentation; a bad header becomes an invalid message. */
class MqttLengthGuardTest {
    /** PINGREQ (no body), a PUBLISH of 200 bytes (2-byte length), a CONNECT of 10 bytes, DISCONNECT. */
    private static final byte[] PACKETS = concat(new byte[] {(byte) 0xC0, 0}, packet(0x30, 200), packet(0x10, 10),
            new byte[] {(byte) 0xE0, 0});

    @Test
    void packetsPassUnchangedWhateverTheSegmentation() {
        // Verifies that the guard follows packet boundaries across reads: one read, byte by byte, and in pairs.
        for (int step : new int[] {PACKETS.length, 1, 2, 7}) {
            EmbeddedChannel ch = new EmbeddedChannel(new MqttLengthGuard(200));
            for (int i = 0; i < PACKETS.length; i += step) {
                ch.writeInbound(Unpooled.wrappedBuffer(PACKETS, i, Math.min(step, PACKETS.length - i)));
            }
            assertThat(drain(ch)).as("step %d", step).isEqualTo(PACKETS);
            assertThat(ch.finish()).isFalse();
        }
    }

    @Test
    void theBytesBeforeAnOversizedPacketPassThenItIsRefused() {
        // Verifies that in one read, the valid packets ahead still pass and the oversized one is an invalid message.
        EmbeddedChannel ch = new EmbeddedChannel(new MqttLengthGuard(200));
        ch.writeInbound(Unpooled.wrappedBuffer(concat(PACKETS, new byte[] {0x30, (byte) 0xC9, 0x01, 1, 2, 3})));
        assertThat(ByteBufUtil.getBytes(readBuf(ch))).isEqualTo(PACKETS);
        MqttMessage refused = ch.readInbound();
        assertThat(refused.decoderResult().cause()).isInstanceOf(TooLongFrameException.class)
                .hasMessageContaining("201 bytes");
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        assertThat((Object) ch.readInbound()).as("nothing passes after a refusal").isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void aFifthLengthByteIsRefusedEvenWhenTheHeaderIsSplit() {
        // Verifies the malformed remaining length over two reads: only the header bytes of the first read had passed.
        EmbeddedChannel ch = new EmbeddedChannel(new MqttLengthGuard(200));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x10, (byte) 0x80, (byte) 0x80}));
        assertThat(ByteBufUtil.getBytes(readBuf(ch))).containsExactly(0x10, 0x80, 0x80);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x80, 0x01}));
        MqttMessage refused = ch.readInbound();
        assertThat(refused.decoderResult().cause()).isInstanceOf(DecoderException.class)
                .hasMessageContaining("remaining length exceeds 4 bytes");
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    private static ByteBuf readBuf(EmbeddedChannel ch) {
        ByteBuf buf = ch.readInbound();
        ByteBuf copy = Unpooled.copiedBuffer(buf);
        buf.release();
        return copy;
    }

    private static byte[] drain(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object m; (m = ch.readInbound()) != null; ) {
            ByteBuf buf = (ByteBuf) m;
            out.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        return out.toByteArray();
    }

    private static byte[] packet(int type, int bodyLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        int length = bodyLength;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        for (int i = 0; i < bodyLength; i++) {
            out.write(i);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
