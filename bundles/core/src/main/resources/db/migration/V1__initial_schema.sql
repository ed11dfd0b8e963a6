CREATE TABLE product (
    id                   VARCHAR(64)  PRIMARY KEY,
    name                 VARCHAR(200) NOT NULL,
    description          VARCHAR(1000) NOT NULL,
    secret               VARCHAR(128) NOT NULL,
    dynamic_registration BOOLEAN      NOT NULL,
    thing_model          VARCHAR(1000000) NOT NULL,
    created_at           BIGINT       NOT NULL
);

CREATE TABLE device (
    id           VARCHAR(64)  PRIMARY KEY,
    product_id   VARCHAR(64)  NOT NULL REFERENCES product (id),
    name         VARCHAR(200) NOT NULL,
    secret       VARCHAR(128) NOT NULL,
    enabled      BOOLEAN      NOT NULL,
    created_at   BIGINT       NOT NULL,
    online       BOOLEAN      NOT NULL,
    first_online BIGINT,
    online_count BIGINT       NOT NULL,
    last_online  BIGINT,
    last_offline BIGINT,
    node         VARCHAR(64)
);
CREATE INDEX device_product ON device (product_id);

-- Every stored property value; the latest value of a property is its newest row here (by device timestamp).
CREATE TABLE property_history (
    device_id  VARCHAR(64) NOT NULL,
    property   VARCHAR(64) NOT NULL,
    ts         BIGINT      NOT NULL,
    value_json VARCHAR(1000000) NOT NULL
);
CREATE INDEX property_history_device ON property_history (device_id, property, ts);

CREATE TABLE device_log (
    id           BIGINT       PRIMARY KEY,
    ts           BIGINT       NOT NULL,
    device_id    VARCHAR(64)  NOT NULL,
    product_id   VARCHAR(64),
    type         VARCHAR(20)  NOT NULL,
    message_type VARCHAR(64)  NOT NULL,
    message_id   VARCHAR(64)  NOT NULL,
    topic        VARCHAR(512) NOT NULL,
    raw          VARCHAR(1000000) NOT NULL,
    decoded      VARCHAR(1000000) NOT NULL,
    detail       VARCHAR(2000) NOT NULL
);
CREATE INDEX device_log_device ON device_log (device_id, id);
