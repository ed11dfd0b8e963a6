-- Issue 13: the rule engine. A rule's current definition (JSON of io.thingport.api.rule.RuleDefinition), every version it
-- had (rule_version: iot:rule-history / iot:rule-rollback), the rows its actions gave up on (rule_failed: replayed or
-- discarded by an operator; bounded by rules.failedStore.maxRows) and the named data sources actions connect through.
CREATE TABLE rule_definition (
    id         VARCHAR(64)      NOT NULL PRIMARY KEY,
    version    INT              NOT NULL,
    enabled    BOOLEAN          NOT NULL,
    definition VARCHAR(1000000) NOT NULL,
    updated_at BIGINT           NOT NULL
);
CREATE TABLE rule_version (
    rule_id    VARCHAR(64)      NOT NULL,
    version    INT              NOT NULL,
    change_kind VARCHAR(32)     NOT NULL,
    definition VARCHAR(1000000) NOT NULL,
    changed_at BIGINT           NOT NULL,
    PRIMARY KEY (rule_id, version)
);
CREATE TABLE rule_failed (
    id         BIGINT           NOT NULL PRIMARY KEY,
    rule_id    VARCHAR(64)      NOT NULL,
    action     VARCHAR(64)      NOT NULL,
    device_id  VARCHAR(64),
    error      VARCHAR(2000)    NOT NULL,
    payload    VARCHAR(1000000) NOT NULL,
    attempts   INT              NOT NULL,
    failed_at  BIGINT           NOT NULL
);
CREATE INDEX rule_failed_rule ON rule_failed (rule_id, id);
CREATE TABLE rule_datasource (
    name       VARCHAR(64)      NOT NULL PRIMARY KEY,
    type       VARCHAR(16)      NOT NULL,
    settings   VARCHAR(100000)  NOT NULL,
    created_at BIGINT           NOT NULL
);
INSERT INTO id_block (name, next_id) VALUES ('rule_failed', 1);
