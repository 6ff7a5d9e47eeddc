# Common: page chrome, navigation, home page. Vietnamese is the source.

site-name = Tiến Độ
site-tagline = Tracking science and technology tasks
site-description = Assign, follow up, report and publish the results of science, technology and innovation tasks.
skip-to-content = Skip to main content
lang-switch-label = Choose a language
lang-vi = Tiếng Việt
lang-en = English
nav-label = Main navigation
nav-menu = Menu
nav-home = Home
nav-api = API reference
footer-operated = Runs on the Tiến Độ platform.

home-title = Home
home-heading = Following through on resolutions for science, technology and innovation
home-lead = Tiến Độ helps the Department assign tasks to departments, communes, wards and research institutes, follow progress against deadlines, collect periodic reports and publish the results to citizens, in one system instead of paper, spreadsheets and e-mail.
home-values-title = One system for the whole process
home-value-assign = Clear assignments
home-value-assign-text = Every task has a lead unit, coordinating units, a deadline and an expected product; its status is computed from the deadline, not typed in.
home-value-report = Reports on time
home-value-report-text = Units report progress with evidence; the system reminds them before and after the deadline, and leaders see at once who is late.
home-value-open = Open to the public
home-value-open-text = News, each locality's results and the register of science and technology tasks are published for citizens.

api-docs-title = API reference
api-docs-contents = API reference contents
api-docs-operations = Operations
api-docs-schemas = Schemas
api-docs-errors = Error codes
api-docs-errors-intro = Every error is returned as application/problem+json (RFC 9457) with one of the stable codes below; the detail field is translated into the request's language.
api-docs-intro = This reference is generated from the code. The complete OpenAPI 3 document:
api-docs-auth = Requires a personal access token (Authorization: Bearer).
api-docs-parameters = Parameters
api-docs-body = Request body
api-docs-responses = Responses
api-docs-name = Name
api-docs-in = In
api-docs-type = Type
api-docs-description = Description
api-docs-status = Status

# Names of the audited actions (action-<code>).
action-create = Created
action-update = Updated
action-delete = Deleted
action-submit = Report submitted
action-accept = Accepted
action-return = Returned
action-login = Signed in
action-login_failed = Failed sign-in
action-logout = Signed out
action-grant_role = Role granted
action-revoke_role = Role revoked
action-issue_reset = Password link issued
action-reset_password = Password reset
action-change_password = Password changed
action-create_token = API token created
action-revoke_token = API token revoked
action-export = Data exported
action-set_flags = Flags set
action-add_task = Task added
action-add_target = Target added
action-record_value = Figure recorded
action-attach = File attached
action-move = Moved
action-record_change = Change recorded
action-succeed = Succeeded
action-add_affiliation = Role added
action-end_affiliation = Role ended
action-move_affiliation = Role moved
action-restore = Restored
action-restore_default = Default restored
action-enable = Account enabled
action-disable = Account disabled

# Periodic reporting.
action-approve = Approve
action-unlock = Unlock
action-retire = Retire
action-reinstate = Reinstate
action-assign_template = Assign template
action-unassign_template = Unassign template
action-set_shares = Set attribution shares
action-rebuild = Rebuild aggregates
