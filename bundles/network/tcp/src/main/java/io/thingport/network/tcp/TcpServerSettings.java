package io.thingport.network.tcp;

import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.network.netty.NettyTls;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code tcp-server} configuration keys, checked. Besides the common keys
 * ({@link NetworkComponentConfig#COMMON_KEYS}; TLS is on when {@code certificate} is set):
 *
 * <table>
 *   <caption>tcp-server keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code host}</td><td>{@code 0.0.0.0}</td><td>bind address</td></tr>
 *   <tr><td>{@code port}</td><td>required</td><td>TCP port; 0 picks a free one</td></tr>
 *   <tr><td>{@code framing}</td><td>{@code delimiter}</td><td>how frames are cut from the byte stream:
 *       {@code delimiter}, {@code fixed}, {@code length} or {@code none}</td></tr>
 *   <tr><td>{@code delimiter}</td><td>{@code \n}</td><td>({@code delimiter} framing) the bytes ending a frame; text
 *       with the escapes {@code \n \r \t \\ \0}, or hex such as {@code 0x0D0A}</td></tr>
 *   <tr><td>{@code frameLength}</td><td>required for {@code fixed}</td><td>({@code fixed} framing) bytes per
 *       frame, at most {@code maxMessageLength}</td></tr>
 *   <tr><td>{@code lengthFieldOffset}</td><td>0</td><td>({@code length} framing) bytes before the length field</td></tr>
 *   <tr><td>{@code lengthFieldLength}</td><td>2</td><td>({@code length} framing) size of the length field:
 *       1, 2, 3, 4 or 8 bytes</td></tr>
 *   <tr><td>{@code lengthAdjustment}</td><td>0</td><td>({@code length} framing) added to the length value to get
 *       the bytes that follow the length field (e.g. -2 when a 2-byte value counts itself)</td></tr>
 *   <tr><td>{@code byteOrder}</td><td>{@code big}</td><td>({@code length} framing) {@code big} or {@code little}
 *       endian length field</td></tr>
 *   <tr><td>{@code initialBytesToStrip}</td><td>offset + length</td><td>({@code length} framing) bytes removed from
 *       the start of each frame before delivery; at most offset + length</td></tr>
 *   <tr><td>{@code maxMessageLength}</td><td>65536</td><td>largest frame delivered, in bytes; a longer one closes
 *       the connection ({@code none} framing: read chunks are cut to this size)</td></tr>
 *   <tr><td>{@code maxInflight}</td><td>32</td><td>uplinks per connection the platform is still storing before the
 *       server stops reading from that connection</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>300</td><td>seconds without any byte from the device before the connection
 *       is closed (0 = never)</td></tr>
 *   <tr><td>{@code authTimeout}</td><td>10</td><td>seconds a new connection has to send an accepted login frame</td></tr>
 *   <tr><td>{@code ioThreads}</td><td>number of cores</td><td>Netty event-loop threads</td></tr>
 *   <tr><td>{@code clientAuth}</td><td>{@code none}</td><td>with TLS: {@code none}, {@code optional} or
 *       {@code require} a client certificate (see {@link NettyTls})</td></tr>
 * </table>
 *
 * @param delimiter the parsed delimiter ({@code delimiter} framing), else {@code null}
 */
record TcpServerSettings(String host, int port, Framing framing, byte[] delimiter, int frameLength, int lengthFieldOffset,
                         int lengthFieldLength, int lengthAdjustment, ByteOrder byteOrder, int initialBytesToStrip,
                         int maxMessageLength, int maxInflight, int idleTimeout, int authTimeout, int ioThreads) {

    static final String TYPE = "tcp-server";

    /** Keys this type reads besides {@link NetworkComponentConfig#COMMON_KEYS}. */
    static final Set<String> KEYS = Set.of("host", "port", "framing", "delimiter", "frameLength", "lengthFieldOffset",
            "lengthFieldLength", "lengthAdjustment", "byteOrder", "initialBytesToStrip", "maxMessageLength", "maxInflight",
            "idleTimeout", "authTimeout", "ioThreads", NettyTls.CLIENT_AUTH);

    private static final Set<String> DELIMITER_KEYS = Set.of("delimiter");
    private static final Set<String> FIXED_KEYS = Set.of("frameLength");
    private static final Set<String> LENGTH_KEYS = Set.of("lengthFieldOffset", "lengthFieldLength", "lengthAdjustment",
            "byteOrder", "initialBytesToStrip");

    enum Framing {
        DELIMITER, FIXED, LENGTH, NONE;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static TcpServerSettings from(NetworkComponentConfig c) {
        c.checkKeys(TYPE, KEYS);
        String host = c.string("host", "0.0.0.0");
        String rawPort = c.properties().get("port");
        if (rawPort == null || rawPort.isBlank()) {
            throw ThingportException.invalidArgument("network component " + c.id() + ": port is required (a " + TYPE
                    + " has no default port; 0 picks a free one)");
        }
        int port = c.integer("port", 0, 0, 65535);
        int maxMessageLength = c.integer("maxMessageLength", 65_536, 1, 16 * 1024 * 1024);
        int maxInflight = c.integer("maxInflight", 32, 1, 65_535);
        int idleTimeout = c.integer("idleTimeout", 300, 0, 86_400);
        int authTimeout = c.integer("authTimeout", 10, 1, 3600);
        int ioThreads = c.integer("ioThreads", Runtime.getRuntime().availableProcessors(), 1, 256);
        Framing framing = Framing.valueOf(c.choice("framing", "delimiter", Set.of("delimiter", "fixed", "length", "none"))
                .toUpperCase(Locale.ROOT));
        onlyFor(c, framing, Framing.DELIMITER, DELIMITER_KEYS);
        onlyFor(c, framing, Framing.FIXED, FIXED_KEYS);
        onlyFor(c, framing, Framing.LENGTH, LENGTH_KEYS);

        byte[] delimiter = null;
        int frameLength = 0;
        int offset = 0;
        int fieldLength = 2;
        int adjustment = 0;
        ByteOrder order = ByteOrder.BIG_ENDIAN;
        int strip = 0;
        switch (framing) {
            case DELIMITER -> delimiter = parseDelimiter(c.id(), c.properties().get("delimiter"));
            case FIXED -> {
                String raw = c.properties().get("frameLength");
                if (raw == null || raw.isBlank()) {
                    throw ThingportException.invalidArgument("network component " + c.id()
                            + ": frameLength is required with framing = fixed (the number of bytes in every frame)");
                }
                frameLength = c.integer("frameLength", 0, 1, maxMessageLength);
            }
            case LENGTH -> {
                offset = c.integer("lengthFieldOffset", 0, 0, 65_535);
                fieldLength = c.integer("lengthFieldLength", 2, 1, 8);
                if (fieldLength != 1 && fieldLength != 2 && fieldLength != 3 && fieldLength != 4 && fieldLength != 8) {
                    throw ThingportException.invalidArgument("network component " + c.id() + ": lengthFieldLength "
                            + fieldLength + " is not one of [1, 2, 3, 4, 8]");
                }
                adjustment = c.integer("lengthAdjustment", 0, -65_535, 65_535);
                order = c.choice("byteOrder", "big", Set.of("big", "little")).equals("big") ? ByteOrder.BIG_ENDIAN
                        : ByteOrder.LITTLE_ENDIAN;
                strip = c.integer("initialBytesToStrip", offset + fieldLength, 0, offset + fieldLength);
            }
            default -> {
                // none: each read chunk is a frame
            }
        }
        return new TcpServerSettings(host, port, framing, delimiter, frameLength, offset, fieldLength, adjustment, order, strip,
                maxMessageLength, maxInflight, idleTimeout, authTimeout, ioThreads);
    }

    private static void onlyFor(NetworkComponentConfig c, Framing framing, Framing owner, Set<String> keys) {
        if (framing == owner) {
            return;
        }
        for (String key : keys) {
            if (c.properties().containsKey(key)) {
                throw ThingportException.invalidArgument("network component " + c.id() + ": " + key + " only applies to framing = "
                        + owner.key() + ", but framing is " + framing.key());
            }
        }
    }

    /**
     * Parses a delimiter: hex ({@code 0x0D0A}) or text with the escapes {@code \n \r \t \\ \0}; empty means
     * {@code \n}. A value of only spaces or tabs is taken literally.
     */
    static byte[] parseDelimiter(String id, String raw) {
        if (raw == null || raw.isEmpty()) {
            return new byte[] {'\n'};
        }
        String v = raw.isBlank() ? raw : raw.trim();
        if (v.length() > 2 && (v.startsWith("0x") || v.startsWith("0X"))) {
            String hex = v.substring(2);
            if (hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]+")) {
                throw ThingportException.invalidArgument("network component " + id + ": delimiter '" + v
                        + "' is not hex bytes (write e.g. 0x0D0A: an even number of hex digits after 0x)");
            }
            byte[] out = new byte[hex.length() / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
            return checkLength(id, v, out);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch != '\\') {
                out.writeBytes(String.valueOf(ch).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 1 >= v.length()) {
                throw ThingportException.invalidArgument("network component " + id + ": delimiter '" + v
                        + "' ends with a lone backslash (write \\\\ for a backslash)");
            }
            char e = v.charAt(++i);
            switch (e) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case '\\' -> out.write('\\');
                default -> throw ThingportException.invalidArgument("network component " + id + ": delimiter '" + v
                        + "' has the unknown escape \\" + e + " (known: \\n \\r \\t \\0 \\\\, or hex like 0x0D0A)");
            }
        }
        return checkLength(id, v, out.toByteArray());
    }

    private static byte[] checkLength(String id, String v, byte[] delimiter) {
        if (delimiter.length > 64) {
            throw ThingportException.invalidArgument("network component " + id + ": delimiter '" + v + "' is longer than 64 bytes");
        }
        return delimiter;
    }

    /** Whether downlinks get the length field prepended (see {@link TcpFraming}). */
    boolean prependsLengthField() {
        return framing == Framing.LENGTH && lengthFieldOffset == 0 && initialBytesToStrip == lengthFieldLength;
    }
}
