-- The public portal (issue 9): news articles with their revisions, categories and tags, photos with their
-- variants, links to related records, public comments with their reports.

-- Chuyên mục.
CREATE TABLE portal_categories (
    id {{id}},
    slug TEXT NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort_order BIGINT NOT NULL DEFAULT 0,
    created_at {{timestamp}} NOT NULL
);

-- Thẻ: named as typed, found by their slug.
CREATE TABLE portal_tags (
    id {{id}},
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

-- Tin bài. `body` is the Markdown the editors write; `body_html` its safe rendering, made when saved.
CREATE TABLE articles (
    id {{id}},
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'scheduled', 'published', 'unpublished')),
    category_id BIGINT REFERENCES portal_categories (id),
    author_id BIGINT REFERENCES users (id),
    author_name TEXT NOT NULL,
    featured BOOLEAN NOT NULL DEFAULT FALSE,
    comments_closed BOOLEAN NOT NULL DEFAULT FALSE,
    -- 'site' follows the site's setting; 'on' and 'off' override it for this article.
    premoderation TEXT NOT NULL DEFAULT 'site' CHECK (premoderation IN ('site', 'on', 'off')),
    publish_at {{timestamp}},
    published_at {{timestamp}},
    revision BIGINT NOT NULL DEFAULT 1,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX articles_public ON articles (state, published_at);
CREATE INDEX articles_category ON articles (category_id, state, published_at);

-- Every saved version of an article's text, kept.
CREATE TABLE article_revisions (
    id {{id}},
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL,
    author_id BIGINT REFERENCES users (id),
    author_label TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (article_id, number)
);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES portal_tags (id),
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id);

-- Related records, by kind and id, so that a kind added later (a working visit) needs no new table:
-- 'organization', 'document', 'visit'.
CREATE TABLE article_links (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL CHECK (entity_type IN ('organization', 'document', 'visit')),
    entity_id BIGINT NOT NULL,
    PRIMARY KEY (article_id, entity_type, entity_id)
);
CREATE INDEX article_links_entity ON article_links (entity_type, entity_id);

-- Photos (of an article) and the trust badge of the footer; the encoded variants are attachments.
CREATE TABLE portal_media (
    id {{id}},
    purpose TEXT NOT NULL CHECK (purpose IN ('article', 'badge')),
    article_id BIGINT REFERENCES articles (id) ON DELETE CASCADE,
    caption TEXT NOT NULL,
    alt TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('jpeg', 'png')),
    sort_order BIGINT NOT NULL DEFAULT 0,
    uploaded_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX portal_media_article ON portal_media (article_id, sort_order);

CREATE TABLE portal_media_variants (
    media_id BIGINT NOT NULL REFERENCES portal_media (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (name IN ('large', 'medium', 'small')),
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    attachment_id BIGINT NOT NULL REFERENCES attachments (id),
    PRIMARY KEY (media_id, name)
);

-- Bình luận. The e-mail is never shown; `author_key` is the hash of the secret given to the author,
-- which lets them see their comment while it waits for a moderator.
CREATE TABLE comments (
    id {{id}},
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_name TEXT NOT NULL,
    author_email TEXT,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
    -- Hidden after enough reports, until a moderator decides.
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    report_count BIGINT NOT NULL DEFAULT 0,
    word_match TEXT,
    ip TEXT,
    user_id BIGINT REFERENCES users (id),
    author_key TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    decided_at {{timestamp}},
    decided_by BIGINT REFERENCES users (id)
);
CREATE INDEX comments_article ON comments (article_id, status, created_at);
CREATE INDEX comments_queue ON comments (status, hidden, created_at);

-- One report per reader (a hash of the address) and comment.
CREATE TABLE comment_reports (
    comment_id BIGINT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reporter TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    PRIMARY KEY (comment_id, reporter)
);
