-- Change stamps: a number the database moves whenever a set of data changes, so that a figure computed from
-- that data (the status rows of every assignment, which the dashboards summarise) can be kept by each
-- instance and reused until the stamp moves. Moved by triggers, so no write path can miss it.
--
-- On PostgreSQL the stamp moves once per transaction, at its commit (a deferred constraint trigger): the row
-- is then locked only from the commit of one writer to the end of it, so two writers cannot deadlock on it,
-- and stamps are taken in the order transactions commit. The SQLite version is 0036_change_stamps.sqlite.sql.
CREATE TABLE change_stamps (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    -- The transaction that last moved the stamp: it moves once per transaction.
    xact BIGINT
);
INSERT INTO change_stamps (name, version) VALUES ('assignment_status', 1);

CREATE FUNCTION tiendo_move_change_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_stamps SET version = version + 1, xact = txid_current()
    WHERE name = TG_ARGV[0] AND xact IS DISTINCT FROM txid_current();
    RETURN NULL;
END
$$;

-- The facts of an assignment's status (crate::monitoring::assignments::StatusRow), and where it counts.
CREATE CONSTRAINT TRIGGER assignment_status_change AFTER INSERT OR DELETE OR UPDATE OF task_id, lead_org_id,
    deadline_kind, due_on, period_start, yearly_month, yearly_day, flagged_at_risk, blocked, cancelled, completed_on,
    percent, has_updates ON assignments
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tiendo_move_change_stamp('assignment_status');
CREATE CONSTRAINT TRIGGER assignment_status_task AFTER UPDATE OF weight, plan_id ON tasks
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tiendo_move_change_stamp('assignment_status');
