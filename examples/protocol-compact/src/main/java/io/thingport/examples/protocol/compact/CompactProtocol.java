package io.thingport.examples.protocol.compact;

import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSample;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The compact binary TCP protocol (id {@code compact}): length-prefixed binary frames with an HMAC-SHA256 signed
 * login, property reports, events and property writes. The frames are described in {@code protocol.md} (returned by
 * {@link #documentation()}) and in this project's README.
 *
 * <p>Registered through {@code META-INF/services/io.thingport.api.protocol.ProtocolSupport}: the platform creates it
 * with the public no-argument constructor. Its {@link #version()} is the Maven project version, read from the filtered
 * resource {@code compact-protocol.properties} next to this class, through this class's own class loader (so that
 * two versions installed side by side each report their own).
 */
public final class CompactProtocol implements ProtocolSupport {
    public static final String ID = "compact";

    /**
     * A REPORT as the platform delivers it (length prefix stripped): sequence 1, {@code temp} float64 21.5 and
     * {@code on} bool true.
     */
    static final String SAMPLE_REPORT_HEX = "02" + "00000001" + "02"
            + "0474656d70" + "05" + "4035800000000000"
            + "026f6e" + "01" + "01";

    private final String version;
    private final String documentation;
    private final CompactCodec codec = new CompactCodec();
    private final CompactAuthenticator authenticator = new CompactAuthenticator();

    public CompactProtocol() {
        this.version = readVersion();
        this.documentation = readResource("protocol.md");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Compact binary TCP protocol";
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String description() {
        return "Binary frames behind a 2-byte length prefix (tcp-server framing=length): an HMAC-SHA256 signed LOGIN,"
                + " REPORT and EVENT uplinks, WRITE downlinks answered by WRITE_REPLY";
    }

    @Override
    public Set<Transport> transports() {
        return EnumSet.of(Transport.TCP);
    }

    @Override
    public DeviceCodec codec(Transport transport) {
        requireSupported(transport);
        return codec;
    }

    @Override
    public Authenticator authenticator(Transport transport) {
        requireSupported(transport);
        return authenticator;
    }

    @Override
    public String documentation() {
        return documentation;
    }

    @Override
    public List<ProtocolSample> samples() {
        return List.of(new ProtocolSample(Transport.TCP, "sample", "sample-1",
                new EncodedMessage("", HexFormat.of().parseHex(SAMPLE_REPORT_HEX), Map.of())));
    }

    private void requireSupported(Transport transport) {
        if (transport != Transport.TCP) {
            throw new IllegalArgumentException("the compact protocol supports TCP only, not " + transport);
        }
    }

    private static String readVersion() {
        Properties p = new Properties();
        try (InputStream in = open("compact-protocol.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read compact-protocol.properties", e);
        }
        String v = p.getProperty("version", "").trim();
        if (v.isEmpty()) {
            throw new IllegalStateException("compact-protocol.properties has no version");
        }
        return v;
    }

    private static String readResource(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /** A resource in this class's package, through this class's own class loader. */
    private static InputStream open(String name) {
        InputStream in = CompactProtocol.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("resource " + name + " is missing next to " + CompactProtocol.class.getName());
        }
        return in;
    }
}
