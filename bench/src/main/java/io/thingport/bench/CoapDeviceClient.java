package io.thingport.bench;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.RandomTokenGenerator;
import org.eclipse.californium.core.network.TokenGenerator;
import org.eclipse.californium.elements.config.Configuration;

/**
 * A device on a {@code coap-server} component: its own UDP socket (a Californium {@link CoapEndpoint} over a
 * {@link NettyUdpConnector}, protocol work on the device's event loop: no thread of its own), a {@code GET} with
 * signed credentials that logs it in and returns the session token, then one confirmable {@code POST} per report with
 * the token, asynchronously, at most
 * {@code --max-inflight} without response. A report is confirmed by {@code 2.04 Changed}, which the platform sends
 * only once the report is stored: the latency is the storage latency. A report the platform rejects (thing model)
 * is answered 2.04 too, with an {@code /error} downlink in the body: those are counted like TCP's /error frames. Any
 * other response code is a refused report (counted by code); no response (retransmissions exhausted), a send error
 * or a reset is a dropped one.
 *
 * <p>One socket per device (not one shared socket) because CoAP message ids are 16 bits per pair of endpoints and
 * both ends remember them for EXCHANGE_LIFETIME (247 s): one socket could send only ~265 requests/s without the
 * platform taking new requests for duplicates of old ones.
 */
final class CoapDeviceClient extends DeviceClient {
    /** What all CoAP devices of a run share: the server address, Californium's configuration and tokens. */
    static final class Target {
        final InetSocketAddress server;
        final Configuration config;
        final TokenGenerator tokens;

        Target(InetSocketAddress server) {
            this.server = server;
            CoapConfig.register();
            // Californium's defaults (no properties file read or written): CON retransmission after 2-3 s, 4 times;
            // message ids remembered 247 s
            this.config = Configuration.createStandardWithoutFile();
            this.tokens = new RandomTokenGenerator(config);
        }
    }

    private final Target target;

    // ---- event-loop confined (set on the loop by connect) ----
    private CoapEndpoint endpoint;
    private String token;
    private int outstanding;
    private long lastRequestNanos;
    private ScheduledFuture<?> keepalive;

    CoapDeviceClient(LoadRun run, Device device, int loopIndex, EventLoop loop, Target target) {
        super(run, device, loopIndex, loop);
        this.target = target;
    }

    /** Binds the device's UDP socket on the calling thread (never an event loop), then logs in on the loop. */
    @Override
    void connect() {
        long start = System.nanoTime();
        CoapEndpoint ep = CoapEndpoint.builder()
                .setConfiguration(target.config)
                .setConnector(new NettyUdpConnector(loop, new InetSocketAddress(0)))
                .setTokenGenerator(target.tokens)
                .setLoggingTag(device.id())
                .build();
        ep.setExecutors(loop, loop);
        Exception bindError = null;
        try {
            ep.start();
        } catch (IOException | RuntimeException e) {
            bindError = e;
        }
        Exception failed = bindError;
        loop.execute(() -> {
            connectStartNanos = start;
            if (failed != null) {
                resolveFailure(false, "UDP socket failed", describe(failed));
                return;
            }
            endpoint = ep;
            login(CoapRequests.Credentials.sign(device, System.currentTimeMillis()));
        });
    }

    private void login(CoapRequests.Credentials credentials) {
        Request request = CoapRequests.login(target.server, reportTopic, credentials);
        request.addMessageObserver(new Outcome() {
            @Override
            void response(Response response) {
                CoAP.ResponseCode code = response.getCode();
                String issued = CoapRequests.token(response.getPayloadString());
                if (code.isSuccess() && issued == null) {
                    resolveFailure(false, "login answered", "no session token in " + abbreviate(response.getPayloadString(), 200));
                } else if (code.isSuccess()) {
                    token = issued;
                    loginSucceeded();
                    startKeepalive();
                } else if (code == CoAP.ResponseCode.UNAUTHORIZED || code == CoAP.ResponseCode.FORBIDDEN) {
                    resolveFailure(true, "login refused", CoapRequests.describe(code) + " "
                            + abbreviate(response.getPayloadString(), 200));
                } else {
                    resolveFailure(false, "login answered", CoapRequests.describe(code) + " "
                            + abbreviate(response.getPayloadString(), 200));
                }
            }

            @Override
            void failed(String category, String detail) {
                resolveFailure(false, "login " + category, detail);
            }
        });
        startLoginTimeout("CoAP login response", request::cancel);
        lastRequestNanos = System.nanoTime();
        endpoint.sendRequest(request);
    }

