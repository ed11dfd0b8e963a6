package io.thingport.core.internal.protocol;

import io.thingport.api.Identifiers;
import io.thingport.api.ThingportException;
import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.ProtocolSample;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a protocol package must pass before it serves devices: its descriptive methods answer, it makes a codec and
 * an authenticator for every transport it claims, and its codecs decode its own samples. Any exception or linkage
 * error (a class missing from the jar) refuses the package with a message naming the call that failed.
 */
final class ProtocolCheck {
    private ProtocolCheck() {
    }

    /** @return the protocol's id, checked */
    static String check(ProtocolSupport protocol) {
        String id = call("id()", protocol::id);
        if (id == null) {
            throw refused("?", "id() returned null");
        }
        try {
            Identifiers.requireName("protocol id", id);
        } catch (ThingportException e) {
            throw refused(id, e.getMessage());
        }
        for (String what : List.of("name()", "version()", "description()", "documentation()")) {
            Object value = call(id, what, () -> switch (what) {
                case "name()" -> protocol.name();
                case "version()" -> protocol.version();
                case "description()" -> protocol.description();
                default -> protocol.documentation();
            });
            if (value == null) {
                throw refused(id, what + " returned null");
            }
        }
        Set<Transport> transports = call(id, "transports()", protocol::transports);
        if (transports == null || transports.isEmpty()) {
            throw refused(id, "transports() names no transport");
        }
        for (Transport t : transports) {
            if (call(id, "codec(" + t + ")", () -> protocol.codec(t)) == null) {
                throw refused(id, "codec(" + t + ") returned null");
            }
            if (call(id, "authenticator(" + t + ")", () -> protocol.authenticator(t)) == null) {
                throw refused(id, "authenticator(" + t + ") returned null");
            }
        }
        call(id, "thingModelCodec()", protocol::thingModelCodec);
        List<ProtocolSample> samples = call(id, "samples()", protocol::samples);
        int n = 0;
        for (ProtocolSample sample : samples == null ? List.<ProtocolSample>of() : samples) {
            n++;
            if (!transports.contains(sample.transport())) {
                throw refused(id, "sample " + n + " is for " + sample.transport() + ", which the protocol does not support");
            }
            List<DeviceMessage> decoded;
            try {
                decoded = protocol.codec(sample.transport()).decode(sample.uplink(), new SampleSession(sample));
            } catch (CodecException e) {
                throw refused(id, "its codec refuses its own sample " + n + ": " + e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                throw refused(id, "its codec failed on its own sample " + n + " (" + sample.transport() + "): " + e);
            }
            if (decoded == null || decoded.isEmpty()) {
                throw refused(id, "its codec decodes its own sample " + n + " to no message");
            }
        }
        return id;
    }

    private static <T> T call(String what, Supplier<T> call) {
        return call("?", what, call);
    }

    private static <T> T call(String id, String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException | LinkageError e) {
            throw refused(id, what + " failed: " + e);
        }
    }

    private static ThingportException refused(String id, String why) {
        return ThingportException.invalidArgument("protocol " + id + " failed its check: " + why);
    }

    private record SampleSession(ProtocolSample sample) implements CodecSession {
        @Override
        public String deviceId() {
            return sample.deviceId();
        }

        @Override
        public String productId() {
            return sample.productId();
        }

        @Override
        public Transport transport() {
            return sample.transport();
        }

        @Override
        public boolean registrationOnly() {
            return false;
        }

        @Override
        public Optional<Product> product() {
            return Optional.empty();
        }
    }
}
