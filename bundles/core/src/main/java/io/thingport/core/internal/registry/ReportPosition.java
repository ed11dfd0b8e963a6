package io.thingport.core.internal.registry;

/**
 * A place among a device's property reports in their reading order, newest first ({@code ts DESC, id DESC}): a walk
 * that continues from it reads the reports after it in that order, that is older ones.
 */
record ReportPosition(long ts, long id) {
}
