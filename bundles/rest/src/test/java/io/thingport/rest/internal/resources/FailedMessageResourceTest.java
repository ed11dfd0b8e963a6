package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.rule.FailedMessage;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.resources.FailedMessageResource.FailedView;
import io.thingport.rest.internal.resources.FailedMessageResource.Outcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FailedMessageResourceTest {
    private final FakeRuleService service = new FakeRuleService();
    private final FailedMessageResource resource = Callers.as(Callers.OPERATOR, new FailedMessageResource(service));

    @BeforeEach
    void failures() {
        service.failed.add(new FailedMessage(7, "hot", "actions[0] http", "d1", "HTTP 503", "{\"temp\":31}", 3, 1_000));
        service.failed.add(new FailedMessage(8, "cold", "actions[0] kafka", "d2", "timeout", "not json", 5, 2_000));
    }

    // Verifies that a replay or discard of many needs exactly one of rule=R and all=true.
    @Test
    void needsExactlyOneSelection() {
        // GIVEN / WHEN / THEN
        assertThat(FailedMessageResource.selection("hot", null)).isEqualTo("hot");
        assertThat(FailedMessageResource.selection(null, true)).isNull();
        assertThatThrownBy(() -> FailedMessageResource.selection(null, null)).isInstanceOf(FieldException.class);
        assertThatThrownBy(() -> FailedMessageResource.selection(" ", false)).isInstanceOf(FieldException.class);
        assertThatThrownBy(() -> FailedMessageResource.selection("hot", true)).isInstanceOf(FieldException.class);
    }

    // Verifies that a discard of all of a rule asks the engine for that rule only, and says how many went.
    @Test
    void discardsTheMessagesOfARule() {
        // GIVEN two failed messages of two rules
        // WHEN the rule hot's are discarded
        Outcome o = resource.discard("hot", null);

        // THEN one went, the other stays
        assertThat(o).isEqualTo(new Outcome("failed messages of rule hot", 1));
        assertThat(service.lastDiscard).isEqualTo("null/hot");
        assertThat(service.failed).extracting(FailedMessage::id).containsExactly(8L);
    }

    // Verifies that one message is replayed by its id, and an unknown or non-numeric id is not found.
    @Test
    void replaysOneByIdAndRefusesAnUnknownOne() {
        // GIVEN / WHEN
        Outcome o = resource.replayOne("7");

        // THEN
        assertThat(o.count()).isEqualTo(1);
        assertThat(service.lastReplay).isEqualTo("7/null");
        assertThatThrownBy(() -> resource.replayOne("99")).extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThatThrownBy(() -> resource.discardOne("x")).extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    // Verifies that a payload is shown as JSON when it is JSON and as text otherwise.
    @Test
    void showsThePayloadAsJsonWhenItIs() {
        // GIVEN / WHEN
        FailedView json = resource.get("7");
        FailedView text = resource.get("8");

        // THEN
        assertThat(json.payload().path("temp").asInt()).isEqualTo(31);
        assertThat(text.payload().isTextual()).isTrue();
        assertThat(text.payload().asText()).isEqualTo("not json");
    }
}
