package io.thingport.api.model;

/** What a property describes: ordinary status, an alarm, or a fault (Gizwits status / alert / fault). */
public enum PropertyKind {
    STATUS, ALARM, FAULT
}
