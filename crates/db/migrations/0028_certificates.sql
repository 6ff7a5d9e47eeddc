-- S&T enterprise certificates (issue 18): applications with their dossier, the timeline of their
-- processing (each step with its decision document and whether it came after the statutory clock ran
-- out), the files of the checklist, the certificates with their versions and ends, and the yearly reports
-- of certified enterprises with the conditions re-checked.

-- An application (hồ sơ đề nghị cấp Giấy chứng nhận doanh nghiệp KH&CN) by an enterprise of the directory.
-- Results, products and the figures by year are JSON arrays, read and written with the dossier as one form.
CREATE TABLE cert_applications (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    state TEXT NOT NULL,
    -- The legal basis in force on the day it was received (none while a draft).
    basis TEXT CHECK (basis IN ('nd13_2019', 'nd268_2025')),
    enterprise_name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    tax_code TEXT,
    address TEXT,
    representative TEXT,
    established_on {{date}},
    size TEXT CHECK (size IN ('large', 'medium', 'small', 'micro')),
    phone TEXT,
    email TEXT,
    results TEXT NOT NULL,
    products TEXT NOT NULL,
    years TEXT NOT NULL,
    -- The day the dossier was received (the clock counts from the day after), and the decision's day.
    received_on {{date}},
    decided_on {{date}},
    decided_late BOOLEAN NOT NULL DEFAULT FALSE,
    author_id BIGINT REFERENCES users (id),
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX cert_applications_org ON cert_applications (org_id, id);
CREATE INDEX cert_applications_state ON cert_applications (state, id);

-- The timeline: every step, who took it and when (the Vietnam day too, for the clock), its note, its
-- decision document, and whether it was taken after the clock ran out.
CREATE TABLE cert_events (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES cert_applications (id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    at {{timestamp}} NOT NULL,
    on_day {{date}} NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    actor_name TEXT NOT NULL,
    note TEXT,
    decision_symbol TEXT,
    decision_date {{date}},
    decision_signer TEXT,
    late BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX cert_events_application ON cert_events (application_id, id);

-- Files of an application: the documents of the checklist (`document`, a code of eligibility.toml) and
-- other annexes.
CREATE TABLE cert_files (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES cert_applications (id) ON DELETE CASCADE,
    document TEXT,
    attachment_id BIGINT NOT NULL REFERENCES attachments (id),
    title TEXT,
    uploaded_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX cert_files_application ON cert_files (application_id, id);
CREATE INDEX cert_files_attachment ON cert_files (attachment_id);

-- A certificate, one row per version: the original, each amendment (cấp thay đổi nội dung) and re-issue
-- (cấp lại) a new row pointing at the one it replaces, which becomes `superseded`.
CREATE TABLE certificates (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES cert_applications (id),
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    number TEXT NOT NULL,
    issued_on {{date}} NOT NULL,
    version BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('original', 'amendment', 'reissue')),
    previous_id BIGINT REFERENCES certificates (id),
    status TEXT NOT NULL CHECK (status IN ('in_force', 'superseded', 'revoked', 'cancelled', 'terminated')),
    basis TEXT NOT NULL,
    enterprise_name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    tax_code TEXT NOT NULL,
    address TEXT,
    results TEXT NOT NULL,
    products TEXT NOT NULL,
    decision_symbol TEXT,
    signer TEXT,
    note TEXT,
    -- How it ended (revoked, cancelled, terminated): the day, the reason and the decision.
    ended_on {{date}},
    end_reason TEXT,
    end_decision TEXT,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX certificates_org ON certificates (org_id, id);
CREATE INDEX certificates_tax_code ON certificates (tax_code);
CREATE INDEX certificates_status ON certificates (status, id);
CREATE UNIQUE INDEX certificates_number_version ON certificates (number, version);

-- The yearly report of a certified enterprise (báo cáo hằng năm): the year's figures and whether the
-- conditions still held on them.
CREATE TABLE cert_reports (
    id {{id}},
    certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    year BIGINT NOT NULL,
    figures TEXT NOT NULL,
    holds BOOLEAN NOT NULL,
    checks TEXT NOT NULL,
    submitted_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    UNIQUE (certificate_id, year)
);

-- The reminders of the statutory clock sent to the department (nearly due, overdue), once per application,
-- kind and deadline whatever the number of runs or instances.
CREATE TABLE cert_reminders_sent (
    application_id BIGINT NOT NULL REFERENCES cert_applications (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    deadline {{date}} NOT NULL,
    sent_at {{timestamp}} NOT NULL,
    PRIMARY KEY (application_id, kind, deadline)
);
