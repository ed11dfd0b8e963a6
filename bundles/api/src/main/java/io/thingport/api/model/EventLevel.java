package io.thingport.api.model;

/** How urgent an event is. */
public enum EventLevel {
    INFO, WARN, URGENT
}
