package io.thingport.core.internal.storage;

/** What became of an {@link AtomicWrite} once its transaction was durable. */
public enum WriteOutcome {
    /** Its statements ran and committed. */
    STORED,
    /** Its probe found it in the database already: its statements did not run again. */
    ALREADY_STORED,
    /** Its first statement changed no row (its condition did not hold), so none of its statements did. */
    NOT_APPLIED
}
