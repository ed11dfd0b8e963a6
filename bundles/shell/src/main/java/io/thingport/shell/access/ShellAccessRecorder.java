package io.thingport.shell.access;

import io.thingport.api.ThingportException;
import io.thingport.api.access.AccessLogService;
import io.thingport.api.access.AccessRecord;
import java.security.AccessController;
import java.security.Principal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.security.auth.Subject;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Writes every shell command line to the access log (channel {@code shell}): who ran it (the session's JAAS user, or
 * {@code console}), from where (the SSH client's address, or {@code local}), the line with its secrets masked
 * ({@link CommandLines#mask}), 200 or 500 with the error's code, and how long it took. Karaf calls it for every
 * execution, also those a command or script starts inside another one: only the outermost one of a session is written.
 * The access log queues it and never blocks the shell.
 */
@Component(service = CommandSessionListener.class)
public final class ShellAccessRecorder implements CommandSessionListener {
    /** The principal of a session without a JAAS user. */
    static final String CONSOLE = "console";
    static final String LOCAL = "local";

    private final AccessLogService log;
    /** The executions under way, per session (a closed session's entry goes with it). */
    private final Map<CommandSession, Execution> running = Collections.synchronizedMap(new WeakHashMap<>());

    /** The outermost execution of a session: when it began, who runs it, how deep the nesting is now. */
    private static final class Execution {
        int depth;
        Instant started;
        long startedNanos;
        Caller caller;
    }

    /** Who runs the session's commands and from where. */
    record Caller(String principal, String kind, String source) {
    }

    @Activate
    public ShellAccessRecorder(@Reference AccessLogService log) {
        this.log = log;
    }

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        Execution e = running.computeIfAbsent(session, s -> new Execution());
        synchronized (e) {
            if (e.depth++ == 0) {
                e.started = Instant.now();
                e.startedNanos = System.nanoTime();
                e.caller = caller(session);
            }
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
        done(session, command, 500, result(exception));
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
        done(session, command, 200, "ok");
    }

    private void done(CommandSession session, CharSequence command, int status, String result) {
        Execution e = running.get(session);
        if (e == null) {
            return; // began before this listener was registered
        }
        Instant started;
        long nanos;
        Caller who;
        synchronized (e) {
            if (--e.depth > 0) {
                return; // nested: its outermost line is the one written
            }
            e.depth = 0;
            started = e.started;
            nanos = e.startedNanos;
            who = e.caller;
        }
        log.record(new AccessRecord(0, started, AccessRecord.CHANNEL_SHELL, who.principal(), who.kind(),
                CommandLines.mask(command == null ? "" : command.toString()), who.source(), status, result,
                (System.nanoTime() - nanos) / 1_000_000));
    }

    /** The error's code ({@code not_found}, ...) when the platform refused the command, else {@code failed}. */
    static String result(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ThingportException te) {
                return te.code().wireName();
            }
        }
        return "failed";
    }

    /** The session's JAAS subject (SSH puts it in the session; the console runs as it), read for its user and client. */
    static Caller caller(CommandSession session) {
        Subject subject = subject(session.get(Subject.class.getName()));
        String user = null;
        String source = LOCAL;
        if (subject != null) {
            for (Principal p : subject.getPrincipals()) {
                if (p instanceof UserPrincipal && user == null) {
                    user = p.getName();
                } else if (p instanceof ClientPrincipal client && !LOCAL.equals(client.getMethod()) && client.getAddress() != null) {
                    source = address(client.getAddress());
                }
            }
        }
        return new Caller(user == null ? CONSOLE : user, "user", source);
    }

    /**
     * The user a shell command runs as, as the access log names it ({@code console} for the local console without a
     * login): what records who did something (e.g. who acknowledged an alarm).
     *
     * @param inSession the session's {@code javax.security.auth.Subject} attribute (SSH sets it), or {@code null}
     */
    public static String user(Object inSession) {
        Subject subject = subject(inSession);
        if (subject != null) {
            for (Principal p : subject.getPrincipals()) {
                if (p instanceof UserPrincipal) {
                    return p.getName();
                }
            }
        }
        return CONSOLE;
    }

    private static Subject subject(Object inSession) {
        return inSession instanceof Subject s ? s : current();
    }

    /** {@code /192.0.2.7:53422} as {@code 192.0.2.7}. */
    static String address(String socketAddress) {
        String a = socketAddress.startsWith("/") ? socketAddress.substring(1) : socketAddress;
        int colon = a.lastIndexOf(':');
        if (colon > 0 && a.indexOf(':') == colon) {
            return a.substring(0, colon); // IPv4 with a port
        }
        if (a.startsWith("[") && a.contains("]")) {
            return a.substring(1, a.indexOf(']')); // [IPv6]:port
        }
        return a;
    }

    /**
     * The subject the current thread runs as. {@code Subject.getSubject} is the way on Java 17 (its successor,
     * {@code Subject.current()}, came with Java 18); Karaf itself reads the shell's user the same way.
     */
    @SuppressWarnings("removal")
    private static Subject current() {
        try {
            return Subject.getSubject(AccessController.getContext());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
