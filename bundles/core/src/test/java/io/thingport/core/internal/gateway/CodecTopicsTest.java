package io.thingport.core.internal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.message.DeviceMessage;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CodecTopicsTest {

    @Test
    void aFrameShowsTheTopicItsCodecFindsInside() {
        // Verifies the topic shown for frame transports (uplinks and downlinks alike): the transport's, else the codec's.
        // GIVEN a codec whose frames are "<topic> <payload>"
        DeviceCodec frames = codec(m -> m.payloadAsText().substring(0, m.payloadAsText().indexOf(' ')));
        // WHEN / THEN
        assertThat(CodecTopics.of(frames, new EncodedMessage("", bytes("/p/d/function/invoke {}"), Map.of())))
                .isEqualTo("/p/d/function/invoke");
        assertThat(CodecTopics.of(frames, EncodedMessage.of("/p/d/properties/report", "{}"))).isEqualTo("/p/d/properties/report");
        assertThat(CodecTopics.of(codec(m -> null), new EncodedMessage("", bytes("x"), Map.of()))).isEmpty();
        assertThat(CodecTopics.of(codec(m -> {
            throw new IllegalStateException("broken");
        }), new EncodedMessage("", bytes("x"), Map.of()))).as("a failing codec shows no topic").isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static DeviceCodec codec(Function<EncodedMessage, String> topicOf) {
        return new DeviceCodec() {
            @Override
            public List<DeviceMessage> decode(EncodedMessage message, CodecSession session) {
                return List.of();
            }

            @Override
            public EncodedMessage encode(DeviceMessage message, CodecSession session) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean maySubscribe(String topicFilter, CodecSession session) {
                return false;
            }

            @Override
            public String topicOf(EncodedMessage message) {
                return topicOf.apply(message);
            }
        };
    }
}
