-- The jobs table is a queue: every job is inserted, claimed (its lease columns updated) and deleted
-- within seconds. Room left on each page lets a claim's update stay on its page as a heap-only tuple
-- (HOT: no lease column is indexed), so the claim writes no index entry. Without it every claim put a
-- new entry into jobs_due at the front of the index, which kept that index page changing, and
-- PostgreSQL never marked the dead entries there as dead: each claim then visited every job
-- completed since the last vacuum (thousands of heap pages a claim on a busy queue; issue 13).
ALTER TABLE ${table_prefix}jobs SET (fillfactor = 50);

-- An attempt's outcome rewrites an event's status and event_data, neither of them indexed: room on
-- the page makes that update heap-only too, instead of four new index entries per attempt.
ALTER TABLE ${table_prefix}events SET (fillfactor = 80);
