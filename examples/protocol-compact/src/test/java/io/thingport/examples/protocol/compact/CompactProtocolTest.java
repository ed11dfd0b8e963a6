package io.thingport.examples.protocol.compact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.protocol.ProtocolSample;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class CompactProtocolTest {
    private final CompactProtocol protocol = new CompactProtocol();

    @Test
    void identity() {
        assertThat(protocol.id()).isEqualTo("compact");
        assertThat(protocol.name()).isEqualTo("Compact binary TCP protocol");
        assertThat(protocol.description()).isNotBlank();
        assertThat(protocol.transports()).containsExactly(Transport.TCP);
    }

    @Test
    void versionIsTheMavenProjectVersion() {
        assertThat(protocol.version()).isEqualTo("1.0.0");
    }

    @Test
    void tcpOnly() {
        assertThat(protocol.codec(Transport.TCP)).isInstanceOf(CompactCodec.class);
        assertThat(protocol.authenticator(Transport.TCP)).isInstanceOf(CompactAuthenticator.class);
        for (Transport t : Transport.values()) {
            if (t != Transport.TCP) {
                assertThatThrownBy(() -> protocol.codec(t)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> protocol.authenticator(t)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void registeredThroughMetaInfServices() {
        List<ProtocolSupport> found = ServiceLoader.load(ProtocolSupport.class, CompactProtocol.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();
        assertThat(found).hasSize(1);
        assertThat(found.get(0)).isInstanceOf(CompactProtocol.class);
    }

    @Test
    void theSampleDecodes() {
        List<ProtocolSample> samples = protocol.samples();
        assertThat(samples).hasSize(1);
        ProtocolSample s = samples.get(0);
        assertThat(s.transport()).isEqualTo(Transport.TCP);
        assertThat(s.productId()).isEqualTo("sample");
        assertThat(s.deviceId()).isEqualTo("sample-1");
        assertThat(TestSupport.hex(s.uplink().payload())).isEqualTo("0200000001020474656d7005403580000000000002" + "6f6e0101");

        List<DeviceMessage> decoded = protocol.codec(Transport.TCP)
                .decode(s.uplink(), new TestSupport.Session(s.deviceId(), s.productId()));
        assertThat(decoded).singleElement().isInstanceOf(ReportProperties.class);
        ReportProperties r = (ReportProperties) decoded.get(0);
        assertThat(r.deviceId()).isEqualTo("sample-1");
        assertThat(r.productId()).isEqualTo("sample");
        assertThat(r.messageId()).isEqualTo("1");
        assertThat(r.properties()).containsExactly(Map.entry("temp", 21.5), Map.entry("on", true));
        assertThat(protocol.codec(Transport.TCP).topicOf(s.uplink())).isEqualTo("compact/report");
    }

    @Test
    void documentationIsTheReadmeProtocolSection() throws Exception {
        String doc = protocol.documentation();
        assertThat(doc).startsWith("## The compact protocol").contains("0x01", "0x81", "0x02", "0x03", "0x10", "0x11");
        // The README's lines that tell the documentation run how to treat a block (<!-- test: ... -->) are not part of it.
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8).replaceAll("(?m)^<!-- test: .*-->\n", "");
        assertThat(readme).as("README.md must contain protocol.md verbatim").contains(doc.strip());
    }
}
