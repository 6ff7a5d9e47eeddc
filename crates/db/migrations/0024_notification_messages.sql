-- A notification's title and body as messages with their arguments (JSON: {"title": …, "body": …}), so that
-- each reader sees them in their own language; NULL for the notifications written before, which are shown
-- in the Vietnamese stored in `title` and `body` (still written with every notification, for e-mail, the API
-- and the command line).
ALTER TABLE notifications ADD COLUMN message TEXT;
