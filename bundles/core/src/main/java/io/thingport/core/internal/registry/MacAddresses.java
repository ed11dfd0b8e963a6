package io.thingport.core.internal.registry;

import io.thingport.api.ThingportException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** How a MAC address is written down: accepted in the usual forms, stored as {@code aa:bb:cc:dd:ee:ff}. */
final class MacAddresses {
    /** Six pairs of hex digits separated by {@code :} or {@code -}, three groups of four by {@code .}, or twelve digits. */
    private static final Pattern FORMS = Pattern.compile("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){4}"
            + "|\\p{XDigit}{4}\\.\\p{XDigit}{4}\\.\\p{XDigit}{4}|\\p{XDigit}{12}");

    private MacAddresses() {
    }

    /**
     * The address in its stored form, {@code null} for {@code null} or an empty value (no address).
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the field and the forms accepted
     */
    static String normalise(String field, String mac) {
        if (mac == null || mac.isBlank()) {
            return null;
        }
        return parse(mac).orElseThrow(() -> ThingportException.invalidArgument(field + " '" + mac + "' is not a MAC address: write"
                + " it as aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff"));
    }

    /** The address in its stored form, or empty when {@code mac} is not one (how a device's report is read). */
    static Optional<String> parse(String mac) {
        String m = mac.trim();
        if (!FORMS.matcher(m).matches()) {
            return Optional.empty();
        }
        String digits = m.replaceAll("[:.-]", "").toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(digits, i, i + 2);
        }
        return Optional.of(out.toString());
    }
}
