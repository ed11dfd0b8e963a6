package io.thingport.api.shadow;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Device shadows. Every device has one (empty, version 0, until the first update); it goes with the device.
 *
 * <p>Failures are {@link io.thingport.api.ThingportException}s: {@code NOT_FOUND} for an unknown device,
 * {@code CONFLICT} when an update names a version that is not the current one, {@code TOO_LARGE} when the stored
 * state would exceed {@link #MAX_STATE_BYTES}, {@code INVALID_VALUE}/{@code UNKNOWN_IDENTIFIER} when a desired value
 * is not a writable property of the thing model or a reported one not a property. A failed update changes nothing.
 */
@ProviderType
public interface ShadowService {
    /** The most bytes the stored state (desired and reported, as compact JSON) may take. */
    int MAX_STATE_BYTES = 8192;

    ShadowDocument get(String deviceId);

    /**
     * Merges an update into the shadow: each key given replaces the stored one, a {@code null} value deletes it, a
     * cleared section is emptied first. When the desired state changed and the device is connected to this node, its
     * new delta is pushed to it ({@code shadow/update/delta} of the official protocol).
     */
    ShadowDocument update(String deviceId, ShadowUpdate update);

    /** Empties the shadow (desired and reported); the version goes on counting, so that stale updates stay refused. */
    ShadowDocument delete(String deviceId);
}
