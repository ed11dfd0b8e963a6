package io.thingport.shell.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.AccessLogService;
import io.thingport.api.access.AccessRecord;
import io.thingport.shell.support.Fakes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import org.apache.felix.service.command.CommandSession;
import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

/** The shell's access records: one per top-level command line, its user and client, its status, its secrets masked. */
class ShellAccessRecorderTest {
    private final List<AccessRecord> records = new CopyOnWriteArrayList<>();
    private final ShellAccessRecorder recorder = new ShellAccessRecorder(Fakes.service(AccessLogService.class,
            Map.of("record", args -> records.add((AccessRecord) args[0]))));

    /** A session whose variables are {@code variables}. */
    private static CommandSession session(Map<String, Object> variables) {
        Map<String, Object> vars = new HashMap<>(variables);
        return Fakes.service(CommandSession.class, Map.of("get", args -> vars.get((String) args[0])));
    }

    private static Subject sshUser(String user, String client) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        subject.getPrincipals().add(new RolePrincipal("admin"));
        subject.getPrincipals().add(new ClientPrincipal("ssh", client));
        return subject;
    }

    @Test
    void aCommandOfAnSshUserIsRecordedWithItsUserClientStatusAndMaskedLine() {
        // Verifies the record of a successful command: channel shell, the JAAS user, the SSH client's address without
        // its port, 200 ok, the line with its secret masked.
        // GIVEN
        CommandSession session = session(Map.of(Subject.class.getName(), sshUser("alice", "/192.0.2.7:53422")));
        // WHEN
        recorder.beforeExecute(session, "iot:device-create p1 d1 --secret s3cr3t");
        recorder.afterExecute(session, "iot:device-create p1 d1 --secret s3cr3t", (Object) null);
        // THEN
        assertThat(records).hasSize(1);
        AccessRecord r = records.get(0);
        assertThat(r.channel()).isEqualTo("shell");
        assertThat(r.principal()).isEqualTo("alice");
        assertThat(r.kind()).isEqualTo("user");
        assertThat(r.source()).isEqualTo("192.0.2.7");
        assertThat(r.action()).isEqualTo("iot:device-create p1 d1 --secret ****");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.result()).isEqualTo("ok");
        assertThat(r.durationMs()).isNotNegative();
        assertThat(r.timestamp()).isNotNull();
    }

    @Test
    void onlyTheOutermostExecutionOfASessionIsRecorded() {
        // Verifies that a command that executes others (a script, shell:source) gives one record, the outer line's,
        // with the outcome of the outer execution; the next command is recorded again.
        // GIVEN
        CommandSession session = session(Map.of());
        // WHEN
        recorder.beforeExecute(session, "shell:source script.txt");
        recorder.beforeExecute(session, "iot:device-list");
        recorder.afterExecute(session, "iot:device-list", (Object) "list");
        recorder.beforeExecute(session, "iot:device-delete d9");
        recorder.afterExecute(session, "iot:device-delete d9", new CommandException("not found"));
        recorder.afterExecute(session, "shell:source script.txt", (Object) null);
        recorder.beforeExecute(session, "iot:rule-list");
        recorder.afterExecute(session, "iot:rule-list", (Object) null);
        // THEN
        assertThat(records).extracting(AccessRecord::action).containsExactly("shell:source script.txt", "iot:rule-list");
        assertThat(records.get(0).status()).isEqualTo(200);
    }

    @Test
    void aFailedCommandIsRecordedWithStatus500AndTheRefusalsCode() {
        // Verifies the failure path: the platform's error code from the cause chain, else "failed"; and a console
        // without a JAAS user is "console" from "local".
        // GIVEN
        CommandSession console = session(Map.of());
        Exception refused = new CommandException("Error executing command: device d9 does not exist", "device d9 does not exist",
                new ThingportException(ErrorCode.NOT_FOUND, "device d9 does not exist"));
        // WHEN
        recorder.beforeExecute(console, "iot:device-info d9");
        recorder.afterExecute(console, "iot:device-info d9", refused);
        recorder.beforeExecute(console, "nosuch:command");
        recorder.afterExecute(console, "nosuch:command", new IllegalArgumentException("Command not found: nosuch:command"));
        // THEN
        assertThat(records).extracting(AccessRecord::status).containsExactly(500, 500);
        assertThat(records).extracting(AccessRecord::result).containsExactly("not_found", "failed");
        assertThat(records.get(0).principal()).isEqualTo(ShellAccessRecorder.CONSOLE);
        assertThat(records.get(0).source()).isEqualTo(ShellAccessRecorder.LOCAL);
    }

    @Test
    void theLocalConsolesUserIsNamedAndItsSourceIsLocal() {
        // Verifies Karaf's local console subject (user karaf, client "local" at localhost), and client addresses.
        Subject local = new Subject();
        local.getPrincipals().add(new UserPrincipal("karaf"));
        local.getPrincipals().add(new ClientPrincipal("local", "localhost"));
        assertThat(ShellAccessRecorder.caller(session(Map.of(Subject.class.getName(), local))))
                .isEqualTo(new ShellAccessRecorder.Caller("karaf", "user", "local"));
        assertThat(ShellAccessRecorder.address("/[0:0:0:0:0:0:0:1]:40000")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(ShellAccessRecorder.address("/127.0.0.1:40000")).isEqualTo("127.0.0.1");
    }

    @Test
    void anExecutionThatBeganBeforeTheListenerIsIgnored() {
        // Verifies that an afterExecute without its beforeExecute (the listener registered meanwhile) records nothing.
        recorder.afterExecute(session(Map.of()), "iot:device-list", (Object) null);
        assertThat(records).isEmpty();
    }
}
