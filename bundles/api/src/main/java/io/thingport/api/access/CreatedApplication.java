package io.thingport.api.access;

import io.thingport.api.Secrets;

/**
 * An application with its secret, as returned once when it is created or its secret rotated: the platform keeps the
 * secret only sealed and never shows it again.
 */
public record CreatedApplication(ApplicationInfo application, String secret) {
    @Override
    public String toString() {
        return "CreatedApplication[application=" + application + ", secret=" + Secrets.mask(secret) + "]";
    }
}
