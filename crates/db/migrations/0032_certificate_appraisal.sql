-- The appraisal of certificate applications (issue 18 item 2) with the councils of S&T tasks: a council of
-- the new kind `certificate` (Hội đồng thẩm định hồ sơ công nhận doanh nghiệp KH&CN) judges applications
-- instead of proposals. Its items, the members' declarations and the chair's overrides name either a
-- proposal or an application (exactly one). Experts may also be asked for a written opinion on an
-- application outside any council; members and experts record their opinions in `cert_opinions`.
--
-- The council tables are rebuilt to widen `st_councils.kind` and make `proposal_id` optional: their rows
-- are kept aside, the tables dropped children first (so that no ON DELETE CASCADE fires on SQLite, where
-- dropping a parent table deletes its rows), created again and filled back with their ids. The id
-- generators are moved past the ids on PostgreSQL by the migration step (dialect::sync_identity).

CREATE TABLE keep_st_councils AS SELECT * FROM st_councils;
CREATE TABLE keep_st_council_members AS SELECT * FROM st_council_members;
CREATE TABLE keep_st_council_items AS SELECT * FROM st_council_items;
CREATE TABLE keep_st_declarations AS SELECT * FROM st_declarations;
CREATE TABLE keep_st_conflict_overrides AS SELECT * FROM st_conflict_overrides;
CREATE TABLE keep_st_scores AS SELECT * FROM st_scores;

DROP TABLE st_scores;
DROP TABLE st_conflict_overrides;
DROP TABLE st_declarations;
DROP TABLE st_council_items;
DROP TABLE st_council_members;
DROP TABLE st_councils;

