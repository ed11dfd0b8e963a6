package io.thingport.rest.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import java.util.Locale;
import javax.ws.rs.core.EntityTag;
import org.junit.jupiter.api.Test;

class ETagsTest {
    record View(String id, String name, int version) {
    }

    private static final View CURRENT = new View("p1", "Thermometer", 3);

    @Test
    void theTagIsAStrongDigestOfTheJsonForm() {
        // Verifies of(): 32 lower-case hex characters, strong, equal for equal representations and different when
        // any field differs.
        // GIVEN equal and different representations
        EntityTag tag = ETags.of(CURRENT);

        // WHEN / THEN equal ones share the tag, different ones do not
        assertThat(tag.getValue()).matches("[0-9a-f]{32}");
        assertThat(tag.isWeak()).isFalse();
        assertThat(ETags.of(new View("p1", "Thermometer", 3))).isEqualTo(tag);
        assertThat(ETags.of(new View("p1", "Thermometer", 4))).isNotEqualTo(tag);
        assertThat(ETags.of(new View("p1", "thermometer", 3))).isNotEqualTo(tag);
    }

    @Test
    void theCurrentTagMatches() {
        // Verifies that If-Match with the resource's current tag (as sent in ETag, quoted) lets the update go ahead.
        // GIVEN the current tag, quoted
        String ifMatch = quoted(CURRENT);

        // WHEN / THEN the check passes, also with surrounding blanks
        assertThatCode(() -> ETags.check(ifMatch, CURRENT)).doesNotThrowAnyException();
        assertThatCode(() -> ETags.check("  " + ifMatch + " ", CURRENT)).doesNotThrowAnyException();
    }

    @Test
    void aStaleTagIsAPreconditionFailureOnIfMatch() {
        // Verifies that If-Match with the tag of an older version is refused with PRECONDITION_FAILED on the field
        // If-Match, naming the current tag, which the API answers with 412.
        // GIVEN the tag of the version before
        String stale = quoted(new View("p1", "Thermometer", 2));

        // WHEN / THEN the check refuses it
        assertThatThrownBy(() -> ETags.check(stale, CURRENT)).isInstanceOfSatisfying(FieldException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
            assertThat(e.field()).isEqualTo("If-Match");
            assertThat(e.getMessage()).contains(quoted(CURRENT)).contains("read it again");
            assertThat(ApiErrors.of(e).status()).isEqualTo(412);
        });
    }

    @Test
    void anAbsentBlankOrStarIfMatchAlwaysPasses() {
        // Verifies that no If-Match (null, blank) and "*" (any current version) never refuse.
        // GIVEN those values
        // WHEN / THEN each passes
        for (String ifMatch : new String[] {null, "", "   ", "*", " * "}) {
            assertThatCode(() -> ETags.check(ifMatch, CURRENT)).as("If-Match: %s", ifMatch).doesNotThrowAnyException();
        }
    }

    @Test
    void aWeakFormOfTheCurrentTagMatches() {
        // Verifies that W/"tag" of the current tag passes: the platform only issues strong tags, so a weak one can
        // only be its own tag weakened on the way (a compressing proxy), and carries the same digest.
        // GIVEN the current tag made weak
        String weak = "W/" + quoted(CURRENT);

        // WHEN / THEN it passes, while a weak stale tag does not
        assertThatCode(() -> ETags.check(weak, CURRENT)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ETags.check("W/" + quoted(new View("p1", "x", 1)), CURRENT))
                .isInstanceOf(FieldException.class);
    }

    @Test
    void aListMatchesWhenAnyOfItsTagsIsTheCurrentOne() {
        // Verifies comma-separated If-Match lists: any member equal to the current tag passes; a list of stale tags
        // is refused.
        // GIVEN lists with and without the current tag, with and without blanks
        String stale1 = quoted(new View("p1", "Thermometer", 1));
        String stale2 = quoted(new View("p1", "Thermometer", 2));

        // WHEN / THEN only those holding it pass
        assertThatCode(() -> ETags.check(stale1 + ", " + quoted(CURRENT), CURRENT)).doesNotThrowAnyException();
        assertThatCode(() -> ETags.check(quoted(CURRENT) + "," + stale1, CURRENT)).doesNotThrowAnyException();
        assertThatCode(() -> ETags.check(stale1 + " , W/" + quoted(CURRENT), CURRENT)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ETags.check(stale1 + ", " + stale2, CURRENT)).isInstanceOf(FieldException.class);
    }

    @Test
    void anUnquotedOrAlteredTagDoesNotMatch() {
        // Verifies that the tag must be sent as ETag gave it: quoted, whole, exact case.
        // GIVEN the current tag unquoted, cut, and in upper case
        String value = ETags.of(CURRENT).getValue();

        // WHEN / THEN each is refused
        for (String bad : new String[] {value, "\"" + value.substring(1) + "\"", "\"" + value.toUpperCase(Locale.ROOT) + "\"",
                "\"" + value + "\"x"}) {
            assertThatThrownBy(() -> ETags.check(bad, CURRENT)).as("If-Match: %s", bad).isInstanceOf(FieldException.class);
        }
    }

    private static String quoted(Object representation) {
        return "\"" + ETags.of(representation).getValue() + "\"";
    }
}
