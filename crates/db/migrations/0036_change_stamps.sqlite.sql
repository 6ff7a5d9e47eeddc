-- Change stamps: a number the database moves whenever a set of data changes, so that a figure computed from
-- that data (the status rows of every assignment, which the dashboards summarise) can be kept by each
-- instance and reused until the stamp moves. Moved by triggers, so no write path can miss it.
-- The PostgreSQL version of this migration (0036_change_stamps.postgres.sql) moves the stamp once per
-- transaction, at commit.
CREATE TABLE change_stamps (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    -- PostgreSQL only: the transaction that last moved the stamp.
    xact BIGINT
);
INSERT INTO change_stamps (name, version) VALUES ('assignment_status', 1);

-- The facts of an assignment's status (crate::monitoring::assignments::StatusRow), and where it counts.
CREATE TRIGGER assignment_status_insert AFTER INSERT ON assignments
BEGIN
    UPDATE change_stamps SET version = version + 1 WHERE name = 'assignment_status';
END;
CREATE TRIGGER assignment_status_delete AFTER DELETE ON assignments
BEGIN
    UPDATE change_stamps SET version = version + 1 WHERE name = 'assignment_status';
END;
CREATE TRIGGER assignment_status_update AFTER UPDATE OF task_id, lead_org_id, deadline_kind, due_on, period_start,
    yearly_month, yearly_day, flagged_at_risk, blocked, cancelled, completed_on, percent, has_updates ON assignments
BEGIN
    UPDATE change_stamps SET version = version + 1 WHERE name = 'assignment_status';
END;
CREATE TRIGGER assignment_status_task AFTER UPDATE OF weight, plan_id ON tasks
BEGIN
    UPDATE change_stamps SET version = version + 1 WHERE name = 'assignment_status';
END;
