package io.thingport.network.testkit;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A platform stand-in for network component tests. Logins:
 * <ul>
 *   <li>handshake transports: password {@code good} is accepted as the client id, {@code disabled} is refused as not
 *       authorized, anything else as a bad signature; the client id {@code nobody} is refused as an unknown device
 *       whatever the password;</li>
 *   <li>handshake transports, like the official protocol's signed timestamps: password {@code signed:<n>} is accepted
 *       once per client id and {@code n}, and only when {@code n} is greater than the last one accepted for that
 *       client id (the platform's {@code AuthContext.recordLogin}); a repeated (replayed) or older {@code n} is refused
 *       as a stale timestamp;</li>
 *   <li>frame transports: a login frame {@code login <deviceId> good} is accepted, any other frame refused; the
 *       result carries the reply frame {@code auth ok} / {@code auth refused} (a gateway gets it from the codec);</li>
 *   <li>a verified client certificate is accepted as the device named by its CN.</li>
 * </ul>
 * Every accepted device belongs to product {@code p1}. A message whose topic (or frame) starts with
 * {@code /forbidden} fails with {@code FORBIDDEN}; while {@link #unavailable} is above zero, a message fails at once
 * with {@code UNAVAILABLE} (the platform at its bound; the counter goes down by one); other messages complete with
 * {@link #gate}, and are then answered with {@link #reply} when it is set. Every call is recorded in
 * {@link #received}, refused or not.
 */
public final class RecordingListener implements TransportListener {
    public record Received(TransportConnection connection, EncodedMessage message) {
        public String text() {
            return message.payloadAsText();
        }
    }

    public final List<AuthRequest> logins = new CopyOnWriteArrayList<>();
    public final List<Received> received = new CopyOnWriteArrayList<>();
    public final List<TransportConnection> connections = new CopyOnWriteArrayList<>();
    public final List<String> disconnects = new CopyOnWriteArrayList<>();
    public volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    /** How many of the next messages fail at once with {@code UNAVAILABLE}, as the platform does at its bound. */
    public final AtomicInteger unavailable = new AtomicInteger();
    /** When set, a message taken (once {@link #gate} completes) is answered with this downlink, as a codec reply is. */
    public volatile Function<EncodedMessage, EncodedMessage> reply;
    public volatile Function<AuthRequest, AuthResult> auth = this::standIn;
    /** Client id → the last {@code n} of an accepted {@code signed:<n>} login. */
    private final Map<String, Long> lastSigned = new ConcurrentHashMap<>();

    /** The default logins: {@code signed:<n>} with its replay rule, anything else as {@link #defaultAuth}. */
    private AuthResult standIn(AuthRequest request) {
        String password = new String(request.password(), StandardCharsets.UTF_8);
        if (request.certificates().isEmpty() && request.frame().length == 0 && password.startsWith("signed:")) {
            if ("nobody".equals(request.clientId())) {
                return AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, request.clientId(), "unknown device nobody");
            }
            long n;
            try {
                n = Long.parseLong(password.substring("signed:".length()));
            } catch (NumberFormatException e) {
                return AuthResult.refuse(AuthFailure.BAD_SIGNATURE, request.clientId(), "bad signature");
            }
            boolean[] newer = new boolean[1];
            lastSigned.compute(request.clientId(), (id, last) -> {
                newer[0] = last == null || n > last;
                return newer[0] ? n : last;
            });
            if (!newer[0]) {
                return AuthResult.refuse(AuthFailure.STALE_TIMESTAMP, request.clientId(), "replayed login: " + n
                        + " is not newer than the last accepted one");
            }
            return AuthResult.accept(request.clientId(), "p1");
        }
        return defaultAuth(request);
    }

    public static AuthResult defaultAuth(AuthRequest request) {
        if (!request.certificates().isEmpty()) {
            String dn = request.certificates().get(0).getSubjectX500Principal().getName();
            return AuthResult.accept(dn.replaceFirst(".*CN=([^,]+).*", "$1"), "p1");
        }
        if (request.frame().length > 0) {
            String[] parts = new String(request.frame(), StandardCharsets.UTF_8).trim().split(" ");
            AuthResult r = parts.length == 3 && parts[0].equals("login") && parts[2].equals("good")
                    ? AuthResult.accept(parts[1], "p1")
                    : AuthResult.refuse(AuthFailure.BAD_SIGNATURE, null, "bad login frame");
            byte[] reply = (r.accepted() ? "auth ok" : "auth refused").getBytes(StandardCharsets.UTF_8);
            return r.withReply(new EncodedMessage("", reply, Map.of()));
        }
        if ("nobody".equals(request.clientId())) {
            return AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, request.clientId(), "unknown device nobody");
        }
        return switch (new String(request.password(), StandardCharsets.UTF_8)) {
            case "good" -> AuthResult.accept(request.clientId(), "p1");
            case "disabled" -> AuthResult.refuse(AuthFailure.DISABLED_DEVICE, request.clientId(), "disabled");
            default -> AuthResult.refuse(AuthFailure.BAD_SIGNATURE, request.clientId(), "bad signature");
        };
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        logins.add(request);
        return CompletableFuture.supplyAsync(() -> auth.apply(request));
    }

    @Override
    public void connected(TransportConnection connection, AuthResult result) {
        connections.add(connection);
    }

    @Override
    public CompletionStage<Void> received(TransportConnection connection, EncodedMessage message) {
        received.add(new Received(connection, message));
        if (message.topic().startsWith("/forbidden") || message.payloadAsText().startsWith("/forbidden")) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.FORBIDDEN, "not yours"));
        }
        if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.UNAVAILABLE,
                    "the platform is at its bound of in-flight uplinks"));
        }
        Function<EncodedMessage, EncodedMessage> answer = reply;
        return answer == null ? gate : gate.thenRun(() -> connection.send(answer.apply(message)));
    }

    @Override
    public boolean maySubscribe(TransportConnection connection, String topicFilter) {
        return topicFilter.startsWith("/p1/");
    }

    @Override
    public void disconnected(TransportConnection connection, String reason) {
        disconnects.add(reason);
    }

    /** The payloads received so far, as UTF-8 text. */
    public List<String> texts() {
        return received.stream().map(Received::text).toList();
    }
}
