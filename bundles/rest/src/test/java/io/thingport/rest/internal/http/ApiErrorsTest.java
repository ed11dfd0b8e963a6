package io.thingport.rest.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.model.ValidationException;
import io.thingport.api.model.Violation;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.NotAcceptableException;
import javax.ws.rs.NotAllowedException;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.NotSupportedException;
import javax.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ApiErrorsTest {
    /** What a body is read into: a record of the shapes the API's bodies have. */
    record Sample(String name, int count, Integer optional, List<Item> items, Color color, Instant at, Boolean flag) {
    }

    record Item(int qty, String sku) {
    }

    enum Color { RED, GREEN }

    /** A body whose constructor refuses a value the way resources' bodies do. */
    record Guarded(String id) {
        Guarded {
            if (id == null || id.isBlank()) {
                throw new FieldException("id", "id is required");
            }
        }
    }

    private static final Map<ErrorCode, Integer> STATUSES = new EnumMap<>(Map.ofEntries(
            Map.entry(ErrorCode.INVALID_ARGUMENT, 400), Map.entry(ErrorCode.INVALID_VALUE, 400),
            Map.entry(ErrorCode.UNKNOWN_IDENTIFIER, 400), Map.entry(ErrorCode.MALFORMED, 400),
            Map.entry(ErrorCode.UNSUPPORTED_TOPIC, 400), Map.entry(ErrorCode.UNSUPPORTED, 400),
            Map.entry(ErrorCode.UNAUTHENTICATED, 401), Map.entry(ErrorCode.FORBIDDEN, 403),
            Map.entry(ErrorCode.NOT_FOUND, 404), Map.entry(ErrorCode.CONFLICT, 409),
            Map.entry(ErrorCode.DEVICE_OFFLINE, 409), Map.entry(ErrorCode.PRECONDITION_FAILED, 412),
            Map.entry(ErrorCode.TOO_LARGE, 413), Map.entry(ErrorCode.RATE_LIMITED, 429),
            Map.entry(ErrorCode.INTERNAL, 500), Map.entry(ErrorCode.DEVICE_ERROR, 502),
            Map.entry(ErrorCode.UNAVAILABLE, 503), Map.entry(ErrorCode.TIMEOUT, 504)));

    // ---- the platform's own exceptions ----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void eachErrorCodeHasItsStatusAndWireName(ErrorCode code) {
        // Verifies the status table for every code, and that a ThingportException keeps its code and message.
        // GIVEN an exception of that code
        ThingportException e = new ThingportException(code, "what went wrong with " + code);

        // WHEN it is turned into the API's error
        ApiError error = ApiErrors.of(e);

        // THEN it has the code's status, wire name and the message, and no field
        assertThat(STATUSES).as("the test's table covers every code").containsKey(code);
        assertThat(ApiErrors.status(code)).isEqualTo(STATUSES.get(code));
        assertThat(error).isEqualTo(new ApiError(STATUSES.get(code), code.wireName(), "what went wrong with " + code,
                null));
    }

    @Test
    void aFieldExceptionNamesItsFieldWithItsCodesStatus() {
        // Verifies FieldException: its field is passed on, with its code (INVALID_ARGUMENT by default) and status.
        // GIVEN a default field exception and a precondition one
        FieldException plain = new FieldException("limit", "limit must be between 1 and 1000, not 0");
        FieldException precondition = new FieldException(ErrorCode.PRECONDITION_FAILED, "If-Match", "changed");

        // WHEN turned into errors
        ApiError a = ApiErrors.of(plain);
        ApiError b = ApiErrors.of(precondition);

        // THEN each names its field
        assertThat(a).isEqualTo(new ApiError(400, "invalid_argument", "limit must be between 1 and 1000, not 0", "limit"));
        assertThat(b).isEqualTo(new ApiError(412, "precondition_failed", "changed", "If-Match"));
    }

    @Test
    void aValidationExceptionListsEveryViolationAndNamesTheFirstField() {
        // Verifies ValidationException: 400 invalid_value, every violation in the message as "field: rule", the first
        // violation's field as the error's field.
        // GIVEN two violations of the thing model
        ValidationException e = new ValidationException(List.of(
                new Violation(Violation.ErrorKind.INVALID_VALUE, "property temp", "900 is above the maximum 85"),
                new Violation(Violation.ErrorKind.UNKNOWN_IDENTIFIER, "property colour", "is not defined")));

        // WHEN turned into an error
        ApiError error = ApiErrors.of(e);

        // THEN it lists both and names the first
        assertThat(error).isEqualTo(new ApiError(400, "invalid_value",
                "property temp: 900 is above the maximum 85; property colour: is not defined", "property temp"));
    }

    @Test
    void aValidationExceptionOfUnknownIdentifiersOnlyKeepsItsCode() {
        // Verifies that the error's code is the exception's own: unknown_identifier when every violation is an
        // unknown identifier, as the device protocol reports it, not invalid_value.
        // GIVEN a validation failure whose violations are all unknown identifiers
        ValidationException e = new ValidationException(
                new Violation(Violation.ErrorKind.UNKNOWN_IDENTIFIER, "property colour", "is not defined"));

        // WHEN turned into an error
        ApiError error = ApiErrors.of(e);

        // THEN it keeps the exception's code, with status 400
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_IDENTIFIER);
        assertThat(error).isEqualTo(new ApiError(400, "unknown_identifier", "property colour: is not defined",
                "property colour"));
    }

    // ---- bodies Jackson could not read ----------------------------------------------------------------------------

    @Test
    void anUnknownFieldIsNamedWithTheKnownOnes() {
        // Verifies an unknown field (FAIL_ON_UNKNOWN_PROPERTIES): 400 invalid_argument naming the field, its path,
        // and the fields that are known.
        // GIVEN a body with a misspelt field
        ApiError error = parse("{\"name\":\"a\",\"count\":1,\"colour\":\"RED\"}", Sample.class);

        // THEN the field is named and the known ones listed
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("invalid_argument");
        assertThat(error.field()).isEqualTo("colour");
        assertThat(error.message()).startsWith("unknown field colour (known: ").contains("color", "count", "items");
    }

    @Test
    void anUnknownFieldInsideAListIsNamedByItsPath() {
        // Verifies the path of a nested unknown field: the list's field, the index and the field.
        // GIVEN a body whose second item has an unknown field
        ApiError error = parse("{\"items\":[{\"qty\":1},{\"qty\":2,\"size\":3}]}", Sample.class);

        // THEN the path names it
        assertThat(error.field()).isEqualTo("items[1].size");
        assertThat(error.message()).startsWith("unknown field size (known: ").contains("qty", "sku");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheFieldAndTheExpectedType() {
        // Verifies wrong types (no coercion of scalars): text for a number, a boolean for a number, a number for a
        // boolean, an object for a list, each named by its field path with what was expected.
        // GIVEN bodies with values of the wrong type
        ApiError text = parse("{\"count\":\"many\"}", Sample.class);
        ApiError bool = parse("{\"count\":true}", Sample.class);
        ApiError number = parse("{\"flag\":1}", Sample.class);
        ApiError object = parse("{\"items\":{\"qty\":1}}", Sample.class);
        ApiError nested = parse("{\"items\":[{\"qty\":1},{\"qty\":\"x\"}]}", Sample.class);

        // THEN each is 400 invalid_argument naming the field path
        for (ApiError e : List.of(text, bool, number, object, nested)) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("invalid_argument");
        }
        assertThat(text.field()).isEqualTo("count");
        assertThat(text.message()).startsWith("field count: ").contains("whole number");
        assertThat(bool.field()).isEqualTo("count");
        assertThat(bool.message()).startsWith("field count: ").contains("whole number");
        assertThat(number.field()).isEqualTo("flag");
        assertThat(number.message()).startsWith("field flag: ").contains("boolean");
        assertThat(object.field()).isEqualTo("items");
        assertThat(object.message()).startsWith("field items: expected a ");
        assertThat(nested.field()).isEqualTo("items[1].qty");
        assertThat(nested.message()).startsWith("field items[1].qty: ").contains("whole number");
    }

    @Test
    void aNullForANumberIsRefusedNamingTheField() {
        // Verifies FAIL_ON_NULL_FOR_PRIMITIVES: a null for a required number is refused, naming it.
        // GIVEN a body with null for an int
        ApiError error = parse("{\"count\":null}", Sample.class);

        // THEN the field is named with the expected type
        assertThat(error).isEqualTo(new ApiError(400, "invalid_argument", "field count: expected a whole number",
                "count"));
    }

    @Test
    void aMissingRequiredNumberIsRefusedNamingTheField() {
        // Verifies that a body without a field read into a primitive is refused naming it, instead of taking 0.
        // GIVEN a body without count (an int)
        ApiError error = parse("{\"name\":\"a\"}", Sample.class);

        // THEN count is named
        assertThat(error).isEqualTo(new ApiError(400, "invalid_argument", "field count: expected a whole number",
                "count"));
    }

    @Test
    void aBadEnumOrInstantValueIsQuotedWithWhatIsValid() {
        // Verifies InvalidFormatException: the value is quoted and what is valid is said (an enum's values in lower
        // case, an ISO-8601 instant).
        // GIVEN bodies with an unknown enum constant and a bad instant
        ApiError color = parse("{\"color\":\"PURPLE\"}", Sample.class);
        ApiError at = parse("{\"at\":\"yesterday\"}", Sample.class);

        // THEN each names the field and says what it should be
        assertThat(color).isEqualTo(new ApiError(400, "invalid_argument",
                "field color: \"PURPLE\" is not a valid value of [red, green]", "color"));
        assertThat(at).isEqualTo(new ApiError(400, "invalid_argument", "field at: \"yesterday\" is not a valid Instant",
                "at"));
    }

    @Test
    void aLongBadValueIsCutInTheMessage() {
        // Verifies that a refused value is quoted only up to 60 characters, so a body cannot fill the error.
        // GIVEN an enum value of 500 characters
        ApiError error = parse("{\"color\":\"" + "X".repeat(500) + "\"}", Sample.class);

        // THEN the message holds its first 60 characters and an ellipsis
        assertThat(error.message()).contains("\"" + "X".repeat(60) + "…\"").doesNotContain("X".repeat(61));
    }

    @Test
    void malformedJsonIsMalformedWithItsLineAndColumn() {
        // Verifies a syntax error: 400 malformed, "not valid JSON" with the line and column where parsing failed.
        // GIVEN a body whose third line has a value missing
        ApiError error = parse("{\n  \"name\": \"a\",\n  \"count\": }", Sample.class);

        // THEN it is malformed at line 3
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("malformed");
        assertThat(error.field()).isNull();
        assertThat(error.message()).matches("the body is not valid JSON \\(line 3, column \\d+\\)");
    }

    @Test
    void aTruncatedBodyIsMalformed() {
        // Verifies that a body cut short (end of input inside an object) is malformed.
        // GIVEN an unterminated object
        ApiError error = parse("{\"name\":\"a\"", Sample.class);

        // THEN it is malformed with a position
        assertThat(error.code()).isEqualTo("malformed");
        assertThat(error.message()).startsWith("the body is not valid JSON (line 1, column ");
    }

    @Test
    void trailingTokensAfterTheValueAreRefusedAsSuch() {
        // Verifies FAIL_ON_TRAILING_TOKENS: a second value after the body's object, and trailing garbage, are refused
        // as malformed with their position, rather than reported as a body of the wrong type.
        // GIVEN a body followed by a second object, and one followed by a bare word
        ApiError second = parse("{\"count\":1}\n\n  {\"count\":2}", Sample.class);
        ApiError garbage = parse("{\"count\":1} x", Sample.class);

        // THEN both are malformed, with the position of what follows the value
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.code()).isEqualTo("malformed");
        assertThat(second.field()).isNull();
        assertThat(second.message()).isEqualTo("the body has more after its JSON value (line 3, column 3)");
        assertThat(garbage.code()).isEqualTo("malformed");
        assertThat(garbage.message()).startsWith("the body is not valid JSON (line 1, column ");
    }

    @Test
    void aBodyOfTheWrongShapeSaysWhatWasExpected() {
        // Verifies a top-level mismatch (an array or a number for an object): 400 invalid_argument, no field.
        // GIVEN an array and a number where an object is read
        ApiError array = parse("[1,2]", Sample.class);
        ApiError number = parse("42", Sample.class);

        // THEN the body as a whole is refused
        assertThat(array).isEqualTo(new ApiError(400, "invalid_argument", "the body: expected a Sample", null));
        assertThat(number.field()).isNull();
        assertThat(number.message()).startsWith("the body: expected a ");
    }

    @Test
    void aRefusalFromABodysConstructorIsPassedOnAsItIs() {
        // Verifies that a ThingportException thrown while Jackson builds a body (wrapped by Jackson) is unwrapped, so
        // its code and field reach the client.
        // GIVEN a body whose constructor refuses a blank id
        ApiError error = parse("{\"id\":\" \"}", Guarded.class);

        // THEN the constructor's refusal is the error
        assertThat(error).isEqualTo(new ApiError(400, "invalid_argument", "id is required", "id"));
    }

    // ---- the JAX-RS runtime and anything else ---------------------------------------------------------------------

    @Test
    void theRuntimesRefusalsKeepTheirStatusWithTheApisCodes() {
        // Verifies WebApplicationExceptions: 404, 405, 406, 415 keep their status, with a code and message of the API
        // (not the runtime's text), and any other status is described by its number.
        // GIVEN the runtime's refusals
        // WHEN turned into errors
        ApiError notFound = ApiErrors.of(new NotFoundException("/api/v1/nowhere was not matched"));
        ApiError notAllowed = ApiErrors.of(new NotAllowedException("GET"));
        ApiError notAcceptable = ApiErrors.of(new NotAcceptableException());
        ApiError unsupported = ApiErrors.of(new NotSupportedException());
        ApiError conflict = ApiErrors.of(new WebApplicationException(409));
        ApiError broken = ApiErrors.of(new WebApplicationException("db password=hunter2", 502));

        // THEN each has the API's shape
        assertThat(notFound).isEqualTo(new ApiError(404, "not_found", "no such resource", null));
        assertThat(notAllowed).isEqualTo(new ApiError(405, "method_not_allowed", "method not allowed on this resource",
                null));
        assertThat(notAcceptable).isEqualTo(new ApiError(406, "not_acceptable",
                "this resource answers application/json only", null));
        assertThat(unsupported).isEqualTo(new ApiError(415, "unsupported_media_type", "send the body as application/json",
                null));
        assertThat(conflict).isEqualTo(new ApiError(409, "invalid_argument",
                "the request could not be handled (HTTP 409)", null));
        assertThat(broken).isEqualTo(new ApiError(502, "internal", "the request could not be handled (HTTP 502)", null));
    }

    @Test
    void anUnexpectedExceptionIsAnInternalErrorWithoutItsDetail() {
        // Verifies that a fault of the platform (any other RuntimeException, or an Error) is 500 internal with a fixed
        // message: nothing of its own message, class or cause reaches the client.
        // GIVEN unexpected failures with revealing messages
        List<Throwable> faults = List.of(new IllegalStateException("jdbc:h2:/opt/thingport/data password=hunter2"),
                new NullPointerException("Cannot invoke \"io.thingport.core.Secret.key()\""),
                new RuntimeException("wrapped", new IllegalArgumentException("inner detail")),
                new UnsupportedOperationException(), new AssertionError("internal invariant"));

        for (Throwable t : faults) {
            // WHEN turned into an error
            ApiError error = ApiErrors.of(t);

            // THEN it is the fixed internal error
            assertThat(error).isEqualTo(new ApiError(500, "internal", "internal error: see the platform's log", null));
        }
    }

    private static ApiError parse(String json, Class<?> type) {
        Throwable t = catchThrowable(() -> RestJson.MAPPER.readValue(json, type));
        assertThat(t).as("reading %s as %s fails", json, type.getSimpleName()).isNotNull();
        return ApiErrors.of(t);
    }
}
