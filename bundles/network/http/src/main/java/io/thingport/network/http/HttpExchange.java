package io.thingport.network.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.thingport.api.network.RequestSessions;

/**
 * One request of a connection and, once known, its response. Plain state, confined to the connection's event loop
 * like {@link HttpDeviceHandler} that fills it in; {@link ResponseQueue} orders the exchanges of a connection.
 */
final class HttpExchange {
    final HttpVersion version;
    final HttpMethod method;
    final HttpHeaders headers;
    String topic = "";
    ByteBuf body;
    byte[] payload = new byte[0];
    boolean bodyComplete;
    boolean discarding;
    boolean expectContinue;
    boolean needsContinue;
    boolean continueSent;
    boolean closeAfter;
    boolean started;
    boolean ready;
    /** The response, unless it carries the downlinks of {@link #lease}. */
    HttpReply reply;
    /** Set for a 200: the downlinks are taken from it when the response is written. */
    RequestSessions.Lease lease;

    HttpExchange(HttpVersion version, HttpMethod method, HttpHeaders headers) {
        this.version = version;
        this.method = method;
        this.headers = headers;
    }

    void respond(HttpReply reply) {
        this.reply = reply;
        this.ready = true;
    }

    void respondDownlinks(RequestSessions.Lease lease) {
        this.lease = lease;
        this.ready = true;
    }

    /** Started and waiting for the platform (the login or the storing of its message). */
    boolean inProgress() {
        return started && !ready;
    }

    void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
