-- S&T tasks, part 1 (issue 16): councils (hội đồng) with their members from the directory, the proposals put
-- before them, the members' declarations of conflicts of interest and the chair's overrides of the flags.

CREATE TABLE st_councils (
    id {{id}},
    kind TEXT NOT NULL CHECK (kind IN ('identification', 'selection', 'direct', 'acceptance')),
    name TEXT NOT NULL,
    -- The call whose proposals it judges, if any.
    call_id BIGINT REFERENCES st_calls (id),
    state TEXT NOT NULL CHECK (state IN ('forming', 'meeting', 'closed')),
    -- Its rubric, aggregation rules, quorum and conflict horizon (JSON), copied from its kind's when formed.
    settings TEXT NOT NULL,
    meeting_on {{date}},
    meeting_time TEXT,
    place TEXT,
    -- The decision forming it (quyết định thành lập hội đồng).
    decision_symbol TEXT,
    decision_date {{date}},
    decision_signer TEXT,
    -- Its minutes (biên bản), recorded when it closes, and the general conclusion they give.
    minutes_symbol TEXT,
    minutes_date {{date}},
    conclusion TEXT,
    closed_at {{timestamp}},
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX st_councils_call ON st_councils (call_id);

-- A member: a person of the directory with a role, and the account that scores for them (an expert's).
CREATE TABLE st_council_members (
    id {{id}},
    council_id BIGINT NOT NULL REFERENCES st_councils (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    user_id BIGINT REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('chair', 'vice_chair', 'reviewer_1', 'reviewer_2', 'secretary', 'member')),
    -- Attendance at the meeting; NULL until recorded.
    present BOOLEAN,
    sort_order BIGINT NOT NULL
);
CREATE UNIQUE INDEX st_council_members_person ON st_council_members (council_id, person_id);
CREATE INDEX st_council_members_user ON st_council_members (user_id);

-- The proposals put before a council, with the outcome its closing gave each.
CREATE TABLE st_council_items (
    council_id BIGINT NOT NULL REFERENCES st_councils (id) ON DELETE CASCADE,
    proposal_id BIGINT NOT NULL REFERENCES st_proposals (id),
    sort_order BIGINT NOT NULL,
    passed BOOLEAN,
    average DOUBLE PRECISION,
    rank BIGINT,
    PRIMARY KEY (council_id, proposal_id)
);
CREATE INDEX st_council_items_proposal ON st_council_items (proposal_id);

-- What a member declares: a relation with one proposal's parties (or none with any, proposal_id NULL).
CREATE TABLE st_declarations (
    id {{id}},
    council_id BIGINT NOT NULL REFERENCES st_councils (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES st_council_members (id) ON DELETE CASCADE,
    proposal_id BIGINT REFERENCES st_proposals (id),
    has_conflict BOOLEAN NOT NULL,
    text TEXT,
    declared_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX st_declarations_one ON st_declarations (member_id, COALESCE(proposal_id, 0));

-- The chair's overrides of a flag: the member scores the proposal nonetheless, for the reason given.
CREATE TABLE st_conflict_overrides (
    id {{id}},
    council_id BIGINT NOT NULL REFERENCES st_councils (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES st_council_members (id) ON DELETE CASCADE,
    proposal_id BIGINT NOT NULL REFERENCES st_proposals (id),
    reason TEXT NOT NULL,
    by_user BIGINT REFERENCES users (id),
    at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX st_conflict_overrides_one ON st_conflict_overrides (member_id, proposal_id);
