package io.thingport.core.internal.rules;

import io.thingport.api.message.DeviceMessage;
import io.thingport.api.rule.FailedMessage;
import io.thingport.api.rule.RuleMetrics;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.rules.sql.RuleEvalException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running rule: its Camel route {@code rule-<id>} (stream → statement → the actions' buffers), each action's
 * {@link DeliveryQueue} and sink, its counters (also over JMX). Rows an action gives up on go to the failed-message store
 * and to the fallback actions. Stopping it stops the route first; rows still buffered go to the failed-message store, so
 * an update or a disable loses nothing.
 */
final class RuleRuntime implements RuleStatsMBean {
    private static final Logger LOG = LoggerFactory.getLogger(RuleRuntime.class);
    static final int MAX_IN_FLIGHT = 16;
    static final int SEND_THREADS = 4;
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** What a running rule uses from the engine. */
    record Environment(CamelContext camel, SinkContext sinks, FailedStore failed, ScheduledExecutorService scheduler) {
    }

    private final class Running implements DeliveryQueue.Outcome {
        final ActionPlan plan;
        final boolean fallback;
        final RuleSink sink;
        final ThreadPoolExecutor sends;
        final DeliveryQueue queue;
        final ActionCounters counters;
        /** Failed messages handed back and not yet settled: a second replay does not send them again. */
        final Set<Long> replaying = ConcurrentHashMap.newKeySet();
        private long lastWarning;
        private long unreported;

        Running(ActionPlan plan, boolean fallback, RuleSink sink) {
            this.plan = plan;
            this.fallback = fallback;
            this.sink = sink;
            // its own threads: one action whose peer blocks (Kafka waiting for metadata) never holds up another
            this.sends = new ThreadPoolExecutor(SEND_THREADS, SEND_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "thingport-rule-" + id + "-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            sends.allowCoreThreadTimeOut(true);
            int inFlight = plan instanceof JdbcAction j ? Math.max(MAX_IN_FLIGHT, j.batch()) : MAX_IN_FLIGHT;
            this.queue = new DeliveryQueue(plan.buffer(), inFlight, plan.retry(), sink::send, this, env.scheduler(), sends,
                    plan.sendTimeoutMs());
            this.counters = new ActionCounters(plan.label(), queue::size);
        }

        void offer(Delivery d) {
            if (!queue.offer(d)) {
                counters.discarded.increment();
                store(d, queue.isClosed() ? "the rule stopped before this row was delivered"
                        : "the action's buffer is full (" + plan.buffer() + " rows): the peer is too slow or down", 0);
            }
        }

        @Override
        public void delivered(Delivery d, int attempts, long latencyNanos) {
            counters.success.increment();
            counters.latency.record(latencyNanos / 1_000);
            if (d.failedId() != null) {
                env.failed().delete(d.failedId());
                replaying.remove(d.failedId());
            }
        }

        @Override
        public void retrying(Delivery d, int attempts, Throwable error) {
            counters.retries.increment();
            LOG.debug("Rule {} {}: attempt {} failed, retrying: {}", id, plan.label(), attempts, describe(error));
        }

        @Override
        public void gaveUp(Delivery d, int attempts, Throwable error) {
            counters.failed.increment();
            warn(d, attempts, error);
            store(d, describe(error), attempts);
            if (d.failedId() != null) {
                replaying.remove(d.failedId());
            } else if (!fallback && !closing) {
                fallbacks.forEach(f -> f.offer(new Delivery(d.deviceId(), d.row())));
            }
        }

        /** One warning a minute per action at most, with the count of those not shown. */
        private synchronized void warn(Delivery d, int attempts, Throwable error) {
            long now = System.currentTimeMillis();
            if (now - lastWarning < 60_000) {
                unreported++;
                return;
            }
            String more = unreported == 0 ? "" : " (and " + unreported + " more rows since the last warning)";
            lastWarning = now;
            unreported = 0;
            LOG.warn("Rule {} {}: gave up on a row of device {} after {} attempts: {}{}", id, plan.label(), d.deviceId(), attempts,
                    clip(describe(error)), more);
        }

        void store(Delivery d, String error, int attempts) {
            if (d.failedId() != null) {
                env.failed().failedAgain(d.failedId(), error, attempts);
            } else {
                env.failed().add(id, plan.label(), d.deviceId(), error, Json.write(d.row()), attempts);
            }
        }

        boolean replay(FailedMessage f, Map<String, Object> row) {
            if (!replaying.add(f.id())) {
                return true; // already on its way
            }
            if (!queue.offer(new Delivery(f.deviceId(), row, f.id(), f.attempts()))) {
                replaying.remove(f.id());
                return false;
            }
            return true;
        }
    }

    private final CompiledRule rule;
    private final String id;
    private final Environment env;
    private volatile boolean closing;
    private final List<Running> actions = new ArrayList<>();
    private final List<Running> fallbacks = new ArrayList<>();
    private final LongAdder matched = new LongAdder();
    private final LongAdder passed = new LongAdder();
    private final LongAdder filtered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final RateWindow rate = new RateWindow(nowSeconds());
    private ObjectName mbean;
    private StreamConsumer consumer;

    private RuleRuntime(CompiledRule rule, Environment env) {
        this.rule = rule;
        this.id = rule.id();
        this.env = env;
    }

    static String routeId(String ruleId) {
        return "rule-" + ruleId;
    }

    /** Opens the actions and starts the route; on failure nothing stays open. */
    static RuleRuntime start(CompiledRule rule, Environment env) {
        RuleRuntime r = new RuleRuntime(rule, env);
        try {
            for (ActionPlan plan : rule.actions()) {
                r.actions.add(r.new Running(plan, false, Sinks.open(rule.id(), plan, env.sinks())));
            }
            for (ActionPlan plan : rule.fallbacks()) {
                r.fallbacks.add(r.new Running(plan, true, Sinks.open(rule.id(), plan, env.sinks())));
            }
            r.startRoute();
            r.registerMBean();
            return r;
        } catch (Exception | LinkageError e) {
            r.close();
            throw new IllegalStateException("rule " + rule.id() + " cannot start: " + describe(e), e);
        }
    }

    private void startRoute() throws Exception {
        String uri = StreamComponent.SCHEME + ":" + routeId(id) + "?filters=RAW(" + String.join(",", rule.busFilters()) + ")";
        StreamComponent stream = env.camel().getComponent(StreamComponent.SCHEME, StreamComponent.class);
        // The statement runs before an exchange exists: the route carries the selected rows only.
        StreamEndpoint endpoint = stream.gated(uri, rule.busFilters(), this::select);
        env.camel().addRoutes(new RouteBuilder(env.camel()) {
            @Override
            public void configure() {
                from(endpoint).routeId(routeId(id)).description("rule " + id + ": " + rule.definition().sql().replaceAll("\\s+", " "))
                        .process(RuleRuntime.this::dispatch);
            }
        });
        Route route = env.camel().getRoute(routeId(id));
        if (route != null && route.getConsumer() instanceof StreamConsumer c) {
            consumer = c;
        }
    }

    /** The statement on one message: the selected row, or null when it filtered the message out or failed on it. */
    private Map<String, Object> select(String topic, DeviceMessage message) {
        matched.increment();
        rate.add(nowSeconds());
        Optional<Map<String, Object>> row;
        try {
            row = rule.statement().apply(MessageFields.of(topic, message));
        } catch (RuleEvalException e) {
            failed.increment();
            LOG.debug("Rule {}: evaluation failed on {}: {}", id, topic, e.getMessage());
            return null;
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warn("Rule {}: evaluation failed on {}", id, topic, e);
            return null;
        }
        if (row.isEmpty()) {
            filtered.increment();
            return null;
        }
        return row.get();
    }

    /** The route's step: a selected row to every action's buffer. */
    private void dispatch(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = exchange.getMessage().getBody(Map.class);
        String deviceId = exchange.getMessage().getHeader(StreamComponent.DEVICE, String.class);
        passed.increment();
        for (Running a : actions) {
            a.offer(new Delivery(deviceId, row));
        }
    }

    /** Hands a failed message back to its action; false when the action is gone or its buffer is full. */
    boolean replay(FailedMessage f) {
        for (Running a : all()) {
            if (a.plan.label().equals(f.action())) {
                @SuppressWarnings("unchecked")
                Map<String, Object> row = (Map<String, Object>) Json.toJava(f.payload());
                return a.replay(f, new LinkedHashMap<>(row));
            }
        }
        return false;
    }

    private List<Running> all() {
        List<Running> all = new ArrayList<>(actions);
        all.addAll(fallbacks);
        return all;
    }

    RuleMetrics metrics() {
        long now = nowSeconds();
        return new RuleMetrics(id, matched.sum(), passed.sum(), filtered.sum(), failed.sum(), rate.now(now), rate.max(), rate.mean(now),
                all().stream().map(a -> a.counters.snapshot()).toList());
    }

    /** Stops the route, hands every row still buffered to the failed-message store and closes the actions. */
    void close() {
        closing = true;
        try {
            env.camel().getRouteController().stopRoute(routeId(id), 10, TimeUnit.SECONDS);
            env.camel().removeRoute(routeId(id));
        } catch (Exception e) {
            LOG.warn("Rule {}: stopping its route failed: {}", id, e.toString());
        }
        for (Running a : all()) {
            for (Delivery d : a.queue.close()) {
                if (d.failedId() == null) {
                    a.counters.failed.increment();
                    a.store(d, "the rule stopped before this row was delivered", d.attempts());
                }
            }
        }
        for (Running a : all()) {
            a.sends.shutdown();
            try {
                a.sends.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        all().forEach(a -> a.sink.close());
        unregisterMBean();
    }

    private void registerMBean() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            mbean = new ObjectName("io.thingport:type=Rule,name=" + id);
            if (server.isRegistered(mbean)) {
                server.unregisterMBean(mbean);
            }
            server.registerMBean(new StandardMBean(this, RuleStatsMBean.class), mbean);
        } catch (JMException e) {
            LOG.warn("Rule {}: its metrics are not on JMX: {}", id, e.toString());
            mbean = null;
        }
    }

    private void unregisterMBean() {
        if (mbean != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(mbean);
            } catch (JMException e) {
                LOG.debug("Rule {}: unregistering its MBean failed", id, e);
            }
        }
    }

    static String describe(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RuleActionException) {
            return t.getMessage();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    static String clip(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1_000;
    }

    @Override
    public long getMatched() {
        return matched.sum();
    }

    @Override
    public long getPassed() {
        return passed.sum();
    }

    @Override
    public long getFiltered() {
        return filtered.sum();
    }

    @Override
    public long getFailed() {
        return failed.sum();
    }

    @Override
    public double getRateNow() {
        return rate.now(nowSeconds());
    }

    @Override
    public double getRateMax() {
        return rate.max();
    }

    @Override
    public double getRate5m() {
        return rate.mean(nowSeconds());
    }

    @Override
    public long getActionSuccess() {
        return all().stream().mapToLong(a -> a.counters.success.sum()).sum();
    }

    @Override
    public long getActionFailed() {
        return all().stream().mapToLong(a -> a.counters.failed.sum()).sum();
    }

    @Override
    public long getActionDiscarded() {
        return all().stream().mapToLong(a -> a.counters.discarded.sum()).sum();
    }

    @Override
    public long getInFlight() {
        return all().stream().mapToLong(a -> a.queue.size()).sum();
    }

    @Override
    public long getLost() {
        return consumer == null ? 0 : consumer.lost();
    }
}
