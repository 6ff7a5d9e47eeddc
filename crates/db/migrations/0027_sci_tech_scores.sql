-- S&T tasks, part 1 (issue 16): the members' scoring sheets. A sheet is the member's own until the council
-- closes; the others read it only after sending theirs (blind scoring).

CREATE TABLE st_scores (
    id {{id}},
    council_id BIGINT NOT NULL REFERENCES st_councils (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES st_council_members (id) ON DELETE CASCADE,
    proposal_id BIGINT NOT NULL REFERENCES st_proposals (id),
    -- The score of each criterion of the council's rubric (JSON [[code, score], …]).
    scores TEXT NOT NULL,
    -- The total on 100, weighted as the rubric says.
    total DOUBLE PRECISION NOT NULL,
    comment TEXT,
    submitted_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX st_scores_sheet ON st_scores (member_id, proposal_id);
CREATE INDEX st_scores_council ON st_scores (council_id, proposal_id);