CREATE TABLE st_councils (
    id {{id}},
    kind TEXT NOT NULL CHECK (kind IN ('identification', 'selection', 'direct', 'acceptance', 'certificate')),
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

-- A member: a person of the directory with a role, and the account that scores (or gives its opinion)
-- for them (an expert's).
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

-- What a council judges: a proposal, or an application for the certificate; the outcome its closing gave
-- (for an application: `passed` when the council recommends the certificate).
CREATE TABLE st_council_items (
    council_id BIGINT NOT NULL REFERENCES st_councils (id) ON DELETE CASCADE,
    proposal_id BIGINT REFERENCES st_proposals (id),
    application_id BIGINT REFERENCES cert_applications (id),
    sort_order BIGINT NOT NULL,
    passed BOOLEAN,
    average DOUBLE PRECISION,
    rank BIGINT,
    CHECK ((proposal_id IS NULL AND application_id IS NOT NULL) OR (proposal_id IS NOT NULL AND application_id IS NULL))
);
CREATE UNIQUE INDEX st_council_items_proposal_once ON st_council_items (council_id, proposal_id);
CREATE UNIQUE INDEX st_council_items_application_once ON st_council_items (council_id, application_id);
CREATE INDEX st_council_items_proposal ON st_council_items (proposal_id);
CREATE INDEX st_council_items_application ON st_council_items (application_id);

-- What a member declares: a relation with the parties of one proposal or application (or none with any:
-- both NULL).
CREATE TABLE st_declarations (
    id {{id}},
    council_id BIGINT NOT NULL REFERENCES st_councils (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES st_council_members (id) ON DELETE CASCADE,
    proposal_id BIGINT REFERENCES st_proposals (id),
    application_id BIGINT REFERENCES cert_applications (id),
    has_conflict BOOLEAN NOT NULL,
    text TEXT,
    declared_at {{timestamp}} NOT NULL,
    CHECK (proposal_id IS NULL OR application_id IS NULL)
);
CREATE UNIQUE INDEX st_declarations_one ON st_declarations
    (member_id, COALESCE(proposal_id, 0), COALESCE(application_id, 0));

-- The chair's overrides of a flag: the member scores the proposal (or gives an opinion on the application)
-- nonetheless, for the reason given.
CREATE TABLE st_conflict_overrides (
    id {{id}},
    council_id BIGINT NOT NULL REFERENCES st_councils (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES st_council_members (id) ON DELETE CASCADE,
    proposal_id BIGINT REFERENCES st_proposals (id),
    application_id BIGINT REFERENCES cert_applications (id),
    reason TEXT NOT NULL,
    by_user BIGINT REFERENCES users (id),
    at {{timestamp}} NOT NULL,
    CHECK ((proposal_id IS NULL AND application_id IS NOT NULL) OR (proposal_id IS NOT NULL AND application_id IS NULL))
);
CREATE UNIQUE INDEX st_conflict_overrides_one ON st_conflict_overrides (member_id, proposal_id);
CREATE UNIQUE INDEX st_conflict_overrides_application ON st_conflict_overrides (member_id, application_id);

CREATE TABLE st_scores (
    id {{id}},
    council_id BIGINT NOT NULL REFERENCES st_councils (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES st_council_members (id) ON DELETE CASCADE,
    proposal_id BIGINT NOT NULL REFERENCES st_proposals (id),
    -- The score of each criterion of the council's rubric (JSON [[code, score], …]).
    scores TEXT NOT NULL,
    -- The total on 100, weighted as the rubric says.
    total DOUBLE PRECISION NOT NULL,
    comment TEXT,
    submitted_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX st_scores_sheet ON st_scores (member_id, proposal_id);
CREATE INDEX st_scores_council ON st_scores (council_id, proposal_id);

INSERT INTO st_councils (id, kind, name, call_id, state, settings, meeting_on, meeting_time, place, decision_symbol,
    decision_date, decision_signer, minutes_symbol, minutes_date, conclusion, closed_at, is_sample, created_by,
    created_at, updated_at)
    SELECT id, kind, name, call_id, state, settings, meeting_on, meeting_time, place, decision_symbol, decision_date,
    decision_signer, minutes_symbol, minutes_date, conclusion, closed_at, is_sample, created_by, created_at, updated_at
    FROM keep_st_councils;
INSERT INTO st_council_members (id, council_id, person_id, user_id, role, present, sort_order)
    SELECT id, council_id, person_id, user_id, role, present, sort_order FROM keep_st_council_members;
INSERT INTO st_council_items (council_id, proposal_id, sort_order, passed, average, rank)
    SELECT council_id, proposal_id, sort_order, passed, average, rank FROM keep_st_council_items;
INSERT INTO st_declarations (id, council_id, member_id, proposal_id, has_conflict, text, declared_at)
    SELECT id, council_id, member_id, proposal_id, has_conflict, text, declared_at FROM keep_st_declarations;
INSERT INTO st_conflict_overrides (id, council_id, member_id, proposal_id, reason, by_user, at)
    SELECT id, council_id, member_id, proposal_id, reason, by_user, at FROM keep_st_conflict_overrides;
INSERT INTO st_scores (id, council_id, member_id, proposal_id, scores, total, comment, submitted_at)
    SELECT id, council_id, member_id, proposal_id, scores, total, comment, submitted_at FROM keep_st_scores;

DROP TABLE keep_st_scores;
DROP TABLE keep_st_conflict_overrides;
DROP TABLE keep_st_declarations;
DROP TABLE keep_st_council_items;
DROP TABLE keep_st_council_members;
DROP TABLE keep_st_councils;

-- An expert asked by the department for a written opinion on an application in appraisal: a person of the
-- directory and the account that answers for them; the department's override of a conflict of interest.
CREATE TABLE cert_experts (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES cert_applications (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    -- What the department asks of them.
    note TEXT,
    asked_by BIGINT REFERENCES users (id),
    asked_at {{timestamp}} NOT NULL,
    asked_on {{date}} NOT NULL,
    override_reason TEXT,
    override_by BIGINT REFERENCES users (id),
    override_at {{timestamp}}
);
CREATE UNIQUE INDEX cert_experts_person ON cert_experts (application_id, person_id);
CREATE INDEX cert_experts_user ON cert_experts (user_id);

-- An opinion on an application: by a member of a council it is before (council_id, member_id) or by an
-- expert asked (expert_id). Each condition judged met or not with a remark (JSON), the recommendation.
CREATE TABLE cert_opinions (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES cert_applications (id) ON DELETE CASCADE,
    council_id BIGINT REFERENCES st_councils (id) ON DELETE CASCADE,
    member_id BIGINT REFERENCES st_council_members (id) ON DELETE CASCADE,
    expert_id BIGINT REFERENCES cert_experts (id) ON DELETE CASCADE,
    conditions TEXT NOT NULL,
    recommendation TEXT NOT NULL CHECK (recommendation IN ('issue', 'refuse')),
    remarks TEXT,
    submitted_at {{timestamp}} NOT NULL,
    CHECK ((member_id IS NOT NULL AND council_id IS NOT NULL AND expert_id IS NULL)
        OR (member_id IS NULL AND council_id IS NULL AND expert_id IS NOT NULL))
);
CREATE UNIQUE INDEX cert_opinions_member ON cert_opinions (application_id, member_id);
CREATE UNIQUE INDEX cert_opinions_expert ON cert_opinions (application_id, expert_id);
CREATE INDEX cert_opinions_council ON cert_opinions (council_id);
