# Monitoring: documents, plans, assignments, progress updates, dashboards.

nav-dashboard = Dashboard
nav-assignments = Assignments
nav-plans = Plans
nav-documents = Documents

breadcrumbs = Breadcrumbs
filter-all = All
sample-data = Sample data
form-edit = Edit
chart-data = Data of the chart
chart-kind-bar = Bar chart
chart-kind-stacked-bar = Stacked bar chart
chart-kind-line = Line chart
chart-kind-donut = Donut chart
chart-description = { $kind } “{ $title }”: { $count } groups. The data table follows.
upload-hint = PDF, Word, Excel, PowerPoint, OpenDocument, images (PNG, JPEG, WebP) or plain text, up to 20 MB each.
pager-label = Pages
pager-previous = ← Previous
pager-next = Next →
pager-position = Page { $page } of { $pages }
export-xlsx = Download Excel

## Status (the Government's four categories, plus cancelled)
status-completed_on_time = Completed on time
status-completed_late = Completed late
status-in_progress = In progress, on time
status-not_started = Not started
status-overdue = Overdue, not completed
status-cancelled = Cancelled
status-at_risk = At risk
status-blocked = Blocked
status-days-late = { $days ->
    [one] { $days } day late
   *[other] { $days } days late
}

priority-low = Low
priority-normal = Normal
priority-high = High

## Documents
documents-title = Directing documents
documents-search-placeholder = 07-NQ/TU, science…
documents-filter-q = Search by number, symbol or summary
documents-count = { $total ->
    [one] { $total } document
   *[other] { $total } documents
}
document-new-title = Add a document
document-edit-title = Edit the document
document-symbol = Number and symbol
document-symbol-hint = For example 07-NQ/TU, 57-NQ/TW, 1234/QĐ-UBND.
document-type = Document type
document-type-hint = Leave empty to take it from the symbol.
document-type-from-symbol = From the symbol
document-issuer = Issued by
document-issued-on = Issued on
document-effective-on = Effective from
document-signer = Signed by
document-summary = Summary
document-party-term = Term (Party documents)
document-party-term-hint = For example 2015–2020.
document-implements = Implements
document-year-issued = Year issued
document-system = System
document-system-state = State
document-system-party = Party
document-files = Files
document-no-files = No files yet.
document-add-file = Attach a file
document-upload = Upload
document-relations = Related documents
document-no-relations = No related documents yet.
document-plans = Plans and programmes implementing it
document-no-plans = No plan implements this document yet.
document-open-existing = Open the existing document
relation-implements-out = Implements
relation-implements-in = Implemented by
relation-amends-out = Amends
relation-amends-in = Amended by
relation-replaces-out = Replaces
relation-replaces-in = Replaced by

## Plans, targets, tasks
plans-title = Resolutions, programmes and plans
plans-intro = Each resolution, programme or plan has targets and tasks assigned to organisations.
plans-none = No plans yet.
plan-new-title = Add a plan
plan-edit-title = Edit the plan
plan-title = Title
plan-kind = Kind
plan-kind-resolution = Resolution
plan-kind-programme = Programme
plan-kind-plan = Plan
plan-document = Document
plan-parent = Part of (a higher programme or resolution)
plan-owner = Organisation that follows it
plan-period-start = From
plan-period-end = To
plan-children = Component plans and programmes
plan-add-child = Add a component plan
plan-targets = Targets
plan-no-targets = No targets yet.
plan-targets-chart = Targets reached
plan-targets-reached = Reached (%)
plan-tasks = Tasks
plan-no-tasks = No tasks yet.
plan-report-docx = Report (Word)
plan-report-pdf = Report (PDF)

target-name = Target
target-unit = Unit
target-unit-placeholder = %, tasks, enterprises…
target-direction = Direction
target-higher = Higher is better
target-lower = Lower is better
target-baseline = Baseline
target-baseline-value = Baseline value
target-baseline-year = Baseline year
target-target = Goal
target-target-value = Goal value
target-target-year = Goal year
target-latest = Latest figure
target-reached = Reached
target-met = Met
target-not-met = Not met
target-add = Add a target
target-record = Record a figure
target-year = Year
target-value = Value

task-code = Code
task-title = Task
task-parent = Part of task
task-weight = Weight
task-expected-product = Expected product
task-add = Add a task
task-assign = Assign

