-- Config controls (issue 14): rate limit, ordering, pause and the engine's reason for disabling a
-- config, as JSON (not secret: no credential is in them), and the pause in a column of its own,
-- which the claims read so that no node hands out a paused config's job, whatever it has cached.
-- A paused config's queued jobs are parked (due_at far in the future) rather than skipped, so that
-- its backlog costs a claim nothing.
ALTER TABLE ${table_prefix}configs ADD COLUMN controls_data CLOB;
ALTER TABLE ${table_prefix}configs ADD COLUMN paused BOOLEAN DEFAULT FALSE NOT NULL;
