package io.thingport.api.protocol;

import java.util.List;
import java.util.Optional;

/** The protocol packages installed in the platform. */
public interface ProtocolRegistry {
    List<ProtocolSupport> protocols();

    Optional<ProtocolSupport> find(String id);
}
