package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.thingport.api.ErrorCode;
import io.thingport.api.message.DeviceCommand;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.MessageType;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.WriteProperties;
import io.thingport.rest.internal.http.ApiError;
import io.thingport.rest.internal.http.ApiErrors;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.RestJson;
import io.thingport.rest.internal.resources.CommandResource.CommandBody;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandResourceTest {
    private static final MessageHeader HEADER = MessageHeader.of("msg-1", "p1", "d1", 1_767_225_600_000L);

    @Test
    void anInvokeCommandCarriesItsFunctionAndInputsInOrder() {
        // Verifies type invoke: an InvokeFunction with the header, the function and the inputs in the order given,
        // a JSON null input kept.
        // GIVEN an invoke body with three inputs, one of them null
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("delay", 5);
        inputs.put("mode", "soft");
        inputs.put("reason", null);
        CommandBody body = new CommandBody("invoke", "reboot", inputs, null, null, null, null);

        // WHEN the command is made
        DeviceCommand command = CommandResource.command(body, HEADER);

        // THEN it is that invocation
        assertThat(command).isInstanceOfSatisfying(InvokeFunction.class, i -> {
            assertThat(i.header()).isSameAs(HEADER);
            assertThat(i.functionId()).isEqualTo("reboot");
            assertThat(i.inputs().keySet()).containsExactly("delay", "mode", "reason");
            assertThat(i.inputs()).containsEntry("delay", 5).containsEntry("reason", null);
        });
        assertThat(command.type()).isEqualTo(MessageType.INVOKE_FUNCTION);
    }

    @Test
    void anInvokeWithoutInputsHasNone() {
        // Verifies that inputs may be left out of an invoke: the function is invoked with no inputs.
        // GIVEN an invoke body without inputs
        CommandBody body = new CommandBody("invoke", "reboot", null, null, null, null, null);

        // WHEN the command is made
        InvokeFunction command = (InvokeFunction) CommandResource.command(body, HEADER);

        // THEN its inputs are empty
        assertThat(command.inputs()).isEmpty();
    }

    @Test
    void aReadCommandCarriesItsPropertyIds() {
        // Verifies type read: a ReadProperties with the header and the property ids in order.
        // GIVEN a read body of two properties
        CommandBody body = new CommandBody("read", null, null, List.of("temp", "humidity"), null, null, null);

        // WHEN the command is made
        DeviceCommand command = CommandResource.command(body, HEADER);

        // THEN it reads them
        assertThat(command).isEqualTo(new ReadProperties(HEADER, List.of("temp", "humidity")));
    }

    @Test
    void aWriteCommandCarriesItsValues() {
        // Verifies type write: a WriteProperties with the header and the values, a JSON null value kept.
        // GIVEN a write body with a number and a null
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("target", 21.5);
        values.put("label", null);
        CommandBody body = new CommandBody("write", null, null, null, values, null, null);

        // WHEN the command is made
        DeviceCommand command = CommandResource.command(body, HEADER);

        // THEN it writes them
        assertThat(command).isInstanceOfSatisfying(WriteProperties.class, w -> {
            assertThat(w.header()).isSameAs(HEADER);
            assertThat(w.properties().keySet()).containsExactly("target", "label");
            assertThat(w.properties()).containsEntry("target", 21.5).containsEntry("label", null);
        });
    }

    @Test
    void aBodyWithoutTypeIsRefusedNamingType() {
        // Verifies that type is required, and the error says which types there are.
        // GIVEN a body without type
        CommandBody body = new CommandBody(null, "reboot", null, null, null, null, null);

        // WHEN / THEN it is refused on type
        assertRefused(body, "type", "type is required: invoke, read or write");
    }

    @Test
    void anUnknownTypeIsRefusedNamingIt() {
        // Verifies that a type other than invoke, read or write (including another case, or empty) is refused,
        // naming the value sent.
        // GIVEN bodies of unknown types
        for (String type : new String[] {"delete", "INVOKE", "Read", "", " write"}) {
            CommandBody body = new CommandBody(type, "reboot", Map.of(), List.of("temp"), Map.of("temp", 1), null, null);

            // WHEN / THEN each is refused on type
            assertRefused(body, "type", "type must be invoke, read or write, not " + type);
        }
    }

    @Test
    void anInvokeWithoutFunctionIsRefusedNamingFunction() {
        // Verifies that an invoke needs its function.
        // GIVEN an invoke body with inputs but no function
        CommandBody body = new CommandBody("invoke", null, Map.of("delay", 5), null, null, null, null);

        // WHEN / THEN it is refused on function
        assertRefused(body, "function", "an invoke command needs function");
    }

    @Test
    void aReadWithoutPropertiesIsRefusedNamingProperties() {
        // Verifies that a read needs at least one property id: none and an empty list are refused.
        // GIVEN read bodies without properties
        // WHEN / THEN each is refused on properties
        for (List<String> properties : Arrays.asList(null, List.<String>of())) {
            CommandBody body = new CommandBody("read", null, null, properties, null, null, null);
            assertRefused(body, "properties", "a read command needs properties: a list of property ids");
        }
    }

    @Test
    void aReadWithANullPropertyIdIsRefusedNamingPropertiesNotAnInternalError() {
        // Verifies that a JSON null among the property ids is refused as a bad body (400 on properties), not left to
        // fail inside the platform as a 500.
        // GIVEN a read body whose list holds a null, as Jackson reads {"type":"read","properties":["temp",null]}
        List<String> properties = new ArrayList<>();
        properties.add("temp");
        properties.add(null);
        CommandBody body = new CommandBody("read", null, null, properties, null, null, null);

        // WHEN / THEN it is refused on properties
        assertRefused(body, "properties", "a read command needs properties: a list of property ids");
    }

    @Test
    void aWriteWithoutValuesIsRefusedNamingValues() {
        // Verifies that a write needs at least one value: none and an empty object are refused.
        // GIVEN write bodies without values
        // WHEN / THEN each is refused on values
        for (Map<String, Object> values : Arrays.asList(null, Map.<String, Object>of())) {
            CommandBody body = new CommandBody("write", null, null, null, values, null, null);
            assertRefused(body, "values", "a write command needs values: property id to value");
        }
    }

    @Test
    void badBodiesReadFromJsonAreAnsweredWithTheirField() throws Exception {
        // Verifies the whole way a client's JSON takes: read with the API's mapper, then made a command; each bad body
        // ends as a 400 invalid_argument naming its field, never as an internal error.
        // GIVEN bad JSON bodies and the field each should name
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("{}", "type");
        bad.put("{\"type\":\"reboot\"}", "type");
        bad.put("{\"type\":\"invoke\",\"inputs\":{\"delay\":5}}", "function");
        bad.put("{\"type\":\"read\"}", "properties");
        bad.put("{\"type\":\"read\",\"properties\":[]}", "properties");
        bad.put("{\"type\":\"read\",\"properties\":[\"temp\",null]}", "properties");
        bad.put("{\"type\":\"write\",\"values\":{}}", "values");
        bad.put("{\"type\":\"write\"}", "values");

        for (Map.Entry<String, String> e : bad.entrySet()) {
            // WHEN read and made a command
            CommandBody body = RestJson.MAPPER.readValue(e.getKey(), CommandBody.class);
            Throwable thrown = catchThrowable(() -> CommandResource.command(body, HEADER));

            // THEN the API answers 400 naming the field
            ApiError error = ApiErrors.of(thrown);
            assertThat(error.status()).as(e.getKey()).isEqualTo(400);
            assertThat(error.code()).as(e.getKey()).isEqualTo(ErrorCode.INVALID_ARGUMENT.wireName());
            assertThat(error.field()).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    private static void assertRefused(CommandBody body, String field, String message) {
        assertThatThrownBy(() -> CommandResource.command(body, HEADER)).isInstanceOfSatisfying(FieldException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }
}
