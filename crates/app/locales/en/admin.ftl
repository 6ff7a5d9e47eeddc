# My account, user and role administration, the audit trail.

account-title = Account
account-heading = My account
account-profile = Account details
account-display-name = Full name
account-email = E-mail
account-organization = Organisation
account-change-password = Change password
account-roles = Roles and scopes
account-no-roles = No role assigned yet.
account-password-changed = Your password has been changed. Your other sessions have been signed out.
account-token-revoked = The token has been revoked.

tokens-heading = Personal API tokens
tokens-intro = A token lets other software call the Tiến Độ API on your behalf (header Authorization: Bearer …). It has exactly your account's rights; keep it secret and revoke it when no longer needed.
tokens-created = Here is your new token. Copy and store it now: it is shown only once.
tokens-name = Name
tokens-prefix = Token (start)
tokens-created-at = Created
tokens-expires = Expires
tokens-last-used = Last used
tokens-actions = Actions
tokens-never = Never
tokens-revoke = Revoke
tokens-revoke-confirm = Revoke this token? Software using it will no longer be able to call the API.
tokens-inactive = No longer valid
tokens-new = New token
tokens-expires-optional = Expiry date (optional)
tokens-expires-hint = Leave empty for a token that does not expire.
tokens-create = Create token

password-title = Change password
password-forced = You need to choose a new password before you continue.
password-submit = Save the new password

admin-users-title = Users
admin-user-new = Add a user
admin-users-filter = Search by name or username
admin-users-none = No matching user.
admin-users-status = Status
admin-users-last-login = Last sign-in
status-active = Active
status-disabled = Disabled
filter-apply = Filter
form-has-errors = Some fields are invalid. Correct the fields marked below.
form-save = Save

admin-user-new-title = Add a user
admin-username-hint = 3–40 characters: lower-case letters without diacritics, digits, dot, hyphen, underscore. Example: nguyen.van.an
admin-user-new-hint = Once created, the system issues a one-time link for the user to choose their own password; administrators never know it.
admin-user-create = Create the account
admin-user-created = Created
admin-reset-issued = Password link (one-time, valid for 72 hours). Send it to the user over a safe channel; it is shown only once.
admin-reset-issue = Issue a password reset link
admin-disable = Disable the account
admin-disable-confirm = Disable this account? The user will be signed out and unable to sign in until it is enabled again.
admin-enable = Enable the account
admin-grant-add = Grant another role
admin-grant-role = Role
admin-grant-scope = Scope
admin-grant-org = Organisation of the scope
admin-grant-submit = Grant the role
admin-grant-remove = Revoke
admin-grant-remove-confirm = Revoke this role?

scope-province = Whole province
scope-kind-organization = One organisation
scope-kind-subtree = An organisation and those under it
scope-organization = Organisation: { $org }
scope-subtree = { $org } and the organisations under it

role-administrator = Administrator
role-department_leader = Department leader
role-department_officer = Department officer
role-locality_officer = Commune or ward officer
role-partner_officer = Partner officer
role-expert = Expert
role-applicant = Applicant
role-editor = Editor
role-moderator = Moderator

