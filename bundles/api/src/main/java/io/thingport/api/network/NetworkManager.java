package io.thingport.api.network;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The platform's view of its network components (configured through {@code etc/io.thingport.network-*.cfg}). */
@ProviderType
public interface NetworkManager {
    List<NetworkComponentInfo> components();
}
