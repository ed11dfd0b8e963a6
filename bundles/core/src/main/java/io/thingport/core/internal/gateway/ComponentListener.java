package io.thingport.core.internal.gateway;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.core.internal.log.RefusedLogins;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The listener a running network component reports to: it hands each connection to one of the device access
 * gateways bound to the component. With one gateway every connection is that gateway's; an MQTT server shared by
 * several gateways offers a login to each in name order, and the first that accepts it serves the connection (a
 * product bound to a gateway is accepted only by that one). With none, logins are refused.
 */
public final class ComponentListener implements TransportListener {
    private final String componentId;
    private final RefusedLogins refusals;
    private volatile List<DeviceGateway> gateways = List.of();
    private final Map<TransportConnection, DeviceGateway> byConnection = new ConcurrentHashMap<>();
    /** Accepted logins whose connection is not reported yet, to the gateway that accepted them. */
    private final Map<AuthResult, DeviceGateway> accepted = Collections.synchronizedMap(new WeakHashMap<>());

    public ComponentListener(String componentId, RefusedLogins refusals) {
        this.componentId = componentId;
        this.refusals = refusals;
    }

    /** The gateways now bound, in name order. Connections of gateways no longer bound are the caller's to close. */
    public void gateways(List<DeviceGateway> bound) {
        this.gateways = List.copyOf(bound);
    }

    public List<DeviceGateway> gateways() {
        return gateways;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        List<DeviceGateway> list = gateways;
        if (list.isEmpty()) {
            AuthResult refused = AuthResult.refuse(AuthFailure.NOT_AUTHORIZED, null,
                    "no enabled device access gateway uses network component " + componentId);
            refusals.refused(componentId, request, refused);
            return CompletableFuture.completedFuture(refused);
        }
        if (list.size() == 1) {
            DeviceGateway only = list.get(0);
            return only.authenticate(request).thenApply(r -> remember(r, only));
        }
        return tryEach(list, 0, request, null, new HashMap<>());
    }

    /** Offers the login to each gateway in turn; the credentials are checked once per protocol. */
    private CompletionStage<AuthResult> tryEach(List<DeviceGateway> list, int i, AuthRequest request, AuthResult firstRefusal,
                                                Map<Object, CompletionStage<AuthResult>> verdicts) {
        DeviceGateway g = list.get(i);
        return verdicts.computeIfAbsent(g.protocol(), p -> g.credentials(request)).thenApply(g::admit).thenCompose(result -> {
            if (result.accepted()) {
                return CompletableFuture.completedFuture(remember(result, g));
            }
            AuthResult refusal = firstRefusal == null ? result : firstRefusal;
            if (i + 1 < list.size()) {
                return tryEach(list, i + 1, request, refusal, verdicts);
            }
            refusals.refused(list.get(0).id(), request, refusal);
            return CompletableFuture.completedFuture(refusal);
        });
    }

    private AuthResult remember(AuthResult result, DeviceGateway gateway) {
        if (result.accepted()) {
            accepted.put(result, gateway);
        }
        return result;
    }

    @Override
    public void connected(TransportConnection connection, AuthResult result) {
        DeviceGateway g = accepted.remove(result);
        if (g == null || !gateways.contains(g)) {
            connection.close("the device access gateway that accepted the login is no longer bound to " + componentId);
            return;
        }
        byConnection.put(connection, g);
        g.connected(connection, result);
    }

    @Override
    public CompletionStage<Void> received(TransportConnection connection, EncodedMessage message) {
        DeviceGateway g = byConnection.get(connection);
        if (g == null) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.FORBIDDEN, "the connection is not authenticated"));
        }
        return g.received(connection, message);
    }

    @Override
    public boolean maySubscribe(TransportConnection connection, String topicFilter) {
        DeviceGateway g = byConnection.get(connection);
        return g != null && g.maySubscribe(connection, topicFilter);
    }

    @Override
    public void commandOutcome(TransportConnection connection, String messageId, boolean success, String code, String detail) {
        DeviceGateway g = byConnection.get(connection);
        if (g != null) {
            g.commandOutcome(connection, messageId, success, code, detail);
        }
    }

    @Override
    public void disconnected(TransportConnection connection, String reason) {
        DeviceGateway g = byConnection.remove(connection);
        if (g != null) {
            g.disconnected(connection, reason);
        }
    }
}
