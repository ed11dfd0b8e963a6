package io.thingport.itests.broken;

/** Reads the long values of {@link PartlyPackagedProtocol}: the class that its faulty revision leaves out of the jar. */
final class LongValues {
    private LongValues() {
    }

    static long parse(String text) {
        return Long.parseLong(text);
    }
}
