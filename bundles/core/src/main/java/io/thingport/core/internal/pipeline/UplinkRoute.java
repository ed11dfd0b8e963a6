package io.thingport.core.internal.pipeline;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.LogType;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DeviceReply;
import io.thingport.api.message.DirectMessage;
import io.thingport.api.message.ErrorMessage;
import io.thingport.api.message.InvokeFunctionReply;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.api.model.ThingModel;
import io.thingport.api.model.ValidationException;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.core.internal.gateway.DeviceSession;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code uplink} route: thing-model validation → properties and device log → reply correlation and the internal
 * event topic, all through {@link UplinkEffects}. Storage is asynchronous: the route continues, and the caller's stage
 * completes, only after the writes committed. A message that breaks the thing model is rejected whole: an
 * {@code /error} goes to the device, a {@code REJECTED} entry to the log, and nothing is stored.
 */
final class UplinkRoute {
    private static final Logger LOG = LoggerFactory.getLogger(UplinkRoute.class);
    static final String UPLINK_ENDPOINT = "direct:uplink";

    private final UplinkEffects effects;
    private final Endpoint endpoint;
    private final AsyncProducer producer;

    /** Adds the route to a started CamelContext. */
    UplinkRoute(CamelContext camel, UplinkEffects effects) throws Exception {
        this.effects = effects;
        camel.addRoutes(new Routes());
        this.endpoint = camel.getEndpoint(UPLINK_ENDPOINT);
        this.producer = endpoint.createAsyncProducer();
        ServiceHelper.startService(producer);
    }

    void close() {
        ServiceHelper.stopService(producer);
    }

    /** Runs one decoded uplink through the route; completes when it is stored, or rejected and the rejection logged. */
    CompletableFuture<Void> process(DeviceSession session, DeviceMessage message, EncodedMessage raw) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Exchange exchange = endpoint.createExchange();
        exchange.getIn().setBody(new Uplink(session, message, raw, null));
        producer.process(exchange, doneSync -> {
            Exception e = exchange.getException();
            if (e == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * Rejects an uplink: sends an {@code /error} to the device and logs the refusal with the raw payload. Nothing of
     * the message is stored. Completes when the log entry is committed; then the {@code /error} is published on the event
     * topic ({@code /device/{p}/{d}/error}).
     */
    CompletableFuture<Void> reject(DeviceSession session, EncodedMessage raw, String messageId, ErrorCode code, String reason) {
        ErrorMessage error = new ErrorMessage(new MessageHeader(messageId == null ? "" : messageId, session.productId(),
                session.deviceId(), System.currentTimeMillis(), Map.of()), code, reason, raw.topic());
        effects.deliver(session, error).exceptionally(e -> {
            LOG.debug("Could not send /error to device {}: {}", session.deviceId(), e.getMessage());
            return null;
        });
        // Once the refusal is logged, rules reading $events/message/rejected see it (as the /error the device got).
        return effects.log(LogType.REJECTED, session.deviceId(), session.productId(), topicType(raw), messageId, raw.topic(),
                DeviceLogServiceImpl.rawText(raw.payload()), "", code.wireName() + ": " + reason).thenRun(() -> effects.publish(error));
    }

    private static String topicType(EncodedMessage raw) {
        String[] parts = raw.topic().split("/", 4);
        return parts.length == 4 ? parts[3] : "";
    }

    private final class Routes extends RouteBuilder {
        @Override
        public void configure() {
            // No error handler: the route redelivers nothing, and a failure reaches the caller as the exchange's
            // exception (the device is not acknowledged and sends again). Camel's default handler cost per message.
            errorHandler(noErrorHandler());
            from(UPLINK_ENDPOINT).routeId("uplink")
                    .process(new Validate())
                    .process(new Persist())
                    .process(exchange -> dispatch(exchange.getIn().getBody(Uplink.class)));
        }
    }

    /** Checks the message against its product's thing model and returns it with canonical values. */
    Uplink validate(Uplink uplink) {
        DeviceMessage m = uplink.message();
        ThingModel model = effects.thingModel(uplink.session().productId());
        DeviceMessage checked;
        if (m instanceof ReportProperties r) {
            checked = new ReportProperties(r.header(), model.checkReported(r.properties()));
        } else if (m instanceof ReadPropertiesReply r) {
            checked = r.success() && !r.properties().isEmpty()
                    ? new ReadPropertiesReply(r.header(), true, null, null, model.checkReported(r.properties())) : r;
        } else if (m instanceof WritePropertiesReply r) {
            checked = r.success() && !r.properties().isEmpty()
                    ? new WritePropertiesReply(r.header(), true, null, null, model.checkReported(r.properties())) : r;
        } else if (m instanceof DeviceEvent e) {
            checked = new DeviceEvent(e.header(), e.eventId(), model.checkEvent(e.eventId(), e.data()));
        } else if (m instanceof InvokeFunctionReply || m instanceof DirectMessage) {
            checked = m;
        } else {
            throw new CodecException(ErrorCode.UNSUPPORTED, "a device may not send " + m.type().topicSuffix() + " messages");
        }
        return uplink.checked(checked);
    }

    /**
     * Stores the checked message (its log entry and properties in one atomic write) and continues the route after the
     * commit; a resent message that was stored before is not dispatched again.
     */
    private final class Persist extends AsyncProcessorSupport {
        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            Uplink u = exchange.getIn().getBody(Uplink.class);
            CompletableFuture<Boolean> stored;
            try {
                stored = effects.store(u.session(), u.checked(), u.raw());
            } catch (RuntimeException e) {
                exchange.setException(e);
                callback.done(true);
                return true;
            }
            stored.whenComplete((isNew, error) -> {
                if (error != null) {
                    exchange.setException(error.getCause() != null ? error.getCause() : error);
                } else if (!isNew) {
                    exchange.setRouteStop(true);
                }
                callback.done(false);
            });
            return false;
        }
    }

    /** The property values a message carries, if it carries any. */
    static Optional<Map<String, Object>> properties(DeviceMessage m) {
        Map<String, Object> props = null;
        if (m instanceof ReportProperties r) {
            props = r.properties();
        } else if (m instanceof ReadPropertiesReply r && r.success()) {
            props = r.properties();
        } else if (m instanceof WritePropertiesReply r && r.success()) {
            props = r.properties();
        }
        return props == null || props.isEmpty() ? Optional.empty() : Optional.of(props);
    }

    private void dispatch(Uplink u) {
        if (u.checked() instanceof DeviceReply reply) {
            effects.complete(reply);
        }
        effects.publish(u.checked());
    }

    /**
     * Replaces the uplink by its checked form; a message that breaks the thing model (or that a device may not send) is
     * answered here instead: {@code /error} to the device and a REJECTED log entry, and the route stops. The caller sees
     * success once that entry is committed: a rejection is a handled outcome, not a failure to retry.
     */
    private final class Validate extends AsyncProcessorSupport {
        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            Uplink u = exchange.getIn().getBody(Uplink.class);
            ThingportException refusal;
            try {
                exchange.getIn().setBody(validate(u));
                callback.done(true);
                return true;
            } catch (ValidationException | CodecException e) {
                refusal = e;
            } catch (RuntimeException e) {
                exchange.setException(e);
                callback.done(true);
                return true;
            }
            exchange.setRouteStop(true);
            reject(u.session(), u.raw(), u.message().messageId(), refusal.code(), refusal.getMessage()).whenComplete((ok, error) -> {
                if (error != null) {
                    exchange.setException(error.getCause() != null ? error.getCause() : error);
                }
                callback.done(false);
            });
            return false;
        }
    }
}
