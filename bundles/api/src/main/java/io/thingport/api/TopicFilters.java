package io.thingport.api;

/**
 * MQTT topic-filter matching ({@code +} one level, {@code #} the rest), used for device topics and for the
 * platform's internal event topics alike.
 */
public final class TopicFilters {
    private TopicFilters() {
    }

    public static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return i == f.length - 1;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** Whether a filter is well formed: {@code #} only last and alone in its level, {@code +} alone in its level. */
    public static boolean isValid(String filter) {
        if (filter.isEmpty()) {
            return false;
        }
        String[] f = filter.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            String level = f[i];
            if (level.contains("#") && (!level.equals("#") || i != f.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }
}
