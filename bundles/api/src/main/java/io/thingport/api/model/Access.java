package io.thingport.api.model;

/** Whether the platform may write a property. */
public enum Access {
    READ_ONLY, READ_WRITE
}
