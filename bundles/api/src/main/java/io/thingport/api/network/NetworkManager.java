package io.thingport.api.network;

import java.util.List;

/** The platform's view of its network components (configured through {@code etc/io.thingport.network-*.cfg}). */
public interface NetworkManager {
    List<NetworkComponentInfo> components();
}