admin-audit-title = Audit trail
audit-verify = Verify integrity
audit-chain-intact = The audit chain is intact: { $events } events checked with the key, none altered or deleted (no anchor yet to check the newest events against).
audit-chain-intact-anchored = The audit chain is intact: { $events } events checked with the key; it matches the anchor of { $at } (event #{ $id }).
audit-chain-broken-link = The audit chain is broken at event #{ $id }: its link to the previous event does not match (an event before it was deleted or altered).
audit-chain-broken-content = The audit chain is broken at event #{ $id }: its content does not match its hash (it was edited, or its hash recomputed without the key).
audit-chain-truncated = The audit chain is truncated: the anchor of { $at } records event #{ $id } but the trail ends at event #{ $last }; the newest events were deleted.
audit-chain-rewritten = The audit chain was rewritten: event #{ $id } no longer has the hash anchored on { $at }; the chain was recomputed.
audit-chain-not-sealed = The audit chain has not been sealed with a key (no server has started on this database).
audit-chain-wrong-key = The audit chain was sealed with another key than this server's.
audit-actor = Actor (username)
audit-entity = Entity type
audit-entity-id = Entity id
audit-action = Action
audit-entity-kind-admin_unit = Administrative unit
audit-entity-kind-admin_unit_change = Administrative unit change
audit-entity-kind-article = Article
audit-entity-kind-assignment = Assignment
audit-entity-kind-comment = Comment
audit-entity-kind-export = Data export
audit-entity-kind-organization = Organisation
audit-entity-kind-person = Person
audit-entity-kind-plan = Plan
audit-entity-kind-portal_category = Portal category
audit-entity-kind-report_aggregates = Aggregated figures
audit-entity-kind-session = Sign-in session
audit-entity-kind-setting = Setting
audit-entity-kind-settings = Settings
audit-entity-kind-user = User
audit-entity-kind-visit = Visit
audit-entity-kind-report_template = Report form
audit-entity-kind-report = Periodic report
audit-entity-kind-document = Document
audit-entity-kind-document_template = Document template
audit-entity-kind-update = Progress update
audit-entity-kind-progress_update = Progress update
audit-entity-kind-media = Image
audit-entity-kind-token = API token
audit-entity-kind-other = Other record
audit-entity-kind-database = Database
audit-database-backup = Backed up all data to the file { $file }
audit-database-restored = Restored the data from the backup { $file } taken at { $created } (audit trail up to event #{ $head })
audit-entity-ref = { $kind } (no. { $id })
audit-filter-any = All
audit-from = From
audit-to = To
audit-when = When
audit-summary = Summary
audit-total = { $total ->
    [one] One event found.
   *[other] { $total } events found.
}
audit-unknown-actor = No account has this username.
pager-older = Older

error-cannot_disable_self = You cannot disable your own account
    .detail = You cannot disable the account you are signed in with. Ask another administrator.
error-invalid_status = Invalid status
    .detail = An account's status is either active or disabled.

admin-reset-emailed = The password link (one-time, valid for 72 hours) is being sent to { $email }.
mail-reset-subject = Tiến Độ: set your account password
mail-reset-body =
    Hello { $name },

    An administrator has issued you a link to set the password of your account { $username } on Tiến Độ:

    { $link }

    The link works once, within 72 hours. If you did not ask for a new password, ignore this message and tell your administrator.

error-scope_outside = Outside your scope
    .detail = A role with this scope lies outside the scope you administer. Choose an organisation inside your scope, or ask a province-wide administrator.
error-grant_exists = Role already held
    .detail = The user already holds this role with this scope.
error-invalid_cursor = Invalid page cursor
    .detail = The cursor parameter must be the next value of the previous page.
admin-tokens-none = This user has no API token.

nav-admin = Administration
admin-hub-users = Accounts, roles and scopes; enable or disable accounts, issue password links.
admin-hub-audit = Search every change by person, record and time; verify the integrity of the trail.
admin-hub-templates = Templates of the documents the system produces (notices, reports): preview, versions, restore.
admin-hub-status-colors = The colours of assignment statuses on dashboards, lists and charts.

admin-jobs-title = Failed background jobs
admin-hub-jobs = Background jobs (e-mail, reminders, scheduled publication…) that failed: waiting for a retry or stopped for good, with their last error.
admin-jobs-intro = A failed job is retried after a growing delay; when its attempts run out it stops and stays here for the administrators to look into.
admin-jobs-none = No job has failed.
admin-jobs-kind = Job
admin-jobs-state = State
admin-jobs-attempts = Attempts
admin-jobs-at = When
admin-jobs-error = Last error
admin-jobs-dead = Stopped
admin-jobs-retrying = Waiting for a retry
job-kind-purge_finished_jobs = Purge finished jobs
job-kind-purge_sessions = Purge expired sessions
job-kind-send_email = Send e-mail
job-kind-certificate_clock_reminders = S&T enterprise certificate deadline reminders
job-kind-weekly_digest = Weekly digest
job-kind-directive_escalation = Escalate overdue directives to the leaders
job-kind-publish_scheduled = Publish scheduled articles
job-kind-deadline_reminders = Task deadline reminders
job-kind-report_reminders = Periodic report reminders
job-kind-rebuild_report_aggregates = Rebuild report aggregates
