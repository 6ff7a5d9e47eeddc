-- S&T tasks, part 2 (issue 17): an approved task under contract (hợp đồng thực hiện nhiệm vụ), its versions
-- (each change or extension approved by a decision), milestones, instalments and the payments made on them,
-- the steps that suspend, resume or terminate it, its inspections (kiểm tra định kỳ), its acceptance and
-- closing, and its registered results with their application.

-- A task under contract: the approved dossier (st_proposals) carried out by its host organisation. The
-- contract's current version is `fields` (JSON: sources, years, instalments, products, team, milestones as
-- typed and checked, in tiendo_core::sci_tech::contract::ContractFields); the columns beside it are what the
-- lists and the portfolio read without decoding it. `paid` is the sum of st_disbursements, kept in the same
-- transaction as each payment.
CREATE TABLE st_contracts (
    id {{id}},
    proposal_id BIGINT NOT NULL REFERENCES st_proposals (id),
    title TEXT NOT NULL,
    title_folded TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('under_way', 'suspended', 'terminated', 'in_acceptance', 'accepted',
        'not_accepted', 'closed')),
    number TEXT NOT NULL,
    host_org_id BIGINT NOT NULL REFERENCES organizations (id),
    pi_name TEXT NOT NULL,
    signed_on {{date}} NOT NULL,
    starts_on {{date}} NOT NULL,
    ends_on {{date}} NOT NULL,
    state_budget BIGINT NOT NULL CHECK (state_budget >= 0),
    total BIGINT NOT NULL CHECK (total >= 0),
    paid BIGINT NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= state_budget),
    -- On termination: the funds to recover (thu hồi kinh phí).
    to_recover BIGINT CHECK (to_recover >= 0),
    fields TEXT NOT NULL,
    version BIGINT NOT NULL,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX st_contracts_proposal ON st_contracts (proposal_id);
CREATE INDEX st_contracts_host ON st_contracts (host_org_id, id);
CREATE INDEX st_contracts_state ON st_contracts (state, id);

-- Every version of the contract: the signed one (kind `signed`) and each change (`content`, `budget`,
-- `members`, `extension`) with the decision approving it.
CREATE TABLE st_contract_versions (
    contract_id BIGINT NOT NULL REFERENCES st_contracts (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('signed', 'content', 'budget', 'members', 'extension')),
    fields TEXT NOT NULL,
    decision_symbol TEXT,
    decision_date {{date}},
    decision_signer TEXT,
    note TEXT,
    at {{timestamp}} NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    actor_name TEXT NOT NULL,
    PRIMARY KEY (contract_id, version)
);

-- The milestones of the current version (rewritten with each change; a milestone reached keeps its date
-- when a change keeps its title).
CREATE TABLE st_milestones (
    contract_id BIGINT NOT NULL REFERENCES st_contracts (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    title TEXT NOT NULL,
    due_on {{date}} NOT NULL,
    products TEXT,
    done_on {{date}},
    done_note TEXT,
    PRIMARY KEY (contract_id, seq)
);
CREATE INDEX st_milestones_due ON st_milestones (done_on, due_on, contract_id);

-- The instalments of the current version, with what was paid on each.
CREATE TABLE st_instalments (
    contract_id BIGINT NOT NULL REFERENCES st_contracts (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    due_on {{date}} NOT NULL,
    condition TEXT,
    paid BIGINT NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= amount),
    PRIMARY KEY (contract_id, seq)
);
CREATE INDEX st_instalments_due ON st_instalments (due_on, contract_id);

-- A payment (cấp kinh phí) on an instalment.
CREATE TABLE st_disbursements (
    id {{id}},
    contract_id BIGINT NOT NULL REFERENCES st_contracts (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    paid_on {{date}} NOT NULL,
    -- The payment order or the treasury's voucher (ủy nhiệm chi, giấy rút dự toán).
    voucher TEXT,
    note TEXT,
    recorded_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX st_disbursements_contract ON st_disbursements (contract_id, paid_on);

-- The steps of a task under contract (suspended, resumed, terminated) with their decisions.
CREATE TABLE st_contract_events (
    id {{id}},
    contract_id BIGINT NOT NULL REFERENCES st_contracts (id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    at {{timestamp}} NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    actor_name TEXT NOT NULL,
    note TEXT,
    decision_symbol TEXT,
    decision_date {{date}},
    decision_signer TEXT,
    amount BIGINT
);
CREATE INDEX st_contract_events_contract ON st_contract_events (contract_id, id);

-- An inspection (kiểm tra định kỳ) with its minutes and result.
CREATE TABLE st_inspections (
    id {{id}},
    contract_id BIGINT NOT NULL REFERENCES st_contracts (id) ON DELETE CASCADE,
    held_on {{date}} NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('on_track', 'late', 'breach')),
    minutes_symbol TEXT,
    findings TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX st_inspections_contract ON st_inspections (contract_id, held_on);

-- The acceptance of a task: the host's internal acceptance and the dossier (late by the rule set's count),
-- the provincial council's ratings and grade with the reasons the rules gave, and the closing decision
-- (recognition or the decision on the funds of a task not accepted) with the liquidation and settlement.
CREATE TABLE st_acceptances (
    contract_id BIGINT PRIMARY KEY REFERENCES st_contracts (id) ON DELETE CASCADE,
    internal_on {{date}} NOT NULL,
    internal_minutes TEXT,
    submitted_on {{date}} NOT NULL,
    rule_set TEXT NOT NULL,
    days_late BIGINT NOT NULL CHECK (days_late >= 0),
    -- The council's ratings (JSON of tiendo_core::sci_tech::grading::Ratings), the grade and its reasons.
    ratings TEXT,
    grade TEXT CHECK (grade IN ('excellent', 'good', 'pass', 'fail')),
    reasons TEXT,
    council_on {{date}},
    council_minutes TEXT,
    decision_symbol TEXT,
    decision_date {{date}},
    decision_signer TEXT,
    spent BIGINT CHECK (spent >= 0),
    risk_accepted BOOLEAN,
    closing_note TEXT,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX st_acceptances_grade ON st_acceptances (grade);

-- The registration of a task's results (giấy chứng nhận đăng ký kết quả, TT 14/2014) and who holds the
-- rights to them.
CREATE TABLE st_results (
    contract_id BIGINT PRIMARY KEY REFERENCES st_contracts (id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    registered_on {{date}} NOT NULL,
    rights_holder TEXT,
    created_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX st_results_number ON st_results (number);

-- Each application of the results (TT 14/2014 form 12): by an organisation, where, since when, at what
-- scale, with what effects; shown on the organisation's page.
CREATE TABLE st_result_uses (
    id {{id}},
    contract_id BIGINT NOT NULL REFERENCES st_contracts (id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    place TEXT,
    from_on {{date}} NOT NULL,
    scale TEXT,
    effects TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX st_result_uses_contract ON st_result_uses (contract_id, id);
CREATE INDEX st_result_uses_org ON st_result_uses (org_id, id);
