-- FIFO delivery (issue 14): a job of a config that delivers in order carries its lane, the ordering
-- key; the jobs of a config that delivers in parallel leave it NULL. A claim takes a job with a key
-- only when no job of its lane was queued before it (lower seq) and is still queued, which it looks
-- up in this index (H2 has no partial index: the jobs without a lane are in it too).
ALTER TABLE ${table_prefix}jobs ADD COLUMN ordering_key VARCHAR(255);
CREATE INDEX ${table_prefix}jobs_lane ON ${table_prefix}jobs (org_id, config_id, ordering_key, seq);
