-- Periodic reporting (issue 7): indicators, versioned report templates and who must fill them, reports per
-- (template, organisation, period) with their values, the history of every value, comments, attachments,
-- and the aggregates kept up to date when a report is approved or unlocked, on the map of the time
-- ('reported') and on today's map ('current').

-- Chỉ tiêu: what a number means and how it adds up. Shared by every template that reports it.
CREATE TABLE indicators (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_en TEXT,
    unit TEXT NOT NULL DEFAULT '',
    aggregation TEXT NOT NULL CHECK (aggregation IN ('sum', 'average', 'latest', 'ratio')),
    numerator_code TEXT,
    denominator_code TEXT,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);

-- Biểu mẫu báo cáo: every saved version of a template, its definition as written (TOML). Versions are
-- never changed; the highest version of a code is in force. Retiring a template marks every version.
CREATE TABLE report_templates (
    id {{id}},
    code TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version > 0),
    name TEXT NOT NULL,
    periodicity TEXT NOT NULL CHECK (periodicity IN ('monthly', 'quarterly', 'half_yearly', 'nine_monthly',
                                                     'yearly', 'ad_hoc')),
    due_days BIGINT NOT NULL CHECK (due_days >= 0),
    definition TEXT NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT REFERENCES users (id),
    created_by_label TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (code, version)
);

-- Who must report a template: one organisation, or every organisation of a kind (optionally only those
-- located in one province, "every commune of Quảng Ninh").
CREATE TABLE report_targets (
    id {{id}},
    template_code TEXT NOT NULL,
    org_id BIGINT REFERENCES organizations (id),
    org_kind TEXT,
    province_code TEXT,
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    CHECK ((org_id IS NULL AND org_kind IS NOT NULL) OR (org_id IS NOT NULL AND org_kind IS NULL))
);
CREATE UNIQUE INDEX report_targets_identity ON report_targets
    (template_code, COALESCE(org_id, 0), COALESCE(org_kind, ''), COALESCE(province_code, ''));

-- Báo cáo: one per (template, organisation, period), filled on the template version in force when it was
-- opened. `unit_code` is the administrative unit of the organisation at the end of the period: the original
-- attribution, kept whatever the map becomes. `version` guards against two people saving at once.
CREATE TABLE reports (
    id {{id}},
    template_id BIGINT NOT NULL REFERENCES report_templates (id),
    template_code TEXT NOT NULL,
    template_version BIGINT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organizations (id),
    period_code TEXT NOT NULL,
    period_start {{date}} NOT NULL,
    period_end {{date}} NOT NULL,
    due_on {{date}} NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
    version BIGINT NOT NULL DEFAULT 1,
    unit_code TEXT,
    unit_name TEXT,
    province_code TEXT,
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    updated_at {{timestamp}} NOT NULL,
    submitted_by BIGINT REFERENCES users (id),
    submitted_at {{timestamp}},
    decided_by BIGINT REFERENCES users (id),
    decided_at {{timestamp}},
    return_comment TEXT,
    unlocked_by BIGINT REFERENCES users (id),
    unlocked_at {{timestamp}},
    unlock_reason TEXT,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (template_code, org_id, period_code)
);
CREATE INDEX reports_status ON reports (status, template_code, period_code);
CREATE INDEX reports_org ON reports (org_id, template_code, period_start);
CREATE INDEX reports_unit ON reports (unit_code, period_start);

-- The values of a report: a number (integers, decimals, percents, money, yes/no as 1/0) or a text (free
-- text, a choice, a date as YYYY-MM-DD). `indicator_code` copies the template's binding, so that
-- aggregation needs no template.
CREATE TABLE report_values (
    report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    field_code TEXT NOT NULL,
    indicator_code TEXT,
    number DOUBLE PRECISION,
    text TEXT,
    PRIMARY KEY (report_id, field_code)
);
CREATE INDEX report_values_indicator ON report_values (indicator_code, report_id);

-- Every change of a value: who, when, before, after (NULL for no value).
CREATE TABLE report_value_history (
    id {{id}},
    report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    field_code TEXT NOT NULL,
    before_number DOUBLE PRECISION,
    before_text TEXT,
    after_number DOUBLE PRECISION,
    after_text TEXT,
    report_version BIGINT NOT NULL,
    changed_by BIGINT REFERENCES users (id),
    changed_by_label TEXT NOT NULL,
    changed_at {{timestamp}} NOT NULL
);
CREATE INDEX report_value_history_report ON report_value_history (report_id, id);

-- Ý kiến: the approver's comments when returning a report, on a field or on the whole report (NULL).
CREATE TABLE report_comments (
    id {{id}},
    report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    field_code TEXT,
    body TEXT NOT NULL,
    author_id BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX report_comments_report ON report_comments (report_id, id);

CREATE TABLE report_attachments (
    report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    attachment_id BIGINT NOT NULL REFERENCES attachments (id),
    PRIMARY KEY (report_id, attachment_id)
);

-- Configured shares of an old unit's values among today's units (a split, a district). Without them a
-- value goes wholly to the unit's default successor (see docs/reporting.md).
CREATE TABLE report_attribution_shares (
    from_code TEXT NOT NULL,
    to_code TEXT NOT NULL,
    share DOUBLE PRECISION NOT NULL CHECK (share > 0 AND share <= 1),
    updated_by BIGINT REFERENCES users (id),
    updated_at {{timestamp}} NOT NULL,
    PRIMARY KEY (from_code, to_code)
);

-- Where an approved report counts on today's map: the units (with their province) and the share of its
-- additive values each receives. Written when the report is approved, read when it is unlocked, so that
-- unlocking takes back exactly what approving added; rewritten by a rebuild.
CREATE TABLE report_attributions (
    report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    unit_code TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    province_code TEXT NOT NULL,
    share DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (report_id, unit_code)
);
CREATE INDEX report_attributions_unit ON report_attributions (unit_code);

-- Running sums of the approved values of each indicator, per unit and per province, per reported period,
-- on the map of the time ('reported') and on today's map ('current'). At the 'province' level unit_code is
-- the province's code. A cell whose count fell to zero (every report behind it unlocked) is ignored.
CREATE TABLE report_aggregates (
    indicator_code TEXT NOT NULL,
    map TEXT NOT NULL CHECK (map IN ('reported', 'current')),
    level TEXT NOT NULL CHECK (level IN ('unit', 'province')),
    unit_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    period_code TEXT NOT NULL,
    period_start {{date}} NOT NULL,
    period_end {{date}} NOT NULL,
    value_sum DOUBLE PRECISION NOT NULL,
    value_count BIGINT NOT NULL,
    PRIMARY KEY (indicator_code, map, level, unit_code, period_code)
);
CREATE INDEX report_aggregates_view ON report_aggregates (map, level, province_code, period_start);

-- One row per report reminder sent, so that it goes out once whatever the number of runs or instances.
CREATE TABLE report_reminders_sent (
    template_code TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    period_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    sent_at {{timestamp}} NOT NULL,
    PRIMARY KEY (template_code, org_id, period_code, kind)
);
