package io.thingport.bridge.ctwing;

import io.thingport.api.ThingportException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code content} of a command: the payload text and its {@code dataType}. A HEX payload is an even number of hex
 * digits (what the device receives as bytes); a STRING payload is sent as it is.
 */
public record CommandPayload(String payload, PayloadDataType dataType) {
    /** The longest payload text accepted (our bound; the platform's own limit is not documented here). */
    public static final int MAX_PAYLOAD_CHARS = 65_536;
    private static final Pattern HEX = Pattern.compile("(?:[0-9A-Fa-f]{2})+");

    public CommandPayload {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(dataType, "dataType");
        if (payload.isEmpty()) {
            throw ThingportException.invalidArgument("command payload must not be empty");
        }
        if (payload.length() > MAX_PAYLOAD_CHARS) {
            throw ThingportException.invalidArgument(
                    "command payload has " + payload.length() + " characters, more than " + MAX_PAYLOAD_CHARS);
        }
        if (dataType == PayloadDataType.HEX && !HEX.matcher(payload).matches()) {
            throw ThingportException.invalidArgument("command payload of dataType hex must be an even number of hex digits");
        }
    }

    /** The device bytes as upper-case hex, dataType HEX. */
    public static CommandPayload hex(byte[] bytes) {
        return new CommandPayload(HexFormat.of().withUpperCase().formatHex(bytes), PayloadDataType.HEX);
    }

    /** A text payload, dataType STRING. */
    public static CommandPayload text(String text) {
        return new CommandPayload(text, PayloadDataType.STRING);
    }
}
