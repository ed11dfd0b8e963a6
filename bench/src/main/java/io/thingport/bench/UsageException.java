package io.thingport.bench;

/** Bad command line or input file; the tools print the message plus usage and exit with code 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
