package io.thingport.bridge.onenet;

/**
 * One message taken from a OneNET push, in neutral form. Legacy pushes give {@link LegacyDataPoint},
 * {@link LegacyDeviceStatus} and {@link LegacyCommandResult}; OneNET Studio pushes give {@link StudioLifecycle},
 * {@link StudioPropertyReport}, {@link StudioEvent} and {@link StudioReply}.
 */
public sealed interface OneNetMessage
        permits LegacyDataPoint, LegacyDeviceStatus, LegacyCommandResult, StudioLifecycle, StudioPropertyReport, StudioEvent,
        StudioReply {
    /**
     * A stable key for this message (64 hex characters): OneNET retries a push that was not answered in time, and the
     * same push gives the same keys again; two different messages give different keys.
     */
    String dedupKey();
}
