-- Mẫu văn bản: every saved version of the template of each document kind (report, conclusion_notice,
-- minutes, decision, certificate). Versions are never changed or deleted; the highest version of a kind
-- is the active one. A version without source text stands for the program's built-in default (what
-- "restore the default" saves), so that a later release's improved default applies to it.
CREATE TABLE document_templates (
    id {{id}},
    kind TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version > 0),
    source TEXT,
    -- The version this one copies, when it was made by "restore this version".
    restored_from BIGINT,
    created_by BIGINT REFERENCES users (id),
    created_by_label TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX document_templates_kind_version ON document_templates (kind, version);
