-- The audit chain is keyed with a secret kept outside the database. This row names the key the chain was
-- sealed with (its public id, not the key), so that a server started with another key refuses to write.
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    key_id TEXT NOT NULL,
    sealed_at {{timestamp}} NOT NULL,
    legacy_events BIGINT NOT NULL
);
