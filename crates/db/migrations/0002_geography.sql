-- Administrative units with their history (issue 3). A unit's identity is its code together with its
-- validity, the half-open interval [valid_from, valid_to): the same code may name successive units.
-- valid_from NULL: in force since a date the data does not give; valid_to NULL: still in force.

CREATE TABLE admin_units (
    id {{id}},
    code TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    kind TEXT NOT NULL CHECK (kind IN ('province', 'municipality', 'rural_district', 'urban_district', 'town',
                                       'city', 'commune', 'ward', 'township', 'special_zone')),
    -- The name without the kind ("Hoành Bồ"), and with it ("Phường Hoành Bồ").
    name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    -- fold(full_name): lower case, no diacritics, đ -> d, for diacritic-insensitive filtering.
    name_folded TEXT NOT NULL,
    -- tiendo_core::text::sort_key(name): Vietnamese order, byte-comparable.
    sort_key {{sortkey}} NOT NULL,
    parent_id BIGINT REFERENCES admin_units (id),
    parent_code TEXT,
    -- The code of the province the unit belongs to (its own for a province), for filtering.
    province_code TEXT NOT NULL,
    valid_from {{date}},
    valid_to {{date}},
    legal_basis TEXT,
    CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to)
);

-- At most one unit per code and start (the full rule, no overlapping validity, is checked by
-- tiendo_core::geo::change before anything is written).
CREATE UNIQUE INDEX admin_units_code_start ON admin_units (code, COALESCE(valid_from, '0001-01-01'));
CREATE INDEX admin_units_by_province ON admin_units (province_code, level, sort_key);
CREATE INDEX admin_units_by_level ON admin_units (level, sort_key);
CREATE INDEX admin_units_by_parent ON admin_units (parent_id);

-- The unit from_id, which ends on `effective` (its valid_to), continues wholly or in part as to_id, which
-- starts that day (its valid_from).
CREATE TABLE admin_unit_successions (
    id {{id}},
    from_id BIGINT NOT NULL REFERENCES admin_units (id),
    to_id BIGINT NOT NULL REFERENCES admin_units (id),
    kind TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'rename', 'kept')),
    effective {{date}} NOT NULL,
    -- For a split, the successor that takes the old unit's records by default.
    is_default BOOLEAN NOT NULL,
    share DOUBLE PRECISION CHECK (share IS NULL OR (share >= 0 AND share <= 1)),
    legal_basis TEXT,
    UNIQUE (from_id, to_id)
);

CREATE INDEX admin_unit_successions_by_to ON admin_unit_successions (to_id);
