package io.thingport.api.rule;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The rule engine. Every rule runs as its own Camel route ({@code rule-<id>}) in the platform's CamelContext; creating,
 * changing, enabling, disabling or deleting one never touches another. Every change is stored with a new version and kept
 * in the rule's history. Errors are {@link io.thingport.api.ThingportException}s: {@code INVALID_ARGUMENT} with the line and
 * column of a syntax error or the name of an unknown property, option or data source; {@code NOT_FOUND}; {@code CONFLICT}
 * (an id in use, a stale version).
 */
@ProviderType
public interface RuleService {
    RuleInfo create(RuleDefinition rule);

    /** Replaces a rule's definition; {@code expectedVersion} (when not null) must be the current version. */
    RuleInfo update(RuleDefinition rule, Integer expectedVersion);

    RuleInfo setEnabled(String id, boolean enabled);

    void delete(String id);

    List<RuleInfo> list();

    Optional<RuleInfo> get(String id);

    List<RuleVersion> history(String id);

    /** Makes an earlier version current again (as a new version). */
    RuleInfo rollback(String id, int version);

    /** The rules as a JSON document ({@code {"rules":[...]}}); all when {@code ids} is empty. */
    String exportJson(List<String> ids);

    /** Creates or updates every rule of an exported document, all or none: one bad rule refuses the whole import. */
    List<RuleInfo> importJson(String json);

    /** Evaluates a statement (and checks the actions) against one message given as JSON, sending nothing. */
    DryRunResult test(RuleDefinition rule, String messageJson);

    /** Evaluates a statement against the last {@code count} stored messages of a device, newest first, sending nothing. */
    List<DryRunResult> testStored(RuleDefinition rule, String deviceId, int count);

    RuleMetrics metrics(String id);

    /** Failed messages, newest first, optionally of one rule, at most {@code limit}. */
    List<FailedMessage> failed(String ruleId, int limit);

    Optional<FailedMessage> failedMessage(long id);

    /**
     * Sends failed messages to their action again (one by id, or all of a rule, or all when both are null), each once; a
     * message leaves the store when its action accepted it. Returns how many were handed back to their actions.
     */
    int replay(Long id, String ruleId);

    /** Deletes failed messages (one by id, all of a rule, or all). Returns how many. */
    int discard(Long id, String ruleId);

    DataSourceInfo addDataSource(String name, String type, Map<String, String> options);

    List<DataSourceInfo> dataSources();

    Optional<DataSourceInfo> dataSource(String name);

    /** Refused ({@code CONFLICT}) while a rule's action uses it. */
    void deleteDataSource(String name);
}
