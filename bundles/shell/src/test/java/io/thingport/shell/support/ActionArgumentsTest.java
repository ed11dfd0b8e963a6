package io.thingport.shell.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.ActionSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionArgumentsTest {

    @Test
    void anActionIsATypeAndItsOptions() {
        // Verifies that type:key=value,... gives the type and every option, a value keeping '=', ':' and a template.
        // GIVEN / WHEN
        ActionSpec kafka = ActionArguments.parse("kafka:datasource=k1,topic=temps,key=${deviceId}");
        ActionSpec http = ActionArguments.parse("http:url=http://127.0.0.1:8080/hook?a=b,method=POST");
        // THEN
        assertThat(kafka.type()).isEqualTo("kafka");
        assertThat(kafka.options()).containsExactlyInAnyOrderEntriesOf(Map.of("datasource", "k1", "topic", "temps", "key",
                "${deviceId}"));
        assertThat(http.options()).containsExactlyInAnyOrderEntriesOf(Map.of("url", "http://127.0.0.1:8080/hook?a=b",
                "method", "POST"));
    }

    @Test
    void anActionWithoutOptionsIsItsTypeAlone() {
        // Verifies that "log:" and "log" both give a log action without options, and that an empty value is kept.
        assertThat(ActionArguments.parse("log:")).isEqualTo(new ActionSpec("log", Map.of()));
        assertThat(ActionArguments.parse("log")).isEqualTo(new ActionSpec("log", Map.of()));
        assertThat(ActionArguments.parse("log:level=").options()).containsExactly(Map.entry("level", ""));
        assertThat(ActionArguments.parseAll(null)).isEmpty();
        assertThat(ActionArguments.parseAll(List.of("log:", "device:function=alarm")).stream().map(ActionSpec::type))
                .containsExactly("log", "device");
    }

    @Test
    void aMissingTypeIsRefused() {
        // Verifies that options without a type (or with an empty one) are refused with the expected form, not read as a type.
        assertThatThrownBy(() -> ActionArguments.parse("datasource=k1,topic=temps")).isInstanceOf(ThingportException.class)
                .hasMessage("action 'datasource=k1,topic=temps' has no type: write type:key=value,... (e.g. kafka:datasource=k1,"
                        + "topic=temps)");
        assertThatThrownBy(() -> ActionArguments.parse(":topic=temps")).hasMessageContaining("has no type");
        assertThatThrownBy(() -> ActionArguments.parse("url=http://127.0.0.1/x")).hasMessageContaining("has no type");
        assertThatThrownBy(() -> ActionArguments.parse("")).hasMessageContaining("an action is empty");
    }

    @Test
    void anEmptyKeyAPairWithoutValueAndATrailingCommaAreRefused() {
        // Verifies the errors for a malformed option: each names the argument and what is wrong with it.
        assertThatThrownBy(() -> ActionArguments.parse("kafka:=temps")).isInstanceOf(ThingportException.class)
                .hasMessage("action 'kafka:=temps': empty key in '=temps'");
        assertThatThrownBy(() -> ActionArguments.parse("kafka:topic")).hasMessage("action 'kafka:topic': 'topic' is not key=value");
        assertThatThrownBy(() -> ActionArguments.parse("kafka:topic=t,")).hasMessageStartingWith("action 'kafka:topic=t,': '' is not"
                + " key=value (an empty pair: a value cannot hold a comma");
        assertThatThrownBy(() -> ActionArguments.parse("http:body={\"a\":1,\"b\":2}")).hasMessageContaining("is not key=value");
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        // Verifies that a repeated key is refused rather than one value silently winning.
        assertThatThrownBy(() -> ActionArguments.parse("kafka:topic=a,datasource=k1,topic=b")).isInstanceOf(ThingportException.class)
                .hasMessage("action 'kafka:topic=a,datasource=k1,topic=b': key topic is given twice");
    }
}
