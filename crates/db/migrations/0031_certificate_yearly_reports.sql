-- The yearly reports of certified enterprises go through the reporting engine (form DN-KHCN, issue 18
-- item 4): a re-check of the conditions is recorded when the department approves such a report, and
-- points at it, so that unlocking the report takes its re-check back. Re-checks recorded before (sent
-- through the certificate's own form) keep no report.
ALTER TABLE cert_reports ADD COLUMN report_id BIGINT REFERENCES reports (id);
CREATE INDEX cert_reports_report ON cert_reports (report_id);
