-- Foundation: background jobs, the recurring-job ledger and site settings.

CREATE TABLE jobs (
    id {{id}},
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedup_key TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
    priority BIGINT NOT NULL DEFAULT 0,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    run_at {{timestamp}} NOT NULL,
    locked_by TEXT,
    lease_until {{timestamp}},
    last_error TEXT,
    created_at {{timestamp}} NOT NULL,
    finished_at {{timestamp}}
);

CREATE INDEX jobs_ready ON jobs (status, run_at);

-- At most one queued job per (kind, dedup_key): enqueueing the same work twice is a no-op.
CREATE UNIQUE INDEX jobs_dedup ON jobs (kind, dedup_key) WHERE status = 'queued';

-- One row per recurring job and time slot, so that several instances enqueue each slot once.
CREATE TABLE schedule_runs (
    name TEXT NOT NULL,
    slot {{timestamp}} NOT NULL,
    job_id BIGINT,
    PRIMARY KEY (name, slot)
);

-- Settings an administrator changes at run time (site name, footer, thresholds).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
