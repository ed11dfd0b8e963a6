package io.thingport.network.dtls;

import io.thingport.api.network.RefusedHandshakes;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.eclipse.californium.scandium.AlertHandler;
import org.eclipse.californium.scandium.ConnectionListener;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.Connection;
import org.eclipse.californium.scandium.dtls.DTLSSession;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.SessionAdapter;

/**
 * Watches the handshakes of a Scandium DTLS server connector and records each refused one, with the peer and the
 * reason, in the component's {@link RefusedHandshakes}, which counts and logs it.
 *
 * <p>Scandium ends most refused handshakes at once ({@code handshakeFailed}: an untrusted or missing client certificate
 * under {@code clientAuth = require}, no common cipher suite, a fatal alert from the device). A wrong pre-shared key or
 * an unknown PSK identity, though, is met with silence (as RFC 4279 asks): such a handshake ends only when the server's
 * last flight times out, about half a minute later with Scandium's defaults, and for a reason that names no key. Those
 * two are recorded when they are seen instead: the device's {@code Finished} failing its MAC check during the first
 * handshake of a connection (a wrong key), and the {@code unknown_psk_identity} alert Scandium raises without sending
 * it. The same handshake's failure later is not counted again: one refused handshake, one count.
 */
final class DtlsHandshakes extends SessionAdapter implements ConnectionListener, AlertHandler {
    private final RefusedHandshakes refused;
    /** Handshakes recorded before they failed; weakly held, so one that succeeds after all is not kept. */
    private final Set<Handshaker> recorded = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    DtlsHandshakes(RefusedHandshakes refused) {
        this.refused = refused;
    }

    @Override
    public void handshakeFailed(Handshaker handshaker, Throwable error) {
        if (recorded.remove(handshaker) || unknownIdentity(handshaker.getConnection().getRootCauseAlert())) {
            return;
        }
        refused.record(handshaker.getPeerAddress(), error);
    }

    @Override
    public boolean onConnectionMacError(Connection connection) {
        Handshaker handshaker = connection.getOngoingHandshake();
        if (handshaker != null && !connection.hasEstablishedDtlsContext() && recorded.add(handshaker)) {
            DTLSSession session = handshaker.getSession();
            boolean psk = session != null && session.getCipherSuite().isPskBased();
            refused.record(handshaker.getPeerAddress(), psk ? "wrong pre-shared key (the handshake failed its MAC check)"
                    : "the handshake failed its MAC check");
        }
        return false;
    }

    @Override
    public void onAlert(InetSocketAddress peer, AlertMessage alert) {
        if (unknownIdentity(alert)) {
            refused.record(peer, "unknown PSK identity");
        }
    }

    private static boolean unknownIdentity(AlertMessage alert) {
        return alert != null && alert.getDescription() == AlertDescription.UNKNOWN_PSK_IDENTITY;
    }

    // ---- the rest of ConnectionListener: nothing to do ----

    @Override
    public void onConnectionEstablished(Connection connection) {
    }

    @Override
    public void onConnectionRemoved(Connection connection) {
    }

    @Override
    public boolean onConnectionUpdatesSequenceNumbers(Connection connection, boolean writeSequenceNumber) {
        return false;
    }

    @Override
    public void beforeExecution(Connection connection) {
    }

    @Override
    public void updateExecution(Connection connection) {
    }

    @Override
    public void afterExecution(Connection connection) {
    }
}
