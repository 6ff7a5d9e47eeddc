-- Working visits (issue 8): delegations with their members and stops, photos and documents, and the link
-- between a visit's conclusions and the monitoring plan that tracks its directives.

-- Đoàn công tác.
CREATE TABLE visits (
    id {{id}},
    title TEXT NOT NULL,
    title_folded TEXT NOT NULL,
    purpose TEXT NOT NULL,
    -- The organisation that sends the delegation: the assigning side of its directives.
    organizer_org_id BIGINT NOT NULL REFERENCES organizations (id),
    -- The decision that formed the delegation, a document of the register.
    legal_basis_id BIGINT REFERENCES legal_documents (id),
    starts_on {{date}} NOT NULL,
    ends_on {{date}} NOT NULL,
    -- The general assessment read in the notice of conclusions of the whole visit.
    assessment TEXT,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    CHECK (starts_on <= ends_on)
);
CREATE INDEX visits_dates ON visits (starts_on, ends_on);
CREATE INDEX visits_organizer ON visits (organizer_org_id);

-- Each visit owns one plan: its tasks are the conclusions, its assignments the directives, so that they
-- appear in every dashboard, list, export and reminder of monitoring.
ALTER TABLE plans ADD COLUMN visit_id BIGINT REFERENCES visits (id);
CREATE UNIQUE INDEX plans_visit ON plans (visit_id) WHERE visit_id IS NOT NULL;

-- The delegation: people of the directory, each with a role and the organisation they represent.
CREATE TABLE visit_members (
    id {{id}},
    visit_id BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    organization_id BIGINT REFERENCES organizations (id),
    role TEXT NOT NULL CHECK (role IN ('leader', 'deputy', 'member', 'secretary')),
    -- How the notice names the person's office ("Giám đốc Sở Khoa học và Công nghệ"), kept as it was.
    position TEXT,
    sort_order BIGINT NOT NULL
);
CREATE INDEX visit_members_visit ON visit_members (visit_id, sort_order);
CREATE INDEX visit_members_person ON visit_members (person_id, role);

-- Where the delegation went: a locality's People's Committee or an enterprise, on a day.
CREATE TABLE visit_stops (
    id {{id}},
    visit_id BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    on_date {{date}} NOT NULL,
    start_time TEXT,
    place TEXT,
    host_org_id BIGINT NOT NULL REFERENCES organizations (id),
    -- The administrative unit of the host at the time of the visit (for the locality filter).
    admin_unit_id BIGINT REFERENCES admin_units (id),
    agenda TEXT,
    minutes TEXT,
    assessment TEXT,
    sort_order BIGINT NOT NULL
);
CREATE INDEX visit_stops_visit ON visit_stops (visit_id, sort_order);
CREATE INDEX visit_stops_host ON visit_stops (host_org_id);
CREATE INDEX visit_stops_unit ON visit_stops (admin_unit_id);

-- A conclusion is a task of the visit's plan, taken at a stop or, without one, for the whole visit.
CREATE TABLE visit_conclusions (
    task_id BIGINT PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    visit_id BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    stop_id BIGINT REFERENCES visit_stops (id)
);
CREATE INDEX visit_conclusions_visit ON visit_conclusions (visit_id);

-- Photos (with caption and alt text, reusable by a news article) and documents of a visit or a stop.
CREATE TABLE visit_files (
    id {{id}},
    visit_id BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    stop_id BIGINT REFERENCES visit_stops (id),
    attachment_id BIGINT NOT NULL REFERENCES attachments (id),
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
    caption TEXT,
    alt_text TEXT,
    sort_order BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    CHECK (kind <> 'photo' OR alt_text IS NOT NULL)
);
CREATE INDEX visit_files_visit ON visit_files (visit_id, sort_order);
CREATE INDEX visit_files_attachment ON visit_files (attachment_id);
