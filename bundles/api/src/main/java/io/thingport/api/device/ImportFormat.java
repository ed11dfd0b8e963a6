package io.thingport.api.device;

/** Formats of a batch device import. */
public enum ImportFormat {
    /** Header line {@code id,name,secret,mac} (name, secret and mac columns optional), then one device per line. */
    CSV,
    /** An array of objects {@code {"id":..,"name":..,"secret":..}} (name and secret optional). */
    JSON
}
