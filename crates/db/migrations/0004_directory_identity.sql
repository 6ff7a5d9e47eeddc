-- Directory (organisations, people, affiliations) and identity (accounts, roles, sessions, API tokens,
-- password resets, login throttling, the audit trail).

-- Cơ quan, đơn vị: a party committee, a people's committee, a department, an institute, an enterprise.
CREATE TABLE organizations (
    id {{id}},
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    sort_key {{sortkey}} NOT NULL,
    abbreviation TEXT,
    parent_id BIGINT REFERENCES organizations (id),
    -- The administrative unit the organisation is located in (resolved from its address).
    admin_unit_id BIGINT REFERENCES admin_units (id),
    address TEXT,
    address_detail TEXT,
    tax_code TEXT,
    phone TEXT,
    email TEXT,
    website TEXT,
    valid_from {{date}},
    valid_to {{date}},
    successor_id BIGINT REFERENCES organizations (id),
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX organizations_tax_code ON organizations (tax_code) WHERE tax_code IS NOT NULL;
CREATE INDEX organizations_sort ON organizations (sort_key);
CREATE INDEX organizations_parent ON organizations (parent_id);

-- Người: officials, scientists, enterprise representatives.
CREATE TABLE people (
    id {{id}},
    full_name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    sort_key {{sortkey}} NOT NULL,
    title TEXT,
    position TEXT,
    email TEXT,
    phone TEXT,
    expertise TEXT,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX people_sort ON people (sort_key);

-- A person's time-bounded role in an organisation (Giám đốc of the Sở from 2019, say).
CREATE TABLE affiliations (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    role TEXT NOT NULL,
    valid_from {{date}},
    valid_to {{date}}
);
CREATE INDEX affiliations_person ON affiliations (person_id);
CREATE INDEX affiliations_org ON affiliations (organization_id);

CREATE TABLE users (
    id {{id}},
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT,
    person_id BIGINT REFERENCES people (id),
    organization_id BIGINT REFERENCES organizations (id),
    password_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    last_login_at {{timestamp}},
    password_changed_at {{timestamp}}
);

CREATE TABLE role_grants (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL CHECK (scope_kind IN ('province', 'organization', 'subtree')),
    organization_id BIGINT REFERENCES organizations (id),
    granted_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    CHECK ((scope_kind = 'province') = (organization_id IS NULL))
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants (user_id, role, scope_kind, COALESCE(organization_id, 0));

-- Sessions: the cookie holds a random token; only its hash is stored.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    last_seen_at {{timestamp}} NOT NULL,
    expires_at {{timestamp}} NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Personal API tokens: shown once, stored hashed.
CREATE TABLE api_tokens (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    expires_at {{timestamp}},
    last_used_at {{timestamp}},
    revoked_at {{timestamp}}
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- One-time password reset links.
CREATE TABLE password_resets (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    expires_at {{timestamp}} NOT NULL,
    used_at {{timestamp}}
);

-- Failed logins per account name and per IP, for the lockout.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_start {{timestamp}} NOT NULL,
    locked_until {{timestamp}}
);

-- The audit trail: append-only, each event chained to the previous one by its hash.
CREATE TABLE audit_events (
    id {{id}},
    at {{timestamp}} NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT,
    summary TEXT NOT NULL,
    changes TEXT NOT NULL,
    ip TEXT,
    request_id TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id, id);
CREATE INDEX audit_events_actor ON audit_events (actor_user_id, id);
CREATE INDEX audit_events_at ON audit_events (at);
