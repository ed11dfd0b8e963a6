package io.thingport.core.internal.rules;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.TopicFilters;
import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogService;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.LogType;
import io.thingport.api.model.ThingModel;
import io.thingport.api.rule.ActionSpec;
import io.thingport.api.rule.DataSourceInfo;
import io.thingport.api.rule.DryRunResult;
import io.thingport.api.rule.FailedMessage;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleMetrics;
import io.thingport.api.rule.RuleVersion;
import io.thingport.core.internal.access.SystemEvents;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.rules.sql.RuleEvalException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule engine's decisions and bookkeeping, without OSGi: every change is checked completely ({@link CompiledRule})
 * before it is stored, stored before it runs, and runs alone (one {@link RuleRuntime} per rule). {@code RuleServiceImpl}
 * wires it to the platform. Each change of a rule, and a rule that cannot start, is written to the system log (category
 * {@code rule}).
 */
public final class RuleEngine {
    private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);
    static final int MAX_DRY_RUN = 100;
    static final int MAX_LIST = 1_000;
    /** Rules at most: each running one holds threads and connections. */
    static final int MAX_RULES = 500;

    /** What the engine looks up in the platform. */
    public interface Platform {
        Optional<ThingModel> productModel(String productId);

        Optional<ThingModel> deviceModel(String deviceId);

        /** The device's newest log entries, newest first. */
        List<DeviceLogEntry> recentLog(String deviceId, int limit);
    }

    private final RuleStore store;
    private final FailedStore failed;
    private final Platform platform;
    private final RuleRuntime.Environment environment;
    private final LongSupplier clock;
    private final SystemLogService systemLog;
    private final Map<String, RuleRuntime> running = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();

    RuleEngine(RuleStore store, FailedStore failed, Platform platform, RuleRuntime.Environment environment, LongSupplier clock,
               SystemLogService systemLog) {
        this.store = store;
        this.systemLog = systemLog;
        this.failed = failed;
        this.platform = platform;
        this.environment = environment;
        this.clock = clock;
    }

    /** Starts every enabled stored rule; one that cannot start is reported in its state, the others run. */
    synchronized void startAll() {
        for (RuleStore.Stored s : store.all()) {
            if (s.definition().enabled()) {
                run(s.definition());
            }
        }
    }

    synchronized void stopAll() {
        running.values().forEach(RuleRuntime::close);
        running.clear();
    }

    private CompiledRule compile(RuleDefinition rule) {
        Map<String, DataSourceSpec> sources = new LinkedHashMap<>();
        store.dataSources().forEach(d -> sources.put(d.name(), d));
        return CompiledRule.compile(rule, platform::productModel, new ActionPlan.Lookups() {
            @Override
            public Optional<DataSourceSpec> dataSource(String name) {
                return Optional.ofNullable(sources.get(name));
            }

            @Override
            public Optional<ThingModel> deviceModel(String deviceId) {
                return platform.deviceModel(deviceId);
            }
        });
    }

    private void run(RuleDefinition rule) {
        failures.remove(rule.id());
        try {
            running.put(rule.id(), RuleRuntime.start(compile(rule), environment));
        } catch (ThingportException | IllegalStateException e) {
            failures.put(rule.id(), e.getMessage());
            LOG.warn("Rule {} does not run: {}", rule.id(), e.getMessage());
            systemLog.record(SystemEvent.ERROR, SystemEvents.RULE, rule.id(), "rule failed to start: " + e.getMessage());
        }
    }

    private void stop(String id) {
        RuleRuntime r = running.remove(id);
        if (r != null) {
            r.close();
        }
        failures.remove(id);
    }

    private RuleInfo info(RuleStore.Stored s) {
        String id = s.definition().id();
        String state = running.containsKey(id) ? "running" : failures.containsKey(id) ? "failed: " + failures.get(id)
                : s.definition().enabled() ? "stopped" : "disabled";
        return new RuleInfo(s.definition(), s.version(), s.updatedAt(), state);
    }

    private RuleStore.Stored stored(String id) {
        return store.get(id).orElseThrow(() -> ThingportException.notFound("rule", id));
    }

    public synchronized RuleInfo create(RuleDefinition rule) {
        compile(rule);
        if (store.get(rule.id()).isEmpty() && store.all().size() >= MAX_RULES) {
            throw ThingportException.invalidArgument("the platform holds " + MAX_RULES + " rules, its maximum: delete one first");
        }
        RuleStore.Stored s = store.save(rule, 0, "created", clock.getAsLong());
        changed(rule.id(), "created", s.version());
        if (rule.enabled()) {
            run(rule);
        }
        return info(s);
    }

    public synchronized RuleInfo update(RuleDefinition rule, Integer expectedVersion, String change) {
        RuleStore.Stored current = stored(rule.id());
        if (expectedVersion != null && expectedVersion != current.version()) {
            throw new ThingportException(ErrorCode.CONFLICT, "rule " + rule.id() + " is at version " + current.version() + ", not "
                    + expectedVersion);
        }
        compile(rule);
        RuleStore.Stored s = store.save(rule, current.version(), change, clock.getAsLong());
        changed(rule.id(), change, s.version());
        stop(rule.id());
        if (rule.enabled()) {
            run(rule);
        }
        return info(s);
    }

    public synchronized RuleInfo setEnabled(String id, boolean enabled) {
        RuleStore.Stored current = stored(id);
        if (current.definition().enabled() == enabled && (running.containsKey(id) || !enabled)) {
            return info(current);
        }
        return update(current.definition().withEnabled(enabled), current.version(), enabled ? "enabled" : "disabled");
    }

    public synchronized void delete(String id) {
        stored(id);
        stop(id);
        store.delete(id);
        systemLog.record(SystemEvent.INFO, SystemEvents.RULE, id, "rule deleted");
    }

    private void changed(String id, String change, int version) {
        systemLog.record(SystemEvent.INFO, SystemEvents.RULE, id, "rule " + change + " (version " + version + ")");
    }

    public synchronized List<RuleInfo> list() {
        return store.all().stream().map(this::info).toList();
    }

    public synchronized Optional<RuleInfo> get(String id) {
        return store.get(id).map(this::info);
    }

    public List<RuleVersion> history(String id) {
        stored(id);
        return store.history(id);
    }

    public synchronized RuleInfo rollback(String id, int version) {
        RuleVersion target = store.history(id).stream().filter(v -> v.version() == version).findFirst()
                .orElseThrow(() -> ThingportException.notFound("version " + version + " of rule", id));
        return update(target.definition(), null, "rollback to " + version);
    }

    public synchronized String exportJson(List<String> ids) {
        List<RuleDefinition> rules = new ArrayList<>();
        if (ids == null || ids.isEmpty()) {
            store.all().forEach(s -> rules.add(s.definition()));
        } else {
            ids.forEach(id -> rules.add(stored(id).definition()));
        }
        return RuleJson.writeAll(rules);
    }

    /** All or none: every rule is checked before any is stored. */
    public synchronized List<RuleInfo> importJson(String json) {
        List<RuleDefinition> rules = RuleJson.readAll(json);
        Set<String> seen = new HashSet<>();
        for (RuleDefinition r : rules) {
            if (!seen.add(r.id())) {
                throw ThingportException.invalidArgument("the import document holds rule " + r.id() + " twice");
            }
            compile(r);
        }
        List<RuleInfo> out = new ArrayList<>();
        for (RuleDefinition r : rules) {
            out.add(store.get(r.id()).isPresent() ? update(r, null, "imported") : create(r));
        }
        return out;
    }

    public DryRunResult test(RuleDefinition rule, String messageJson) {
        CompiledRule compiled = compile(rule);
        Object parsed = Json.toJavaChecked(messageJson, "the sample message");
        if (!(parsed instanceof Map<?, ?> map)) {
            throw ThingportException.invalidArgument("the sample message must be a JSON object of the message's fields (topic, payload)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = SampleMessages.complete((Map<String, Object>) map, clock.getAsLong());
        return dryRun(compiled, fields);
    }

    public List<DryRunResult> testStored(RuleDefinition rule, String deviceId, int count) {
        if (count < 1 || count > MAX_DRY_RUN) {
            throw ThingportException.invalidArgument("the number of stored messages must be between 1 and " + MAX_DRY_RUN);
        }
        CompiledRule compiled = compile(rule);
        if (platform.deviceModel(deviceId).isEmpty()) {
            throw ThingportException.notFound("device", deviceId);
        }
        List<DryRunResult> out = new ArrayList<>();
        for (DeviceLogEntry e : platform.recentLog(deviceId, Math.min(1_000, count * 10))) {
            if (e.type() == LogType.UPLINK && !e.truncated() && out.size() < count) {
                SampleMessages.fromLog(e).ifPresent(fields -> out.add(dryRun(compiled, fields)));
            }
        }
        return out;
    }

    private static DryRunResult dryRun(CompiledRule rule, Map<String, Object> fields) {
        String topic = String.valueOf(fields.get("topic"));
        String busTopic = MessageFields.BUS_PREFIX + topic;
        boolean matched = rule.busFilters().stream().anyMatch(f -> TopicFilters.matches(f, busTopic));
        if (!matched) {
            return new DryRunResult(topic, false, null, null, List.of());
        }
        try {
            Optional<Map<String, Object>> row = rule.statement().apply(fields);
            if (row.isEmpty()) {
                return new DryRunResult(topic, true, null, null, List.of());
            }
            List<String> inputs = new ArrayList<>();
            rule.actions().forEach(a -> inputs.add(a.label() + ": " + a.describe(row.get())));
            return new DryRunResult(topic, true, row.get(), null, inputs);
        } catch (RuleEvalException e) {
            return new DryRunResult(topic, true, null, e.getMessage(), List.of());
        }
    }

    public synchronized RuleMetrics metrics(String id) {
        stored(id);
        RuleRuntime r = running.get(id);
        return r != null ? r.metrics() : new RuleMetrics(id, 0, 0, 0, 0, 0, 0, 0, List.of());
    }

    public List<FailedMessage> failed(String ruleId, int limit) {
        return failed.list(ruleId, Math.max(1, Math.min(limit, MAX_LIST)));
    }

    public Optional<FailedMessage> failedMessage(long id) {
        return failed.get(id);
    }

    /** Hands failed messages back to their running rules' actions, oldest first; those whose rule or action is gone stay. */
    public synchronized int replay(Long id, String ruleId) {
        List<FailedMessage> candidates = id != null
                ? failed.get(id).map(List::of).orElseThrow(() -> ThingportException.notFound("failed message", String.valueOf(id)))
                : failed.oldest(ruleId, MAX_LIST * 10);
        int handed = 0;
        List<String> refused = new ArrayList<>();
        for (FailedMessage f : candidates) {
            RuleRuntime r = running.get(f.ruleId());
            if (r != null && r.replay(f)) {
                handed++;
            } else if (refused.size() < 5) {
                refused.add(f.id() + " (" + (r == null ? "rule " + f.ruleId() + " is not running" : f.action()
                        + " is not an action of rule " + f.ruleId() + " any more, or its buffer is full") + ")");
            }
        }
        if (id != null && handed == 0) {
            throw new ThingportException(ErrorCode.CONFLICT, "failed message " + refused.get(0) + ": not replayed");
        }
        return handed;
    }

    public int discard(Long id, String ruleId) {
        return failed.discard(id, ruleId);
    }

    public synchronized DataSourceInfo addDataSource(String name, String type, Map<String, String> settings) {
        DataSourceSpec ds = DataSourceSpec.check(name, type, settings, clock.getAsLong());
        store.addDataSource(ds);
        return ds.info(List.of());
    }

    public synchronized List<DataSourceInfo> dataSources() {
        return store.dataSources().stream().map(d -> d.info(usedBy(d.name()))).toList();
    }

    public synchronized Optional<DataSourceInfo> dataSource(String name) {
        return store.dataSources().stream().filter(d -> d.name().equals(name)).findFirst().map(d -> d.info(usedBy(d.name())));
    }

    public synchronized void deleteDataSource(String name) {
        dataSource(name).orElseThrow(() -> ThingportException.notFound("data source", name));
        List<String> users = usedBy(name);
        if (!users.isEmpty()) {
            throw new ThingportException(ErrorCode.CONFLICT, "data source " + name + " is used by rule(s) " + String.join(", ", users));
        }
        store.deleteDataSource(name);
    }

    /** The stored rules (enabled or not) whose actions name the data source. */
    private List<String> usedBy(String name) {
        List<String> users = new ArrayList<>();
        for (RuleStore.Stored s : store.all()) {
            Function<ActionSpec, Boolean> uses = a -> name.equals(a.option("datasource"));
            if (s.definition().actions().stream().anyMatch(uses::apply) || s.definition().fallbacks().stream().anyMatch(uses::apply)) {
                users.add(s.definition().id());
            }
        }
        return users;
    }
}
