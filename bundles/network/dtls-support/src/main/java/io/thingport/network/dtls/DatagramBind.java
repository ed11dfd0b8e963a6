package io.thingport.network.dtls;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.util.Locale;

/** The error for a UDP port that cannot be bound, naming the component, the address and the likely cause. */
public final class DatagramBind {
    private DatagramBind() {
    }

    /** {@code CONFLICT} for a port in use, {@code INVALID_ARGUMENT} otherwise (an address not of this machine, ...). */
    public static ThingportException error(NetworkComponentConfig config, String host, int port, IOException cause) {
        String where = "network component " + config.id() + ": cannot listen on " + host + ":" + port + " (UDP)";
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof BindException && message.toLowerCase(Locale.ROOT).contains("in use")) {
            return new ThingportException(ErrorCode.CONFLICT, where + " (" + message + "; is the port already in use?)");
        }
        if (cause instanceof SocketException) {
            return new ThingportException(ErrorCode.INVALID_ARGUMENT, where + " (" + message + "; is host an address of this machine?)");
        }
        return new ThingportException(ErrorCode.INVALID_ARGUMENT, where + ": " + cause);
    }
}
