-- Indicators (issue 19): the catalogue of KPIs (chỉ số) with their definitions as data, the figures typed
-- by hand for the indicators defined as typed yearly figures, and plan targets referring to the catalogue.
-- Every existing target becomes a typed indicator of its own (code CT-<target id>) and its recorded
-- values become that indicator's figures: nothing typed before is lost. `target_values` is kept as it was
-- (no longer written) until a later release drops it.

CREATE TABLE kpi_indicators (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    direction TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
    periodicity TEXT NOT NULL CHECK (periodicity IN ('yearly', 'half_yearly', 'quarterly', 'monthly')),
    level TEXT NOT NULL CHECK (level IN ('province', 'commune')),
    layer TEXT NOT NULL CHECK (layer IN ('strategic', 'operational')),
    parent_id BIGINT REFERENCES kpi_indicators (id),
    -- The definition: 'typed' (figures in kpi_figures) or 'formula' (numerator / denominator × factor, the
    -- parts written as in the form, parsed by tiendo_core::indicators::formula).
    kind TEXT NOT NULL CHECK (kind IN ('typed', 'formula')),
    numerator TEXT,
    denominator TEXT,
    factor DOUBLE PRECISION NOT NULL DEFAULT 1,
    over_units TEXT NOT NULL DEFAULT 'total' CHECK (over_units IN ('total', 'average')),
    -- The years it has figures for (a target outside them is refused).
    first_year BIGINT,
    last_year BIGINT,
    note TEXT,
    sort_order BIGINT NOT NULL DEFAULT 0,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX kpi_indicators_parent ON kpi_indicators (parent_id);

-- The figures of typed indicators: one a year, for the province (unit_code '') or a unit.
CREATE TABLE kpi_figures (
    indicator_id BIGINT NOT NULL REFERENCES kpi_indicators (id) ON DELETE CASCADE,
    unit_code TEXT NOT NULL DEFAULT '',
    year BIGINT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    source TEXT,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at {{timestamp}} NOT NULL,
    PRIMARY KEY (indicator_id, unit_code, year)
);

ALTER TABLE targets ADD COLUMN indicator_id BIGINT REFERENCES kpi_indicators (id);
CREATE INDEX targets_indicator ON targets (indicator_id);

INSERT INTO kpi_indicators (code, name, name_en, unit, direction, periodicity, level, layer, kind, factor,
                            over_units, sort_order, is_sample, created_at, updated_at)
SELECT 'CT-' || CAST(t.id AS TEXT), t.name, '', t.unit,
       CASE WHEN t.higher_is_better THEN 'higher' ELSE 'lower' END, 'yearly', 'province', 'operational',
       'typed', 1, 'total', t.id, p.is_sample, p.created_at, p.updated_at
FROM targets t JOIN plans p ON p.id = t.plan_id;

UPDATE targets SET indicator_id = (SELECT k.id FROM kpi_indicators k WHERE k.code = 'CT-' || CAST(targets.id AS TEXT));

INSERT INTO kpi_figures (indicator_id, unit_code, year, value, source, recorded_at)
SELECT t.indicator_id, '', v.year, v.value, v.source, v.recorded_at
FROM target_values v JOIN targets t ON t.id = v.target_id;

-- What the module sources read by year: directives by due day, reports by due day.
CREATE INDEX assignments_due ON assignments (due_on);
CREATE INDEX reports_due ON reports (due_on);
CREATE INDEX st_events_to_state ON st_events (to_state, at);
