-- Idempotency keys of publishes made with one (issue 14): a row per organization and key while the
-- key is taken, written in the same transaction as the publish's events. Its primary key is what
-- serializes two publishes with one key: the second insert waits for the first transaction and then
-- fails, and that publish reads the row instead.
-- fingerprint: a digest of the first event; result: the first publish's result as JSON text.
CREATE TABLE ${table_prefix}idempotency_keys (
    org_id          VARCHAR(255)    NOT NULL,
    idem_key        VARCHAR(255)    NOT NULL,
    fingerprint     VARCHAR(255)    NOT NULL,
    result          CLOB            NOT NULL,
    created_at      BIGINT          NOT NULL,
    expires_at      BIGINT          NOT NULL,
    CONSTRAINT ${table_prefix}idempotency_keys_pk PRIMARY KEY (org_id, idem_key)
);
-- the hourly purge of expired keys, across organizations, earliest expiry first
CREATE INDEX ${table_prefix}idempotency_keys_by_expiry ON ${table_prefix}idempotency_keys (expires_at);
