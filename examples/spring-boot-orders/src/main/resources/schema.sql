-- The example's own table; the webhook tables are the starter's (hookengine_*), applied at start.
CREATE TABLE IF NOT EXISTS orders (
    id       VARCHAR(64)    PRIMARY KEY,
    org_id   VARCHAR(255)   NOT NULL,
    customer VARCHAR(255)   NOT NULL,
    total    NUMERIC(12, 2) NOT NULL
);
