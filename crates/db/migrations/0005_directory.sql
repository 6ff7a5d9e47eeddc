-- Directory: successions of organisations (when an old UBND is replaced by the UBND of the new unit or
-- units, as on 1/7/2025), and the indexes the directory's filters use.

CREATE TABLE organization_successions (
    id {{id}},
    from_id BIGINT NOT NULL REFERENCES organizations (id),
    to_id BIGINT NOT NULL REFERENCES organizations (id),
    -- The old organisation's exclusive end and the day its successors take over.
    effective {{date}} NOT NULL,
    -- The successor that takes over what the old organisation owned (organizations.successor_id).
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    CHECK (from_id <> to_id)
);
CREATE UNIQUE INDEX organization_successions_pair ON organization_successions (from_id, to_id);
CREATE INDEX organization_successions_to ON organization_successions (to_id);

CREATE INDEX organizations_unit ON organizations (admin_unit_id);
CREATE INDEX organizations_kind ON organizations (kind, sort_key);

-- Counting the units in force on a day (the total of every unit list) from the index alone.
CREATE INDEX admin_units_in_force ON admin_units (level, valid_to, valid_from, province_code);
