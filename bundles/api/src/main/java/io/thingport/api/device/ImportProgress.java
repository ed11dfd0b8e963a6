package io.thingport.api.device;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears how far a batch device import ({@link DeviceService#importDevices(String, String, ImportFormat, ImportProgress)})
 * has come. Phases, in order: {@value #CHECKED} while the rows are parsed and validated, then {@value #STORED} while
 * they are stored. In each phase {@code done} only grows (from 0, at most 1,000 rows between two calls) and its last call
 * has {@code done == total}; a refused import ends with the exception, wherever it stopped.
 *
 * <p>Threading: called on the thread that called {@code importDevices}, which it holds up: it should return quickly.
 * What it throws ends the import (nothing is imported) and is what {@code importDevices} throws.
 */
@ConsumerType
@FunctionalInterface
public interface ImportProgress {
    /** The phase in which the rows are parsed and checked. */
    String CHECKED = "checked";
    /** The phase in which the rows are stored (one transaction: nothing is visible before the end). */
    String STORED = "stored";

    /** Hears nothing. */
    ImportProgress NONE = (phase, done, total) -> {
    };

    /**
     * @param phase {@link #CHECKED} or {@link #STORED}
     * @param done  rows of the phase done so far, 0 to {@code total}
     * @param total rows of the import
     */
    void progress(String phase, int done, int total);
}
