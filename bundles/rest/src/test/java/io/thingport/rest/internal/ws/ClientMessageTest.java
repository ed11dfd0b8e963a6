package io.thingport.rest.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientMessageTest {
    @Test
    void readsAFullSubscription() {
        // Verifies that every field of a sub message is read.
        // GIVEN / WHEN
        ClientMessage m = ClientMessage.parse("{\"type\":\"sub\",\"id\":\"a\",\"product\":\"p1\",\"device\":\"d1\","
                + "\"types\":[\"property\",\"online\"],\"lastEventId\":123}");

        // THEN
        assertThat(m).isEqualTo(new ClientMessage.Subscribe("sub", "a", "p1", "d1", List.of("property", "online"), 123L));
    }

    @Test
    void readsAMinimalSubscriptionAndAnUnsubscription() {
        // Verifies that a sub needs only its id (no types: all), and that unsub is read.
        // GIVEN / WHEN
        ClientMessage sub = ClientMessage.parse("{\"type\":\"sub\",\"id\":\"a\"}");
        ClientMessage unsub = ClientMessage.parse("{\"id\":\"a\",\"type\":\"unsub\"}");

        // THEN
        assertThat(sub).isEqualTo(new ClientMessage.Subscribe("sub", "a", null, null, List.of(), null));
        assertThat(unsub).isEqualTo(new ClientMessage.Unsubscribe("unsub", "a"));
    }

    @Test
    void refusesWhatIsNotAJsonObject() {
        // Verifies that text that is not JSON, or JSON that is not an object, is malformed.
        // GIVEN / WHEN
        WsError notJson = refused("{\"type\":");
        WsError array = refused("[{\"type\":\"sub\",\"id\":\"a\"}]");
        WsError trailing = refused("{\"type\":\"sub\",\"id\":\"a\"} {}");

        // THEN
        assertThat(notJson.code()).isEqualTo("malformed");
        assertThat(notJson.getMessage()).startsWith("the message is not valid JSON");
        assertThat(array.code()).isEqualTo("malformed");
        assertThat(trailing.code()).isEqualTo("malformed");
        assertThat(notJson.sub()).isNull();
    }

    @Test
    void refusesAnUnknownOrMissingType() {
        // Verifies that the type must be sub or unsub, and that the error names the message's id.
        // GIVEN / WHEN
        WsError unknown = refused("{\"type\":\"subscribe\",\"id\":\"a\"}");
        WsError missing = refused("{\"id\":\"a\"}");

        // THEN
        assertThat(unknown.code()).isEqualTo("invalid_argument");
        assertThat(unknown.field()).isEqualTo("type");
        assertThat(unknown.sub()).isEqualTo("a");
        assertThat(unknown.getMessage()).contains("\"subscribe\"");
        assertThat(missing.field()).isEqualTo("type");
    }

    @Test
    void refusesAnUnknownField() {
        // Verifies that an unknown field is refused by name, and that unsub takes no filter.
        // GIVEN / WHEN
        WsError sub = refused("{\"type\":\"sub\",\"id\":\"a\",\"topic\":\"x\"}");
        WsError unsub = refused("{\"type\":\"unsub\",\"id\":\"a\",\"product\":\"p1\"}");

        // THEN
        assertThat(sub.code()).isEqualTo("invalid_argument");
        assertThat(sub.field()).isEqualTo("topic");
        assertThat(sub.getMessage()).contains("unknown field topic");
        assertThat(sub.sub()).isEqualTo("a");
        assertThat(unsub.field()).isEqualTo("product");
    }

    @Test
    void refusesValuesOfTheWrongType() {
        // Verifies that a lastEventId that is text or negative, types that are not a list of text, are refused.
        // GIVEN / WHEN / THEN
        assertThat(refused("{\"type\":\"sub\",\"id\":\"a\",\"lastEventId\":\"12\"}").field()).isEqualTo("lastEventId");
        assertThat(refused("{\"type\":\"sub\",\"id\":\"a\",\"lastEventId\":-1}").field()).isEqualTo("lastEventId");
        assertThat(refused("{\"type\":\"sub\",\"id\":\"a\",\"types\":\"property\"}").field()).isEqualTo("types");
        assertThat(refused("{\"type\":\"sub\",\"id\":\"a\",\"types\":[null]}").field()).isEqualTo("types");
        assertThat(refused("{\"type\":\"sub\",\"id\":7}").field()).isEqualTo("id");
    }

    @Test
    void theIdIsRequiredAndBounded() {
        // Verifies that the id is required, at most 64 characters, without control characters; a bad one is not echoed.
        // GIVEN / WHEN
        WsError missing = refused("{\"type\":\"sub\"}");
        WsError blank = refused("{\"type\":\"unsub\",\"id\":\"  \"}");
        WsError tooLong = refused("{\"type\":\"sub\",\"id\":\"" + "x".repeat(65) + "\"}");
        WsError control = refused("{\"type\":\"sub\",\"id\":\"a\\nb\"}");

        // THEN
        assertThat(List.of(missing, blank, tooLong, control)).allSatisfy(e -> {
            assertThat(e.field()).isEqualTo("id");
            assertThat(e.sub()).isNull();
        });
        assertThat(ClientMessage.parse("{\"type\":\"sub\",\"id\":\"" + "x".repeat(64) + "\"}").id()).hasSize(64);
    }

    private static WsError refused(String text) {
        WsError e = catchThrowableOfType(() -> ClientMessage.parse(text), WsError.class);
        assertThat(e).as("refusal of " + text).isNotNull();
        return e;
    }
}
