-- The periodic reports of a task under contract (issue 17): progress reports while it runs and yearly
-- reports on the application of its results after acceptance, each on the reporting workflow (draft,
-- submitted, returned, approved). One per contract, kind and number: the `reports` table's key (form,
-- organisation, period) cannot hold two contracts of one host due on the same day.
CREATE TABLE st_task_reports (
    id {{id}},
    contract_id BIGINT NOT NULL REFERENCES st_contracts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('progress', 'application')),
    seq BIGINT NOT NULL CHECK (seq > 0),
    starts_on {{date}} NOT NULL,
    ends_on {{date}} NOT NULL,
    due_on {{date}} NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
    version BIGINT NOT NULL DEFAULT 1,
    -- What it says, by field (JSON object of strings; money in whole đồng).
    body TEXT NOT NULL,
    -- The state budget it says was spent in its period (progress reports), kept for the sums.
    spent_state BIGINT NOT NULL DEFAULT 0 CHECK (spent_state >= 0),
    return_comment TEXT,
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    submitted_by BIGINT REFERENCES users (id),
    submitted_at {{timestamp}},
    decided_by BIGINT REFERENCES users (id),
    decided_at {{timestamp}},
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (contract_id, kind, seq)
);
CREATE INDEX st_task_reports_status ON st_task_reports (status, contract_id);

-- The reminders and escalations of a contract's deadlines sent (a milestone, a report, an instalment), once
-- each per due day and kind whatever the number of runs or instances.
CREATE TABLE st_contract_reminders_sent (
    contract_id BIGINT NOT NULL REFERENCES st_contracts (id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    due_on {{date}} NOT NULL,
    kind TEXT NOT NULL,
    sent_at {{timestamp}} NOT NULL,
    PRIMARY KEY (contract_id, item, due_on, kind)
);