## Assigning
assign-title = Assign a task
assign-leads = Lead organisations
assign-leads-hint = Each organisation chosen gets its own assignment to report on.
assign-all-communes = All { $count } commune People's Committees
assign-coordinators = Coordinating organisations
assign-submit = Assign
deadline-kind-fixed = By a date
deadline-kind-yearly = Every year
deadline-kind-continuous = Continuous
deadline-kind-period = Over a period
deadline-date = Due date
deadline-yearly-day = Day of the year (dd/mm)
deadline-period-from = From
deadline-period-to = To
deadline-fixed = By { $date }
deadline-yearly = Every year by { $day }/{ $month }
deadline-continuous = Continuous
deadline-period = From { $from } to { $to }

assignments-title = Assignments
assignments-count = { $total ->
    [one] { $total } assignment
   *[other] { $total } assignments
}
assignments-none = No assignments.
assignment-search = Search the task
assignment-task = Task
assignment-crumb-task = Task { $code }
assignment-plan = Plan
assignment-org = Organisation
assignment-lead = Lead
assignment-coordinators = Coordinating
assignment-status = Status
assignment-due = Due
assignment-progress = Progress
assignment-deadline = Deadline
assignment-assigned-on = Assigned on
assignment-priority = Priority
assignment-source = Under document
assignment-origin = Origin
assignment-note = Note
assignment-flags = Flags
assignment-blocked-reason = What blocks it

## Progress updates
updates-heading = Progress updates
updates-none = No updates yet.
update-new = Report progress
update-form-title = Progress update
update-narrative = What was done
update-percent = Progress (%)
update-percent-hint = From 0 to 100. Write 100 when completed.
update-completion = Completed on
update-completion-hint = Only when the task is completed (progress 100%).
update-difficulties = Difficulties
update-recommendations = Recommendations
update-evidence = Evidence files
update-links = Evidence links
update-links-hint = One address per line, starting with https://.
update-save-draft = Save draft
update-submit = Submit
update-delete = Delete draft
update-delete-confirm = Delete this draft?
update-returned-with = Returned with:
update-decision-comment = Comment
update-accept = Accept
update-return = Return
update-return-needs-comment = When returning an update, write a comment so the organisation knows what to add.
update-already-decided = { $who } already decided on this update ({ $status }) at { $when }.
update-not-submitted = This update is not waiting for a decision (it was not submitted, or was submitted again).
update-status-draft = Draft
update-status-submitted = Submitted
update-status-accepted = Accepted
update-status-returned = Returned
update-done-submitted = Progress update submitted.
update-done-saved = Draft saved.
update-done-accepted = Update accepted.
update-done-returned = Update returned.
update-done-deleted = Draft deleted.
update-done-flags = Flags saved.
update-done-conflict = Someone else changed this update while you were editing. Check it and save again.
notify-update-accept = Progress update accepted: { $task }
notify-update-return = Progress update returned: { $task }
notify-update-submitted = New progress update: { $task }

## Dashboards
dashboard-title = Dashboard
dashboard-as-of = Figures as of { $date }
dashboard-assignments = Assignments
dashboard-progress = Overall progress
dashboard-by-status = By status
dashboard-chart-status = Assignments by status
dashboard-by-plan = By plan
dashboard-who-is-late = Organisations with overdue assignments
dashboard-nobody-late = No organisation has an overdue assignment.
dashboard-most-overdue = Longest overdue
dashboard-timeline = Recent progress updates
dashboard-no-updates = No progress update yet.
overdue-title = Overdue assignments
overdue-intro = Assignments past their deadline and not completed, the longest overdue first.
overdue-total = { $count ->
    [one] One assignment is overdue.
   *[other] { $count } assignments are overdue.
}
overdue-none = Nothing is overdue.
overdue-days = Days overdue
overdue-see-all = See every overdue assignment
org-leads = Leading
org-coordinates = Coordinating
localities-title = By locality
localities-map = Administrative map
localities-map-new = After the reorganisation (from 1 July 2025)
localities-map-old = Before the reorganisation
localities-new-intro = Assignments by current commune-level unit; an old organisation's assignments count for its successor.
localities-old-intro = Assignments by the district and commune units before 1 July 2025, as in older reports.
localities-unit = Administrative unit
localities-orgs = Organisations
localities-none = No assignment is tied to a locality yet.

