package io.thingport.examples.protocol.compact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * device.py against this package's authenticator and codec, over a real socket with 2-byte length framing (what the
 * platform's tcp-server does with {@code framing=length}). Skipped when {@code python3} is not installed.
 */
class DeviceSimulatorTest {

    @Test
    @Timeout(30)
    void deviceLogsInReportsAndAnswersAWrite() throws Exception {
        assumeTrue(python3(), "python3 is not installed");
        CompactAuthenticator authenticator = new CompactAuthenticator();
        CompactCodec codec = new CompactCodec();
        TestSupport.Session session = new TestSupport.Session("d1", "sensor");
        List<DeviceMessage> received = new ArrayList<>();

        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path out = Files.createTempFile("device", ".log");
            ProcessBuilder pb = new ProcessBuilder("python3", "device.py", "--host", "127.0.0.1",
                    "--port", Integer.toString(server.getLocalPort()), "--device", "d1", "--secret", "S",
                    "--count", "3", "--interval", "0.2", "--linger", "1")
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("PYTHONIOENCODING", "utf-8");
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process device = pb.start();
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream os = new DataOutputStream(socket.getOutputStream());

                AuthResult login = authenticator.authenticate(
                        AuthRequest.ofFrame(Transport.TCP, readFrame(in), null, List.of()),
                        new TestSupport.FakeAuthContext(System.currentTimeMillis()).device("d1", "sensor", "S", true));
                assertThat(login.accepted()).as(login.detail()).isTrue();
                writeFrame(os, codec.loginReply(login).orElseThrow().payload());

                received.addAll(codec.decode(frame(readFrame(in)), session));
                Map<String, Object> props = new LinkedHashMap<>();
                props.put("on", true);
                props.put("level", 42L);
                props.put("label", "héllo");
                props.put("ratio", 0.5f);
                writeFrame(os, codec.encode(new WriteProperties(MessageHeader.of("w-1", "sensor", "d1", 0), props), session)
                        .payload());
                while (received.size() < 4) {
                    received.addAll(codec.decode(frame(readFrame(in)), session));
                }
                assertThat(in.read()).as("the device closes after --linger").isEqualTo(-1);
            }
            assertThat(device.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(device.exitValue()).as(log).isZero();
            assertThat(log).contains("<- LOGIN_REPLY accepted", "-> REPORT seq 3",
                    "<- WRITE w-1 {'on': True, 'level': 42, 'label': 'héllo', 'ratio': 0.5}", "-> WRITE_REPLY w-1 status 0");
            Files.delete(out);
        }

        List<ReportProperties> reports = received.stream().filter(ReportProperties.class::isInstance)
                .map(ReportProperties.class::cast).toList();
        assertThat(reports).extracting(DeviceMessage::messageId).containsExactly("1", "2", "3");
        for (ReportProperties r : reports) {
            assertThat(r.properties()).containsOnlyKeys("temp", "seq");
            assertThat(r.properties().get("temp")).isInstanceOf(Double.class);
            assertThat(r.properties().get("seq")).isEqualTo(Long.parseLong(r.messageId()));
        }
        assertThat(received).filteredOn(WritePropertiesReply.class::isInstance).singleElement()
                .satisfies(m -> {
                    assertThat(m.messageId()).isEqualTo("w-1");
                    assertThat(((WritePropertiesReply) m).success()).isTrue();
                });
    }

    private static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static EncodedMessage frame(byte[] payload) {
        return new EncodedMessage("", payload, Map.of());
    }

    private static byte[] readFrame(DataInputStream in) throws Exception {
        try {
            byte[] frame = new byte[in.readUnsignedShort()];
            in.readFully(frame);
            return frame;
        } catch (EOFException e) {
            throw new AssertionError("the device closed the connection early", e);
        }
    }

    private static void writeFrame(DataOutputStream out, byte[] frame) throws Exception {
        out.writeShort(frame.length);
        out.write(frame);
        out.flush();
    }
}
