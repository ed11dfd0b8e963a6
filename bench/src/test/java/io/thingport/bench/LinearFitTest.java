package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinearFitTest {
    /** Verifies that points on a line give that line exactly, with R^2 = 1. */
    @Test
    void pointsOnALine() {
        double[] x = {0, 5_000, 10_000, 18_000};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 80e6 + 4_096 * x[i];
        }

        LinearFit fit = LinearFit.of(x, y);

        assertEquals(4_096, fit.slope(), 1e-6);
        assertEquals(80e6, fit.intercept(), 1e-3);
        assertEquals(1.0, fit.r2(), 1e-12);
        assertEquals(4, fit.points());
        assertEquals(80e6 + 4_096 * 100_000.0, fit.at(100_000), 1e-2);
    }

    /** Verifies the least-squares solution against one worked by hand: (0,1) (1,3) (2,2) gives y = 1.5 + 0.5 x. */
    @Test
    void scatteredPoints() {
        LinearFit fit = LinearFit.of(new double[] {0, 1, 2}, new double[] {1, 3, 2});

        assertEquals(0.5, fit.slope(), 1e-12);
        assertEquals(1.5, fit.intercept(), 1e-12);
        // residuals -0.5, 1, -0.5: SSres 1.5; SStot 2: R^2 = 0.25
        assertEquals(0.25, fit.r2(), 1e-12);
    }

    /** Verifies that a flat line has slope 0 and no defined R^2. */
    @Test
    void flatLine() {
        LinearFit fit = LinearFit.of(new double[] {1, 2, 3}, new double[] {7, 7, 7});

        assertEquals(0, fit.slope());
        assertEquals(7, fit.intercept());
        assertTrue(Double.isNaN(fit.r2()));
    }

    /** Verifies the refusals: too few points, one x only, lengths that differ, values that are not numbers. */
    @Test
    void refusesWhatHasNoLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearFit.of(new double[] {1}, new double[] {2}));
        assertTrue(e.getMessage().contains("at least 2 points"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinearFit.of(new double[] {5, 5}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("same x"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinearFit.of(new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("differ in length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LinearFit.of(new double[] {1, 2}, new double[] {1, Double.NaN}));
        assertTrue(e.getMessage().contains("point 2"), e.getMessage());
    }
}