## Field errors
field-symbol_empty = Enter the document's number and symbol.
field-symbol_missing_number = The symbol lacks the document number (as 1234 in 1234/QĐ-UBND).
field-symbol_bad_number = The number “{ $part }” is not valid.
field-symbol_bad_year = The year “{ $part }” is not valid.
field-symbol_missing_type = The symbol lacks the document type (as QĐ in 1234/QĐ-UBND).
field-symbol_unknown_type = Unknown document type “{ $part }”.
field-symbol_missing_issuer = The symbol lacks the issuing body (as UBND in 1234/QĐ-UBND or TU in 07-NQ/TU).
field-symbol_unexpected = “{ $part }” does not belong in a document symbol.
field-doc_type_required = Choose the document type.
field-doc_type_mismatch = The type differs from the symbol ({ $symbol }).
field-document_exists = Document { $symbol } is already in the register.
field-effective_before_issued = A document cannot take effect before it is issued.
field-period_reversed = The end must come after the start.
field-plan_cycle = A plan cannot be part of itself or of its own component.
field-number_format = Enter a number (decimal comma, as 1,5).
field-year_format = Enter a four-digit year.
field-yearly_format = Enter the day as dd/mm, as 15/12.
field-lead_required = Choose at least one lead organisation.
field-deadline_before_assignment = The deadline cannot come before the assignment date.
field-no_such_day = There is no such day.
field-percent_range = Progress must be between 0 and 100.
field-percent_format = Enter progress as a whole number.
field-completion_needs_100 = Give a completion date only when progress is 100%.
field-date_future = The date cannot be in the future.
field-completion_before_assignment = Completion cannot come before the assignment date.
field-link_format = “{ $link }” is not an http:// or https:// address.
field-file_too_large = “{ $name }” is larger than { $max }.
field-file_type = “{ $name }” is not an accepted kind of file (PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, WebP, plain text).
field-file_missing = Choose a file to upload.
field-update_final = The update was submitted or decided and can no longer be edited.
field-update_stale = The update was changed elsewhere. Reload the page.
field-weight_positive = The weight must be a number greater than 0.

## Errors
error-assignment_cancelled = Assignment cancelled
    .detail = This assignment was cancelled and takes no new updates.
error-update_final = The update can no longer be edited
    .detail = It was submitted or decided. Only drafts and returned updates can be edited.
    .detail = An update can only be accepted or returned.
error-update_stale = The update was changed elsewhere
    .detail = The update changed after you read it (its version moved on). Read it again and send your content with the new version.
error-update_already_decided = The update was already decided
    .detail = { $who } already decided on this update ({ $status }) at { $when }.
error-update_not_submitted = The update is not waiting for a decision
    .detail = Only a submitted update can be accepted or returned; this one was not submitted.
error-document_exists = The document is already registered
    .detail = Document { $symbol } is already in the register (same issuer, type, number and year or term).

## Status colours
status-colors-title = Status colours
status-colors-intro = The colours of the dashboards, lists and charts. White text must stay readable on each (contrast at least 4.5:1).
status-colors-color = Colour (#rrggbb)
status-colors-current = Preview
status-colors-default = Default:
status-colors-saved = Status colours saved.
field-color_format = Enter a colour as #rrggbb, as #1a5fa8.
field-color_contrast = White text is hard to read on this colour (contrast { $ratio }:1, at least 4.5:1 needed). Choose a darker one.
nav-admin-status-colors = Status colours
target-source = Source of the figure

## Audit trail of monitoring
audit-monitoring-document-created = Registered document { $symbol }
audit-monitoring-document-updated = Edited document { $symbol }
audit-monitoring-document-attached = Attached file { $file } to document { $symbol }
audit-monitoring-plan-created = Created plan { $title }
audit-monitoring-plan-updated = Edited plan { $title }
audit-monitoring-target-added = Added target { $name }
audit-monitoring-value-recorded = Recorded the { $year } value of target { $target }
audit-monitoring-task-added = Added task { $title }
audit-monitoring-assigned = Assigned task { $task } to { $lead }
audit-monitoring-flags-set = Set the flags of task { $task }
audit-monitoring-update-drafted = Saved a draft progress update ({ $percent }%)
audit-monitoring-update-submitted = Submitted a progress update ({ $percent }%)
audit-monitoring-update-edited = Edited a progress update ({ $percent }%)
audit-monitoring-update-accepted = Accepted a progress update ({ $percent }%)
audit-monitoring-update-returned = Returned a progress update ({ $percent }%)
audit-monitoring-update-deleted = Deleted a draft progress update
audit-monitoring-exported = Exported { $what } ({ $rows } rows)
audit-monitoring-colors-saved = Changed the colours of the task statuses
