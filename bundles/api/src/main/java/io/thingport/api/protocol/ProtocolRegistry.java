package io.thingport.api.protocol;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The protocol packages installed in the platform. */
@ProviderType
public interface ProtocolRegistry {
    List<ProtocolSupport> protocols();

    Optional<ProtocolSupport> find(String id);
}
