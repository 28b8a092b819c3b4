-- Rate permits (issue 14): per webhook config, a ring of slots, one per permit of a second, each
-- holding when it was last granted (epoch milliseconds; -9223372036854775808 for never). A permit is
-- granted by taking a slot granted at least a second ago; see JdbcRatePermits. Rows are created on a
-- config's first take and deleted with the config.
CREATE TABLE ${table_prefix}rate_permits (
    org_id          VARCHAR(255) COLLATE "C" NOT NULL,
    config_id       VARCHAR(255) COLLATE "C" NOT NULL,
    slot            INTEGER         NOT NULL,
    used_at         BIGINT          NOT NULL,
    CONSTRAINT ${table_prefix}rate_permits_pk PRIMARY KEY (org_id, config_id, slot)
);
-- Every grant rewrites used_at, which no index holds: room on the page keeps the update heap-only.
ALTER TABLE ${table_prefix}rate_permits SET (fillfactor = 50);
