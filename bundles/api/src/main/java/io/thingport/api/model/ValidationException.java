package io.thingport.api.model;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A message or definition that breaks the thing model. It lists every broken rule, so one rejection tells a device
 * maker everything that is wrong; the whole message is rejected, nothing of it is applied.
 */
public class ValidationException extends ThingportException {
    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public ValidationException(List<Violation> violations) {
        super(codeOf(violations), violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public ValidationException(Violation violation) {
        this(List.of(violation));
    }

    public List<Violation> violations() {
        return violations;
    }

    private static ErrorCode codeOf(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ValidationException needs at least one violation");
        }
        return violations.stream().allMatch(v -> v.kind() == Violation.ErrorKind.UNKNOWN_IDENTIFIER)
                ? ErrorCode.UNKNOWN_IDENTIFIER : ErrorCode.INVALID_VALUE;
    }
}
