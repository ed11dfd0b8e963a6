package io.thingport.api.device;

/** Kinds of device-log entries. */
public enum LogType {
    /** A message from the device that the platform accepted. */
    UPLINK,
    /** A message the platform sent to the device. */
    DOWNLINK,
    /** A message from the device that the platform refused (malformed, invalid, forbidden): nothing of it was stored. */
    REJECTED,
    ONLINE,
    OFFLINE,
    /** A login the platform refused, with the reason. */
    AUTH_REFUSED,
    /** A device registered itself with the product secret. */
    REGISTERED
}
