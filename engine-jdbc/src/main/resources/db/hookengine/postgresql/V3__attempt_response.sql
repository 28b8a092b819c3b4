-- Issue 14: an attempt keeps the start of the receiver's response body, at most 1,024 characters
-- (DeliveryAttempt.RESPONSE_EXCERPT_MAX_CHARS), NULL when no response was received. Rows written
-- before this script have NULL, as if no response had been kept.
ALTER TABLE ${table_prefix}attempts ADD COLUMN response_excerpt VARCHAR(1024);
