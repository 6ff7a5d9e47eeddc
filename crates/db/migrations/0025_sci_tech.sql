-- S&T tasks, part 1 (issue 16): calls, proposals and dossiers, the timeline of their transitions (each
-- with its decision document), and their files.

-- Đợt thông báo: a call for proposals (đề xuất đặt hàng), for selection of a listed task (tuyển chọn), an
-- invitation to one organisation (giao trực tiếp), a grant call (tài trợ) or a call for grassroots tasks.
CREATE TABLE st_calls (
    id {{id}},
    title TEXT NOT NULL,
    title_folded TEXT NOT NULL,
    year BIGINT NOT NULL,
    regime TEXT NOT NULL CHECK (regime IN ('2013', '2025')),
    route TEXT NOT NULL CHECK (route IN ('order', 'selection', 'direct', 'grant', 'grassroots')),
    -- The organisation that issues the call (the department).
    organizer_org_id BIGINT REFERENCES organizations (id),
    opens_at {{timestamp}} NOT NULL,
    -- The deadline, to the minute: a proposal sent at this instant or later is refused.
    closes_at {{timestamp}} NOT NULL,
    -- The fields it covers and the forms to fill, one per line.
    fields TEXT NOT NULL,
    eligibility TEXT NOT NULL,
    forms TEXT NOT NULL,
    description TEXT,
    -- The listed task a call for selection or an invitation answers (st_proposals.id, declared below).
    listed_id BIGINT,
    invited_org_id BIGINT REFERENCES organizations (id),
    published_at {{timestamp}},
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    CHECK (opens_at < closes_at)
);
CREATE INDEX st_calls_year ON st_calls (year, id);
CREATE INDEX st_calls_listed ON st_calls (listed_id);

-- A proposal (phiếu đề xuất) or a dossier (hồ sơ) answering a call, with the state of the machine it is in.
-- Products, the budget by source and the team are kept as JSON arrays: they are read and written with the
-- proposal, as one form.
CREATE TABLE st_proposals (
    id {{id}},
    call_id BIGINT NOT NULL REFERENCES st_calls (id),
    state TEXT NOT NULL,
    title TEXT NOT NULL,
    title_folded TEXT NOT NULL,
    field TEXT,
    urgency TEXT,
    objectives TEXT,
    content TEXT,
    products TEXT NOT NULL,
    duration_months BIGINT,
    budget_total BIGINT,
    budget TEXT NOT NULL,
    proposer_kind TEXT NOT NULL CHECK (proposer_kind IN ('organization', 'commune', 'enterprise', 'individual')),
    -- The proposing organisation; none for an individual's proposal (then its author owns it).
    proposer_org_id BIGINT REFERENCES organizations (id),
    proposer_name TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    host_name TEXT,
    pi_name TEXT,
    team TEXT NOT NULL,
    author_id BIGINT REFERENCES users (id),
    -- How a listed task is carried out, decided with the approved list.
    mode TEXT CHECK (mode IN ('selection', 'direct')),
    -- The listed task a dossier answers (from its call).
    listed_id BIGINT REFERENCES st_proposals (id),
    submitted_at {{timestamp}},
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX st_proposals_call ON st_proposals (call_id, state, id);
CREATE INDEX st_proposals_org ON st_proposals (proposer_org_id, id);
CREATE INDEX st_proposals_author ON st_proposals (author_id, id);
CREATE INDEX st_proposals_state ON st_proposals (state, id);
CREATE INDEX st_proposals_listed ON st_proposals (listed_id);

-- The timeline: every transition, who took it and when, its note, the screening reasons, and the decision
-- document it rests on (number and symbol, date, signer).
CREATE TABLE st_events (
    id {{id}},
    proposal_id BIGINT NOT NULL REFERENCES st_proposals (id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    at {{timestamp}} NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    actor_name TEXT NOT NULL,
    note TEXT,
    -- Screening reasons' codes, separated by spaces.
    reasons TEXT,
    decision_symbol TEXT,
    decision_date {{date}},
    decision_signer TEXT
);
CREATE INDEX st_events_proposal ON st_events (proposal_id, id);
CREATE INDEX st_events_action ON st_events (action, proposal_id);

-- Files of a proposal (its forms, annexes), or of one transition (the signed decision).
CREATE TABLE st_files (
    id {{id}},
    proposal_id BIGINT NOT NULL REFERENCES st_proposals (id) ON DELETE CASCADE,
    event_id BIGINT REFERENCES st_events (id) ON DELETE CASCADE,
    attachment_id BIGINT NOT NULL REFERENCES attachments (id),
    title TEXT,
    uploaded_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX st_files_proposal ON st_files (proposal_id, id);
CREATE INDEX st_files_attachment ON st_files (attachment_id);
