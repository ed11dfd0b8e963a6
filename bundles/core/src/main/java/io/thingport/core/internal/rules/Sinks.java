package io.thingport.core.internal.rules;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.message.DeviceCommand;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.WriteProperties;
import io.thingport.core.internal.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the running side of each action plan. */
public final class Sinks {
    private Sinks() {
    }

    public static RuleSink open(String ruleId, ActionPlan plan, SinkContext context) {
        if (plan instanceof LogAction log) {
            return logSink(ruleId, log);
        } else if (plan instanceof HttpAction http) {
            return d -> http(context, http, d.row());
        } else if (plan instanceof KafkaAction kafka) {
            return camelSink(context, kafkaUri(kafka), (exchange, row) -> {
                exchange.getMessage().setBody(Json.write(row));
                if (kafka.key() != null) {
                    exchange.getMessage().setHeader("kafka.KEY", kafka.key().render(row, ActionPlan::text));
                }
            });
        } else if (plan instanceof MqttAction mqtt) {
            return camelSink(context, pahoUri(ruleId, mqtt), (exchange, row) -> {
                exchange.getMessage().setBody(Json.write(row).getBytes(StandardCharsets.UTF_8));
                exchange.getMessage().setHeader("CamelPahoOverrideTopic", mqtt.topicOf(row));
            });
        } else if (plan instanceof JdbcAction jdbc) {
            return new JdbcSink(ruleId, jdbc, () -> context.connect(jdbc.database()));
        } else {
            return d -> device(context, (DeviceAction) plan, d.row());
        }
    }

    private static RuleSink logSink(String ruleId, LogAction plan) {
        Logger log = LoggerFactory.getLogger("io.thingport.rules." + ruleId);
        return d -> {
            String json = Json.write(d.row());
            switch (plan.level()) {
                case "debug" -> log.debug("{}: {}", plan.label(), json);
                case "warn" -> log.warn("{}: {}", plan.label(), json);
                default -> log.info("{}: {}", plan.label(), json);
            }
            return CompletableFuture.completedFuture(null);
        };
    }

    static CompletionStage<Void> http(SinkContext context, HttpAction plan, Map<String, Object> row) {
        boolean sendsBody = !("GET".equals(plan.method()) || "DELETE".equals(plan.method()));
        String body = sendsBody ? plan.bodyOf(row) : "";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(plan.url().render(row, HttpUrls::encode)))
                .timeout(Duration.ofMillis(plan.timeoutMs()))
                .method(plan.method(), sendsBody ? HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)
                        : HttpRequest.BodyPublishers.noBody());
        boolean contentType = false;
        for (Map.Entry<String, Template> h : plan.headers().entrySet()) {
            request.header(h.getKey(), h.getValue().render(row, ActionPlan::text).replaceAll("\\p{Cntrl}", " "));
            contentType |= h.getKey().equalsIgnoreCase("Content-Type");
        }
        if (!contentType && sendsBody) {
            request.header("Content-Type", "application/json");
        }
        if (plan.signing() != null) {
            // over exactly the bytes sent (none for GET and DELETE)
            String timestamp = Long.toString(System.currentTimeMillis());
            request.header("X-Thingport-Timestamp", timestamp);
            request.header("X-Thingport-Signature", "sha256=" + sign(plan.signing().setting("secret"), timestamp + "." + body));
        }
        // The stage completes with the status line and headers: a body that never ends must not hold the row.
        return context.http().sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream()).thenAccept(response -> {
            try {
                response.body().close();
            } catch (IOException e) {
                LoggerFactory.getLogger(Sinks.class).debug("Closing a webhook's answer failed", e);
            }
            if (response.statusCode() / 100 != 2) {
                int status = response.statusCode();
                // a 4xx answer is the same on every attempt, except for a timeout (408) and too many requests (429)
                boolean permanent = status / 100 == 4 && status != 408 && status != 429;
                throw new CompletionException(new RuleActionException("HTTP " + status + " from " + plan.method() + " "
                        + response.uri().getScheme() + "://" + response.uri().getAuthority() + response.uri().getPath(), permanent));
            }
        });
    }

    /** HMAC-SHA256 of {@code text} under {@code secret}, lower-case hex: what a webhook receiver recomputes. */
    public static String sign(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    static String kafkaUri(KafkaAction plan) {
        return "kafka:" + plan.topic() + "?brokers=RAW(" + plan.cluster().setting("brokers") + ")&requestRequiredAcks=" + plan.acks()
                + "&maxBlockMs=5000&requestTimeoutMs=5000&deliveryTimeoutMs=10000&lingerMs=0&retries=0"
                // the client logs each failed reconnect at WARN: while a cluster is down, once in 10 s at most
                + "&reconnectBackoffMaxMs=10000";
    }

    static String pahoUri(String ruleId, MqttAction plan) {
        DataSourceSpec broker = plan.broker();
        StringBuilder uri = new StringBuilder("paho:thingport?brokerUrl=RAW(").append(broker.setting("url")).append(")&qos=")
                .append(plan.qos()).append("&retained=").append(plan.retained()).append("&clientId=thingport-rule-").append(ruleId)
                .append('-').append(plan.label().replaceAll("[^A-Za-z0-9]", ""));
        if (broker.setting("user") != null) {
            uri.append("&userName=RAW(").append(broker.setting("user")).append(')');
        }
        if (broker.setting("password") != null) {
            uri.append("&password=RAW(").append(broker.setting("password")).append(')');
        }
        return uri.toString();
    }

    interface Fill {
        void fill(Exchange exchange, Map<String, Object> row);
    }

    private static RuleSink camelSink(SinkContext context, String uri, Fill fill) {
        Endpoint endpoint = context.camel().getEndpoint(uri);
        AsyncProducer producer;
        try {
            producer = endpoint.createAsyncProducer();
            ServiceHelper.startService(producer);
        } catch (Exception e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot start the action's producer: " + e.getMessage(), e);
        }
        return new RuleSink() {
            @Override
            public CompletionStage<Void> send(Delivery delivery) {
                Exchange exchange = endpoint.createExchange();
                fill.fill(exchange, delivery.row());
                return producer.processAsync(exchange).thenAccept(done -> {
                    if (done.getException() != null) {
                        throw new CompletionException(done.getException());
                    }
                });
            }

            @Override
            public void close() {
                ServiceHelper.stopAndShutdownService(producer);
                try {
                    context.camel().removeEndpoint(endpoint);
                } catch (Exception e) {
                    LoggerFactory.getLogger(Sinks.class).debug("Removing endpoint {} failed", endpoint, e);
                }
            }
        };
    }

    static CompletionStage<Void> device(SinkContext context, DeviceAction plan, Map<String, Object> row) {
        String deviceId = plan.deviceId().render(row, ActionPlan::text);
        MessageHeader header = MessageHeader.of(context.sender().newMessageId(), null, deviceId, System.currentTimeMillis());
        DeviceCommand command = "invoke".equals(plan.command())
                ? new InvokeFunction(header, plan.function(), plan.valuesOf(row))
                : new WriteProperties(header, plan.valuesOf(row));
        return context.sender().send(command, Duration.ofMillis(plan.timeoutMs())).thenAccept(reply -> {
            if (!replySucceeded(reply)) {
                String answer = Json.write(MessageFields.payload(reply));
                throw new CompletionException(new RuleActionException("device " + deviceId + " replied " + answer));
            }
        });
    }

    private static boolean replySucceeded(DeviceMessage reply) {
        Object success = MessageFields.payload(reply).get("success");
        return !Boolean.FALSE.equals(success);
    }
}
