package io.thingport.bench;

/**
 * Ordinary least squares line {@code y = intercept + slope * x} through measured points, with the coefficient of
 * determination. Used for the heap per idle connection: x = connections, y = used heap bytes after a full GC.
 *
 * @param slope     change of y per unit of x (bytes per connection)
 * @param intercept y at x = 0
 * @param r2        coefficient of determination, 1 = all points on the line (NaN when every y is equal)
 * @param points    how many points were fitted
 */
record LinearFit(double slope, double intercept, double r2, int points) {

    /**
     * Fits the line; refuses fewer than two points, arrays of different lengths, non-finite values and points that
     * all share one x (no slope can be told from them).
     */
    static LinearFit of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " and " + y.length);
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("a line needs at least 2 points, got " + x.length);
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("point " + (i + 1) + " is not a finite number: (" + x[i] + ", " + y[i] + ")");
            }
            mx += x[i];
            my += y[i];
        }
        mx /= x.length;
        my /= x.length;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (sxx == 0) {
            throw new IllegalArgumentException("all " + x.length + " points have the same x (" + x[0] + "): no slope");
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double r2 = syy == 0 ? Double.NaN : (sxy * sxy) / (sxx * syy);
        return new LinearFit(slope, intercept, r2, x.length);
    }

    /** The fitted y at x. */
    double at(double x) {
        return intercept + slope * x;
    }
}
