package io.thingport.shell.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

class IotCommandTest {

    @Command(scope = "iot", name = "test-wait")
    static final class Waiting extends IotCommand {
        RuntimeException failure;

        @Override
        protected Object run() {
            if (failure != null) {
                throw failure;
            }
            return "done";
        }
    }

    @Test
    void aRefusalOfThePlatformIsAnExpectedOutcomeNotAnError() {
        // Verifies that a ThingportException reaches Karaf as a CommandException (logged at DEBUG there, one WARN
        // line here) with the usual wording, and that other exceptions and results pass through unchanged.
        // GIVEN a command whose device did not reply in time
        Waiting command = new Waiting();
        command.failure = new ThingportException(ErrorCode.TIMEOUT, "device d1 did not reply to function/invoke m1 within 2 s");
        // WHEN / THEN
        assertThatThrownBy(command::execute).isInstanceOf(CommandException.class)
                .hasMessage("device d1 did not reply to function/invoke m1 within 2 s")
                .satisfies(e -> assertThat(((CommandException) e).getNiceHelp())
                        .contains("Error executing command: device d1 did not reply to function/invoke m1 within 2 s"));
        command.failure = new IllegalStateException("a bug");
        assertThatThrownBy(command::execute).isInstanceOf(IllegalStateException.class).hasMessage("a bug");
        command.failure = null;
        assertThat(assertDoesNotThrow(command)).isEqualTo("done");
    }

    @Test
    void aRefusalQuotingDeviceDataIsEscaped() {
        // Verifies that the message of a refusal, which may quote a value from a device or peer, reaches the terminal
        // with its control characters escaped.
        Waiting command = new Waiting();
        command.failure = ThingportException.invalidArgument("property note: '\u001b[2J\u009b' is too long");
        assertThatThrownBy(command::execute).isInstanceOf(CommandException.class)
                .hasMessage("property note: '\\u001b[2J\\u009b' is too long")
                .satisfies(e -> assertThat(((CommandException) e).getNiceHelp()).doesNotContain("\u009b")
                        .contains("Error executing command: property note: '\\u001b[2J\\u009b' is too long"));
    }

    private static Object assertDoesNotThrow(IotCommand command) {
        try {
            return command.execute();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