    @Override
    void trySend() {
        if (!connected || endpoint == null) {
            run.stats.skipped.increment();
            return;
        }
        if (outstanding >= run.config.maxInflight) {
            run.stats.throttled.increment();
            return;
        }
        String json = nextReport();
        long reportSeq = seq;
        String report = sample ? json : null;
        Request request = CoapRequests.report(target.server, reportTopic, token, json);
        boolean measured = countSent();
        long sentNanos = System.nanoTime();
        outstanding++;
        lastRequestNanos = sentNanos;
        request.addMessageObserver(new Outcome() {
            @Override
            void response(Response response) {
                outstanding--;
                CoAP.ResponseCode code = response.getCode();
                if (code == CoAP.ResponseCode.CHANGED) {
                    countConfirmed(measured, System.nanoTime() - sentNanos, reportSeq, report);
                    downlinks(response);
                } else {
                    countRefused(measured);
                    run.stats.reason("report answered", CoapRequests.describe(code));
                }
            }

            @Override
            void failed(String category, String detail) {
                outstanding--;
                countDropped(measured);
                if (!run.shuttingDown) {
                    run.stats.errors.increment();
                    run.stats.reason("report " + category, detail);
                }
            }
        });
        endpoint.sendRequest(request);
    }

    /**
     * Counts the downlinks a 2.04 carries: a rejected report is answered 2.04 as well, with an
     * {@code /{product}/{device}/error} downlink (the same as the /error frame on TCP). Others (commands) are unexpected.
     */
    private void downlinks(Response response) {
        String body = response.getPayloadString();
        if (body.equals(CoapRequests.NO_DOWNLINKS)) {
            return;
        }
        String errorTopic = "/" + run.config.product + "/" + device.id() + "/error";
        for (CoapRequests.Downlink d : CoapRequests.downlinks(body)) {
            if (d.topic().equals(errorTopic)) {
                run.stats.errorFrames.increment();
                run.stats.reason("/error downlink", "code " + TcpFrames.errorCode(" " + d.payload()));
                if (run.stats.errorFrames.sum() <= 3) {
                    System.err.println("! " + device.id() + ": " + abbreviate(d.topic() + " " + d.payload(), 300));
                }
            } else {
                run.stats.inbound.increment();
                run.stats.reason("unexpected downlink", abbreviate(d.topic(), 80));
            }
        }
    }

    /** Polls (GET) when the device sent nothing for 3/4 of --keepalive, so that the platform keeps the session. */
    private void startKeepalive() {
        int keepaliveS = run.config.keepaliveS;
        if (keepaliveS <= 0) {
            return;
        }
        long pingNanos = Math.max(1000L, keepaliveS * 750L) * 1_000_000L;
        keepalive = loop.scheduleAtFixedRate(() -> {
            if (!connected || System.nanoTime() - lastRequestNanos < pingNanos) {
                return;
            }
            lastRequestNanos = System.nanoTime();
            Request poll = CoapRequests.poll(target.server, reportTopic, token);
            poll.addMessageObserver(new Outcome() {
                @Override
                void response(Response response) {
                    if (!response.getCode().isSuccess()) {
                        sessionDown();
                        countError("keep-alive poll answered", CoapRequests.describe(response.getCode()));
                    }
                }

                @Override
                void failed(String category, String detail) {
                    sessionDown();
                    countError("keep-alive poll " + category, detail);
                }
            });
            endpoint.sendRequest(poll);
        }, pingNanos / 4, pingNanos / 4, TimeUnit.NANOSECONDS);
    }

    @Override
    void disconnect() {
        loop.execute(() -> {
            if (keepalive != null) {
                keepalive.cancel(false);
            }
            sessionDown();
            if (endpoint != null) {
                endpoint.destroy();
            }
        });
    }

    /**
     * Exactly one outcome per request, delivered on the device's loop: a response, or a failure (no response after
     * the retransmissions, send error, reset by the server, cancelled).
     */
    private abstract class Outcome extends MessageObserverAdapter {
        private boolean done; // loop-confined

        abstract void response(Response response);

        abstract void failed(String category, String detail);

        private void once(Runnable r) {
            if (loop.inEventLoop()) {
                if (!done) {
                    done = true;
                    r.run();
                }
            } else {
                loop.execute(() -> once(r));
            }
        }

        @Override
        public void onResponse(Response response) {
            once(() -> response(response));
        }

        @Override
        public void onTimeout() {
            once(() -> failed("timed out", "no response after the CoAP retransmissions"));
        }

        @Override
        public void onSendError(Throwable error) {
            once(() -> failed("send failed", describe(error)));
        }

        @Override
        public void onReject() {
            once(() -> failed("rejected", "reset (RST) by the server"));
        }

        @Override
        public void onCancel() {
            once(() -> failed("cancelled", "by the generator"));
        }
    }
}
