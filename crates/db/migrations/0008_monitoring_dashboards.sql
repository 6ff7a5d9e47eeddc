-- Indexes for the dashboards of issue 6 at a province's size (20,000 assignments, 200,000 updates).

-- The timeline of updates, newest first (`updates::recent`): read in index order and stopped at the limit
-- instead of sorting every update. The expression is the query's ORDER BY, written the same way.
CREATE INDEX progress_updates_recent ON progress_updates (COALESCE(submitted_at, created_at), id);
