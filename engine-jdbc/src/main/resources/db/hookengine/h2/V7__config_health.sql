-- Config delivery health (issue 14, auto-disable): per webhook config in a failure streak, when the
-- streak's first failed attempt ended (epoch milliseconds; NULL once a success ended the streak) and
-- the failed attempts since. Written with the outcomes (DeliveryQueue.recordOutcomes), read by the
-- auto-disable sweep (ConfigStore.failingConfigs). A table of its own rather than columns of configs:
-- an outcome locks its job and then its health row, while a pause locks the config's row and then its
-- jobs; on one row the two orders could deadlock. Rows are created on a config's first failure, reset
-- when it is enabled again, and deleted with the config.
CREATE TABLE ${table_prefix}config_health (
    org_id          VARCHAR(255)    NOT NULL,
    config_id       VARCHAR(255)    NOT NULL,
    failing_since   BIGINT,
    failed_attempts INTEGER         DEFAULT 0 NOT NULL,
    CONSTRAINT ${table_prefix}config_health_pk PRIMARY KEY (org_id, config_id)
);
-- the sweep: streaks begun before a cutoff, longest first
CREATE INDEX ${table_prefix}config_health_failing ON ${table_prefix}config_health (failing_since);
-- Whether the config is enabled, beside its sealed JSON, so that the sweep passes over disabled configs
-- without opening them. NULL for a config not written since this script (its JSON says).
ALTER TABLE ${table_prefix}configs ADD COLUMN enabled BOOLEAN;
