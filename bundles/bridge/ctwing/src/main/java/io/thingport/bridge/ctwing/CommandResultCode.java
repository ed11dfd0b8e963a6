package io.thingport.bridge.ctwing;

import io.thingport.bridge.support.PushRejected;
import java.util.Locale;

/** The {@code result.resultCode} of a {@code commandResponse}: how far a command got. */
public enum CommandResultCode {
    /** The platform sent the command to the device. */
    SENT,
    /** The device acknowledged receipt. */
    DELIVERED,
    /** The device executed the command. */
    SUCCESSFUL,
    /** The command failed (timed out, refused, ...). */
    FAILED;

    /** The code for a wire value; another value is malformed, naming {@code result.resultCode}. */
    public static CommandResultCode fromWire(String value) {
        for (CommandResultCode code : values()) {
            if (code.name().equals(value.toUpperCase(Locale.ROOT))) {
                return code;
            }
        }
        throw PushRejected.malformed("result.resultCode must be SENT, DELIVERED, SUCCESSFUL or FAILED, not '" + value + "'");
    }
}
