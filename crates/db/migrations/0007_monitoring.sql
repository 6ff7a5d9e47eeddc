-- Resolution monitoring (issue 6): the register of documents, plans with targets and tasks, assignments
-- to organisations, progress updates with evidence, attachments, in-app notifications and the reminder
-- ledger.

-- Files, content-addressed: the bytes live in the file store under their SHA-256; one row per content.
CREATE TABLE attachments (
    id {{id}},
    sha256 TEXT NOT NULL UNIQUE,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    original_name TEXT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL
);

-- Văn bản: legal and Party documents.
CREATE TABLE legal_documents (
    id {{id}},
    system TEXT NOT NULL CHECK (system IN ('state', 'party')),
    doc_type TEXT NOT NULL,
    number BIGINT NOT NULL,
    year BIGINT,
    -- The year numbering restarts in (state documents): the symbol's year, else the issue date's year.
    identity_year BIGINT,
    party_term TEXT,
    symbol TEXT NOT NULL,
    issuer_code TEXT NOT NULL,
    unit_code TEXT,
    issuer_org_id BIGINT REFERENCES organizations (id),
    issued_on {{date}},
    effective_on {{date}},
    signer TEXT,
    summary TEXT NOT NULL,
    summary_folded TEXT NOT NULL,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
-- Uniqueness (DESIGN.md §4): (issuer, type, number, year) for state documents, (issuer, type, number, term)
-- for Party ones. The issuer is the organisation when known (every People's Committee signs "UBND"), and
-- its code otherwise.
CREATE UNIQUE INDEX legal_documents_identity ON legal_documents
    (system, COALESCE(issuer_org_id, 0), issuer_code, doc_type, number, COALESCE(identity_year, 0),
     COALESCE(party_term, ''));
CREATE INDEX legal_documents_issued ON legal_documents (issued_on);

CREATE TABLE document_relations (
    id {{id}},
    from_id BIGINT NOT NULL REFERENCES legal_documents (id) ON DELETE CASCADE,
    to_id BIGINT NOT NULL REFERENCES legal_documents (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('implements', 'amends', 'replaces')),
    UNIQUE (from_id, to_id, kind)
);

CREATE TABLE document_attachments (
    document_id BIGINT NOT NULL REFERENCES legal_documents (id) ON DELETE CASCADE,
    attachment_id BIGINT NOT NULL REFERENCES attachments (id),
    PRIMARY KEY (document_id, attachment_id)
);

-- Nghị quyết → chương trình → kế hoạch chains.
CREATE TABLE plans (
    id {{id}},
    kind TEXT NOT NULL CHECK (kind IN ('resolution', 'programme', 'plan')),
    title TEXT NOT NULL,
    title_folded TEXT NOT NULL,
    document_id BIGINT REFERENCES legal_documents (id),
    parent_id BIGINT REFERENCES plans (id),
    owner_org_id BIGINT REFERENCES organizations (id),
    period_start {{date}},
    period_end {{date}},
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX plans_parent ON plans (parent_id);

-- Chỉ tiêu: a target of a plan.
CREATE TABLE targets (
    id {{id}},
    plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    baseline_value DOUBLE PRECISION,
    baseline_year BIGINT,
    target_value DOUBLE PRECISION NOT NULL,
    target_year BIGINT NOT NULL,
    higher_is_better BOOLEAN NOT NULL DEFAULT TRUE,
    sort_order BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX targets_plan ON targets (plan_id);

-- Observed values of a target over time.
CREATE TABLE target_values (
    id {{id}},
    target_id BIGINT NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    source TEXT,
    recorded_at {{timestamp}} NOT NULL,
    UNIQUE (target_id, year)
);

-- Nhiệm vụ, giải pháp: a tree under a plan.
CREATE TABLE tasks (
    id {{id}},
    plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES tasks (id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    title_folded TEXT NOT NULL,
    expected_product TEXT,
    weight DOUBLE PRECISION NOT NULL DEFAULT 1,
    sort_order BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX tasks_plan ON tasks (plan_id);

-- A task assigned to a lead organisation, with a deadline. The derived status is computed from the
-- deadline and the accepted completion; the columns below the divider are kept up to date from the
-- updates so that dashboards need no join.
CREATE TABLE assignments (
    id {{id}},
    task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    lead_org_id BIGINT NOT NULL REFERENCES organizations (id),
    deadline_kind TEXT NOT NULL CHECK (deadline_kind IN ('fixed', 'yearly', 'continuous', 'period')),
    due_on {{date}},
    period_start {{date}},
    yearly_month BIGINT,
    yearly_day BIGINT,
    priority TEXT NOT NULL CHECK (priority IN ('high', 'normal', 'low')),
    assigned_on {{date}} NOT NULL,
    assigned_by BIGINT REFERENCES users (id),
    source_document_id BIGINT REFERENCES legal_documents (id),
    origin TEXT,
    note TEXT,
    flagged_at_risk BOOLEAN NOT NULL DEFAULT FALSE,
    blocked BOOLEAN NOT NULL DEFAULT FALSE,
    blocked_reason TEXT,
    cancelled BOOLEAN NOT NULL DEFAULT FALSE,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    -- Kept from the accepted updates:
    completed_on {{date}},
    percent BIGINT NOT NULL DEFAULT 0,
    has_updates BOOLEAN NOT NULL DEFAULT FALSE,
    last_update_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX assignments_task ON assignments (task_id);
CREATE INDEX assignments_lead ON assignments (lead_org_id);
CREATE INDEX assignments_open_due ON assignments (completed_on, due_on);

CREATE TABLE assignment_coordinators (
    assignment_id BIGINT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (assignment_id, org_id)
);
CREATE INDEX assignment_coordinators_org ON assignment_coordinators (org_id);

-- Báo cáo tiến độ: a progress update by the assigned unit.
CREATE TABLE progress_updates (
    id {{id}},
    assignment_id BIGINT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    author_id BIGINT REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'accepted', 'returned')),
    narrative TEXT NOT NULL,
    percent BIGINT NOT NULL CHECK (percent BETWEEN 0 AND 100),
    difficulties TEXT,
    recommendations TEXT,
    links TEXT,
    completion_claimed_on {{date}},
    submitted_at {{timestamp}},
    decided_at {{timestamp}},
    decided_by BIGINT REFERENCES users (id),
    decision_comment TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX progress_updates_assignment ON progress_updates (assignment_id, id);
CREATE INDEX progress_updates_status ON progress_updates (status);

CREATE TABLE update_evidence (
    update_id BIGINT NOT NULL REFERENCES progress_updates (id) ON DELETE CASCADE,
    attachment_id BIGINT NOT NULL REFERENCES attachments (id),
    PRIMARY KEY (update_id, attachment_id)
);

-- In-app notifications, per user.
CREATE TABLE notifications (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    created_at {{timestamp}} NOT NULL,
    read_at {{timestamp}}
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);

-- One row per reminder sent, so that a reminder is sent once whatever the number of instances.
CREATE TABLE reminders_sent (
    assignment_id BIGINT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    due_on {{date}} NOT NULL,
    sent_at {{timestamp}} NOT NULL,
    PRIMARY KEY (assignment_id, kind, due_on)
);
