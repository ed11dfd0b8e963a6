-- Issue 14: who may reach the platform from outside and what they did. api_application holds the applications that
-- sign Open API requests (their secret sealed with AES-256-GCM under etc/thingport-access.key, never in clear),
-- access_log every API call and shell command, system_log what the platform itself did. Both logs take their ids from
-- id_block (IdBlocks) and are kept within their retention (accessLog.* and systemLog.* in io.thingport.storage).
-- Reads are newest first: the (id DESC) indexes serve them and the retention's look-up beyond the row limit on H2,
-- which cannot walk its primary key backwards.
CREATE TABLE api_application (
    id              VARCHAR(64)    NOT NULL PRIMARY KEY,
    name            VARCHAR(64)    NOT NULL,
    role            VARCHAR(16)    NOT NULL,
    products        VARCHAR(66000) NOT NULL,
    allowed_sources VARCHAR(10000) NOT NULL,
    expires_at      BIGINT,
    created_at      BIGINT         NOT NULL,
    rotated_at      BIGINT         NOT NULL,
    revoked         BOOLEAN        NOT NULL,
    sealed_secret   VARCHAR(200)   NOT NULL
);
CREATE TABLE access_log (
    id          BIGINT        NOT NULL PRIMARY KEY,
    ts          BIGINT        NOT NULL,
    channel     VARCHAR(16)   NOT NULL,
    principal   VARCHAR(128)  NOT NULL,
    kind        VARCHAR(16)   NOT NULL,
    action      VARCHAR(1000) NOT NULL,
    source      VARCHAR(64)   NOT NULL,
    status      INT           NOT NULL,
    result      VARCHAR(64)   NOT NULL,
    duration_ms BIGINT        NOT NULL
);
CREATE INDEX access_log_newest ON access_log (id DESC);
CREATE INDEX access_log_ts ON access_log (ts);
CREATE INDEX access_log_principal ON access_log (principal, id DESC);
CREATE TABLE system_log (
    id       BIGINT        NOT NULL PRIMARY KEY,
    ts       BIGINT        NOT NULL,
    level    VARCHAR(8)    NOT NULL,
    category VARCHAR(32)   NOT NULL,
    source   VARCHAR(200)  NOT NULL,
    message  VARCHAR(2000) NOT NULL
);
CREATE INDEX system_log_newest ON system_log (id DESC);
CREATE INDEX system_log_ts ON system_log (ts);
CREATE INDEX system_log_source ON system_log (source, id DESC);
INSERT INTO id_block (name, next_id) VALUES ('access_log', 1);
INSERT INTO id_block (name, next_id) VALUES ('system_log', 1)
