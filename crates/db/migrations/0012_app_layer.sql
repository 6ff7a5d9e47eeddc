-- Audit summaries as a message key and its arguments, rendered in the reader's language (the `summary`
-- column keeps the Vietnamese text of the time, for the command line and for events written before).
ALTER TABLE audit_events ADD COLUMN summary_key TEXT;
ALTER TABLE audit_events ADD COLUMN summary_args TEXT;
