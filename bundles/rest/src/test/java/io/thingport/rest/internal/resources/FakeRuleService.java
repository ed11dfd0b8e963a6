package io.thingport.rest.internal.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.rule.DataSourceInfo;
import io.thingport.api.rule.DryRunResult;
import io.thingport.api.rule.FailedMessage;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleMetrics;
import io.thingport.api.rule.RuleService;
import io.thingport.api.rule.RuleVersion;
import io.thingport.rest.internal.http.RestJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A rule engine in memory that remembers how it was called. */
class FakeRuleService implements RuleService {
    final Map<String, RuleInfo> rules = new TreeMap<>();
    final List<RuleVersion> versions = new ArrayList<>();
    final List<FailedMessage> failed = new ArrayList<>();
    final Map<String, DataSourceInfo> dataSources = new TreeMap<>();
    Integer lastExpectedVersion;
    String lastImport;
    String lastTestMessage;
    RuleDefinition lastTested;
    String lastReplay;
    String lastDiscard;
    /** Set to make the next update fail as a stale version would. */
    boolean staleOnUpdate;

    @Override
    public RuleInfo create(RuleDefinition rule) {
        if (rules.containsKey(rule.id())) {
            throw new ThingportException(ErrorCode.CONFLICT, "rule " + rule.id() + " exists");
        }
        return store(rule, 1, "created");
    }

    @Override
    public RuleInfo update(RuleDefinition rule, Integer expectedVersion) {
        RuleInfo current = stored(rule.id());
        lastExpectedVersion = expectedVersion;
        if (staleOnUpdate || expectedVersion != null && expectedVersion != current.version()) {
            throw new ThingportException(ErrorCode.CONFLICT, "rule " + rule.id() + " is at another version");
        }
        return store(rule, current.version() + 1, "updated");
    }

    @Override
    public RuleInfo setEnabled(String id, boolean enabled) {
        RuleInfo current = stored(id);
        return store(current.definition().withEnabled(enabled), current.version() + 1, enabled ? "enabled" : "disabled");
    }

    @Override
    public void delete(String id) {
        stored(id);
        rules.remove(id);
    }

    @Override
    public List<RuleInfo> list() {
        return List.copyOf(rules.values());
    }

    @Override
    public Optional<RuleInfo> get(String id) {
        return Optional.ofNullable(rules.get(id));
    }

    @Override
    public List<RuleVersion> history(String id) {
        stored(id);
        return versions.stream().filter(v -> v.ruleId().equals(id)).toList();
    }

    @Override
    public RuleInfo rollback(String id, int version) {
        RuleVersion v = history(id).stream().filter(x -> x.version() == version).findFirst()
                .orElseThrow(() -> ThingportException.notFound("version " + version + " of rule", id));
        return store(v.definition(), stored(id).version() + 1, "rollback to " + version);
    }

    @Override
    public String exportJson(List<String> ids) {
        List<RuleDefinition> out = new ArrayList<>();
        (ids.isEmpty() ? List.copyOf(rules.keySet()) : ids).forEach(id -> out.add(stored(id).definition()));
        try {
            return RestJson.MAPPER.writeValueAsString(Map.of("rules", out));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<RuleInfo> importJson(String json) {
        lastImport = json;
        List<RuleInfo> out = new ArrayList<>();
        try {
            for (JsonNode rule : RestJson.MAPPER.readTree(json).path("rules")) {
                RuleDefinition d = RestJson.MAPPER.treeToValue(rule, RuleDefinition.class);
                RuleInfo current = rules.get(d.id());
                out.add(store(d, current == null ? 1 : current.version() + 1, "imported"));
            }
        } catch (JsonProcessingException e) {
            throw ThingportException.invalidArgument("not an export document: " + e.getOriginalMessage());
        }
        return out;
    }

    @Override
    public DryRunResult test(RuleDefinition rule, String messageJson) {
        lastTested = rule;
        lastTestMessage = messageJson;
        return new DryRunResult("/p/d/properties/report", true, Map.of("temp", 31), null, List.of());
    }

    @Override
    public List<DryRunResult> testStored(RuleDefinition rule, String deviceId, int count) {
        lastTested = rule;
        lastTestMessage = deviceId + " x" + count;
        return List.of();
    }

    @Override
    public RuleMetrics metrics(String id) {
        stored(id);
        return new RuleMetrics(id, 1, 1, 0, 0, 0, 0, 0, List.of());
    }

    @Override
    public List<FailedMessage> failed(String ruleId, int limit) {
        return failed.stream().filter(f -> ruleId == null || f.ruleId().equals(ruleId)).limit(limit).toList();
    }

    @Override
    public Optional<FailedMessage> failedMessage(long id) {
        return failed.stream().filter(f -> f.id() == id).findFirst();
    }

    @Override
    public int replay(Long id, String ruleId) {
        lastReplay = id + "/" + ruleId;
        return (int) failed.stream().filter(f -> (id == null || f.id() == id) && (ruleId == null || f.ruleId().equals(ruleId)))
                .count();
    }

    @Override
    public int discard(Long id, String ruleId) {
        lastDiscard = id + "/" + ruleId;
        int before = failed.size();
        failed.removeIf(f -> (id == null || f.id() == id) && (ruleId == null || f.ruleId().equals(ruleId)));
        return before - failed.size();
    }

    @Override
    public DataSourceInfo addDataSource(String name, String type, Map<String, String> options) {
        DataSourceInfo d = new DataSourceInfo(name, type, RuleSecrets.masked(options), 1_000L, List.of());
        dataSources.put(name, d);
        return d;
    }

    @Override
    public List<DataSourceInfo> dataSources() {
        return List.copyOf(dataSources.values());
    }

    @Override
    public Optional<DataSourceInfo> dataSource(String name) {
        return Optional.ofNullable(dataSources.get(name));
    }

    @Override
    public void deleteDataSource(String name) {
        if (dataSources.remove(name) == null) {
            throw ThingportException.notFound("data source", name);
        }
    }

    private RuleInfo stored(String id) {
        RuleInfo r = rules.get(id);
        if (r == null) {
            throw ThingportException.notFound("rule", id);
        }
        return r;
    }

    private RuleInfo store(RuleDefinition rule, int version, String change) {
        RuleInfo r = new RuleInfo(rule, version, 1_000L * version, rule.enabled() ? "running" : "disabled");
        rules.put(rule.id(), r);
        versions.add(new RuleVersion(rule.id(), version, 1_000L * version, change, rule));
        return r;
    }
}
