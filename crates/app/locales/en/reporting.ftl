# Periodic reporting: templates, data entry, approval, completeness and timeliness, aggregates.

nav-reports = Periodic reports
nav-admin-report-templates = Periodic report templates
admin-hub-report-templates = Write report templates (fields, indicators, validation rules), see their versions and assign them to organisations.

## Statuses
report-status-none = Not opened
report-status-draft = Being filled
report-status-submitted = Awaiting approval
report-status-returned = Returned
report-status-approved = Approved

## Lists
reports-title = Periodic reports
reports-due-heading = Reports your unit must submit
reports-due-hint = The recent periods of the templates assigned to your unit; fill them in bit by bit, save drafts and submit when complete.
reports-due-none = No report template is assigned to your unit.
reports-mine-heading = Your unit's reports
reports-none = No reports yet.
reports-queue-title = Reports awaiting approval
reports-queue-hint = Submitted reports, the earliest submission first. Open a report to return it with comments or to approve it.
reports-queue-empty = No report is waiting.
reports-review-tools = Report tracking tools
reports-awaiting-heading = Reports awaiting your approval
reports-awaiting-count = { $count ->
    [0] No report is waiting
    [one] One report awaiting approval
   *[other] { $count } reports awaiting approval
}
reports-completeness-lead = Which units have submitted and which are missing, period by period
reports-aggregates-lead = Aggregated figures by indicator, area and period
report-template = Template
report-org = Reporting unit
report-period = Period
report-period-hint = For example: 2025 (year), 2025Q3 (third quarter), 2025M07 (July), 2025H1 (first half), 2025N9 (first nine months), 30/11/2025 (ad hoc).
report-status = Status
report-due = Due
report-submitted-at = Submitted
report-actions = Actions
report-late = Late
report-overdue = Overdue
report-open-existing = Open the report
report-start = Start filling
report-choose = — Choose —
report-open-heading = Open a report for another period
report-open-hint = Choose the template, the unit and the period; if the report for that period exists, it is opened again.
report-open-button = Open the report

## Data entry
report-form-hint = Numbers are written the Vietnamese way: dots between thousands (1.234.567), a comma before decimals (12,5). Leave a box empty when there is no figure yet; do not write "N/A". You can save a draft and continue later.
report-form-errors = The report was not saved. Correct the boxes below (what you typed is kept):
report-previous = Previous period
report-previous-period = Previous period for comparison
report-outlier = This value is far from your unit's earlier periods ({ $min } to { $max }); please check it. If it is right, you can still save and submit it.
report-saved-by-other = Value just saved by someone else
report-empty-value = (empty)
report-bounds-between = From { $min } to { $max }.
report-bounds-min = At least { $min }.
report-bounds-max = At most { $max }.
report-unit-money = dong
report-yes = Yes
report-no = No
report-attachments = Attachments
report-attach = Attach files
report-submit = Submit the report
report-save-draft = Save draft
report-edit = Fill in, correct
report-returned-with = The report was returned with this comment:
report-comment-from = Comment by
report-stale = { $who } saved this report at { $when }, after you opened this page. Your figures were not saved but are kept below; the values the other person saved are shown beside each box that differs. Review them and save again.
report-locked-approved = This report was approved by { $who } at { $when } and is locked: it cannot be submitted again or changed. If it must be corrected, ask the approver to unlock it. The figures you just typed are still shown below.
report-locked-submitted = This report was submitted by { $who } at { $when } and awaits approval: it cannot be submitted again or changed unless it is returned. The figures you just typed are still shown below.
report-done-saved = Draft saved. You can continue at any time.
report-done-submitted = Report submitted. The approvers have been notified.
report-done-returned = Report returned with comments; the unit has been notified.
report-done-approved = Report approved and locked; its figures are now in the aggregates.
report-done-unlocked = Report unlocked; its figures are out of the aggregates until it is approved again.

## Viewing, approving
report-template-version = Template version
report-unit-then = Area when reported
report-unit-now = Now part of
report-counts-for = now part of { $unit }
report-counts-for-share = now { $share }% part of { $unit }
report-unlocked-because = The report was unlocked because:
report-decide-heading = Approve or return
report-comment-overall = Overall comment
report-comment-hint = Returning needs at least one comment: an overall comment here, or a comment on a box above.
report-comment-on-field = Comment on this box (when returning)
report-approve = Approve and lock
report-return = Return for correction
report-unlock-heading = Unlock the report
report-unlock-reason = Reason for unlocking
report-unlock = Unlock
report-already-decided = The report is no longer awaiting approval: it is now "{ $status }" ({ $who }, { $when }). The comments you typed are kept below.

## History
report-history-title = Value history
report-history-values = Every change of every box
report-history-none = No change yet.
report-history-when = When
report-history-who = Changed by
report-history-field = Box
report-history-version = Report version

## Completeness and timeliness
completeness-title = Report submission
completeness-expected = Units that must report
completeness-sent = Submitted
completeness-on-time = On time
completeness-late = Late
completeness-missing = Not submitted
completeness-timeliness = Timeliness
completeness-in-time = On time
completeness-not-expected = Not required to report
completeness-sent-late = { $days ->
    [one] { $days } day late
   *[other] { $days } days late
}
completeness-overdue = { $days ->
    [one] Overdue by { $days } day
   *[other] Overdue by { $days } days
}

## Aggregates
aggregates-title = Aggregated figures
aggregates-current-hint = Figures of former units count for the administrative units that succeeded them today (by the configured shares, or wholly for the default successor), so that years before and after the 2025 reorganisation compare.
aggregates-reported-hint = Each figure counts for the unit that reported it, on the administrative map at the end of its period.
aggregates-map = Administrative map
aggregates-map-current = By today's units
aggregates-map-reported = By the units at the time
aggregates-province = Province
aggregates-from = From year
aggregates-to = To year
aggregates-period = Or one period
aggregates-period-hint = For example 2025Q3; leave empty for years.
aggregates-none = No approved figures yet.
aggregates-indicator = Indicator
aggregates-unit = Unit
aggregates-chart-it = Chart this indicator
aggregates-total = Whole province
aggregates-by-unit = By administrative unit
aggregates-admin-unit = Administrative unit
aggregates-value = Value
aggregates-reports-behind = The approved reports behind the figure
aggregates-reports-behind-unit = The reports behind the figure of { $unit }
aggregates-no-reports = No report you may see.
report-rule-sum = summed
report-rule-average = averaged
report-rule-latest = end-of-period
report-rule-ratio = ratio

## Templates (administration)
report-templates-title = Periodic report templates
report-templates-intro = A template has sections, typed boxes, indicators, validation rules, a periodicity and a due date. Every save makes a new version; reports already opened keep the version they were filled on.
report-templates-none = No template yet.
report-template-new-title = New template
report-template-code = Code
report-template-periodicity = Periodicity
report-template-due-days = Due (days after)
report-template-saved = Saved by, at
report-template-retired = Retired
report-template-retire = Retire
report-template-reinstate = Reinstate
report-template-errors = The template was not saved; what you wrote is kept:
report-template-definition = Template definition (TOML)
report-template-definition-hint = See the syntax reference beside it; problems are reported with their line number.
report-template-save = Save as a new version
report-template-preview = Preview
report-template-previewed = The template is valid; see the preview below. Not saved yet.
report-template-unchanged = The text is the same as the version in use; nothing to save.
report-template-loaded-version = Version { $version } loaded; press "Save as a new version" to use it again.
report-template-reference = Syntax reference
report-ref-template = The template's code (kept across versions), its Vietnamese and English names.
report-ref-periodicity = Periodicity: monthly, quarterly, half_yearly, nine_monthly, yearly, ad_hoc.
report-ref-due-days = Due date: days after the period's last day (for example 32: a yearly report is due on 1 February).
report-ref-indicator = An indicator: code, name, unit, aggregate; shared by every template that reports it.
report-ref-aggregate = How it adds up: sum, average, latest (end-of-period stock, summed over units), ratio (a percentage; needs numerator and denominator, two other indicators).
report-ref-section = A section of the form: title (and title_en), then its boxes.
report-ref-field = A box: code (letters, digits, _), label, type.
report-ref-bounds = Required to submit; smallest and largest value (numbers).
report-ref-pattern = A pattern (regular expression) for a text box and the explanation shown when it does not match.
report-ref-choices = The choices of a choice box, for example ["Nhà nước", "Ngoài nhà nước"].
report-ref-field-indicator = The indicator a number box feeds.
report-ref-help = Help under the box; English label and help.
report-ref-rule = A rule between boxes: check = "spent <= allocated" (<=, >=, <, >, =, != between sums, differences and products of number boxes), message and message_en.
report-ref-types = Box types
report-kind-integer = Whole number (1.234)
report-kind-decimal = Decimal number (12,5)
report-kind-percent = Percentage (12,5 or 12,5%)
report-kind-money = Amount in dong (1.250.000 or 1.250.000 đ)
report-kind-text = Text
report-kind-yes_no = Yes / no
report-kind-choice = One of the choices
report-kind-date = Date (31/12/2025)
report-template-preview-heading = The form will look like this
report-template-preview-none = No preview while the definition has problems.
report-template-versions = Versions
report-template-version-n = Version { $version }
report-template-in-force = in use
report-template-done-saved = A new version of the template was saved.
report-template-done-target = The units that must report were updated.
report-template-done-retired = The template was retired.
report-template-done-reinstated = The template was reinstated.
report-targets = Units that must report
report-targets-hint = Assign to single organisations, or to every organisation of a kind (optionally in one province, for example every commune People's Committee of province 22).
report-targets-none = Not assigned yet.
report-target-org = Organisation
report-target-or = or every organisation of the kind:
report-target-kind-label = Kind of organisation
report-target-province = Province code
report-target-province-hint = Two digits, for example 22 (Quảng Ninh); empty for the whole country.
report-target-add = Assign the template
report-target-remove = Unassign
report-target-kind = Every { $kind }
report-target-kind-in = Every { $kind } of province { $province }

## Box errors
field-not_a_number = "{ $value }" is not a number. Enter a number (for example 1.234 or 12,5); if there is no figure yet, leave the box empty.
field-number_grouping = "{ $value }" has its separators in the wrong places: dots between thousands (1.234.567), a comma before decimals (12,5).
field-not_whole = This box takes a whole number; "{ $value }" has decimals.
field-not_yes_no = Choose "Yes" or "No".
field-not_a_choice = "{ $value }" is not one of this box's choices.
field-below_min = The value cannot be less than { $min }.
field-above_max = The value cannot be more than { $max }.
field-pattern = "{ $value }" does not have the expected form: { $hint }.
field-rule = { $message }
field-period_format = "{ $value }" is not a period; for example 2025, 2025Q3, 2025M07, 2025H1, 2025N9 or 2025-11-30.
field-period_wrong_kind = "{ $value }" is not a period of this template's periodicity.
field-period_future = The period "{ $value }" has not begun.
field-period_outside_organization = The unit did not exist at the end of the period "{ $value }" (in existence: { $validity }), so it does not report for it.
field-unknown_template = There is no such template, or it is retired.
field-not_a_target = This unit is not required to report this template.
field-return_needs_comment = To return a report, write an overall comment or a comment on at least one box.
field-unknown_report_field = The template has no box "{ $name }".
field-template_problem = Line { $line }: { $message }
field-template_code_changed = The template's code must stay "{ $code }"; to make another template, use "New template".
field-template_code_taken = A template with the code "{ $code }" exists; edit it or choose another code.
field-template_stale = { $by } has just saved version { $version } of this template; what you wrote is kept. Review the new version and save again.
field-indicator_rule_in_use = Line { $line }: indicator { $code } is aggregated as "{ $rule }" from approved reports; its rule cannot change. Use a new indicator code.
field-target_one_of = Choose an organisation, or a kind of organisation (not both).
field-target_exists = The template is already assigned that way.
field-year_range = The first year must not come after the last, at most 30 years apart.

error-report_locked = The report was submitted or approved
    .detail = This report was submitted or approved, so it cannot be submitted again or changed.
error-report_exists = The report exists
    .detail = The unit's report for this period is already open.

## Notifications
notify-report-submitted = Report awaiting approval: { $template } — { $period }
notify-report-return = Report returned: { $template } — { $period }
notify-report-approve = Report approved: { $template } — { $period }
notify-report-unlock = Report unlocked for correction: { $template } — { $period }
report-reminder-due-soon = Report due soon: { $template } — { $period }, due { $due }
report-reminder-overdue = Report overdue: { $template } — { $period }, was due { $due }
report-reminder-body = Reporting unit: { $org }

## Excel report forms
report-download-form = Download the Excel form
report-upload-link = Submit with an Excel file
report-upload-title = Submit a report in Excel: { $template }
report-upload-heading = Submit the report with an Excel file
report-upload-hint = Download this report's Excel form, fill in the yellow cells and upload it. Every cell is checked first; if anything is wrong, nothing is written.
report-upload-file = The filled Excel file (.xlsx)
report-upload-submit = Upload and submit
report-upload-save = Upload and save as a draft
report-upload-refused = The file was not accepted and nothing was written. Correct the problems below in the file and upload it again.
report-upload-problems = Problems in the file
xlsx-sheet = Sheet
xlsx-row = Row
xlsx-column = Column
xlsx-field = Indicator
xlsx-problem = Problem
xlsx-no-file = Choose the filled Excel file (.xlsx).
xlsx-not_xlsx = The file is not an Excel .xlsx workbook (detected: { $detected }). Open it in Excel and save it as .xlsx.
xlsx-encrypted = The file is protected by a password. Remove the password and upload it again.
xlsx-too_large = The file unpacks to more than { $limit_mb } MB and may be harmful.
xlsx-damaged = The file is damaged ({ $part }). Download a new form.
xlsx-missing_sheet = The sheet “{ $sheet }” is missing. Download a new form from Tiến Độ.
xlsx-not_a_form = The file is not a form downloaded from Tiến Độ. Download this report's form.
xlsx-metadata_damaged = The form's hidden sheet was changed (entry { $key }). Download a new form.
xlsx-wrong_template = The file is the form “{ $found }”, not “{ $expected }”.
xlsx-wrong_organisation = The file is another organisation's form, not this report's.
xlsx-wrong_period = The file is the form of period { $found }, not { $expected }.
xlsx-header_not_found = The row of column headers (No., Code, Indicator, …, Value) was not found.
xlsx-missing_column = The column “{ $column }” is missing.
xlsx-duplicate_column = The column “{ $column }” appears twice.
xlsx-unknown_field = The code “{ $code }” is not in the report template.
xlsx-duplicate_field = The code “{ $code }” has two rows (first: row { $first_row }).
xlsx-missing_field = The row of the indicator with code “{ $code }” is missing.
xlsx-cell_error = The cell holds the formula error { $error }. Enter a value.
xlsx-header_moved = The column “{ $column }” was moved from column { $expected } to column { $found }; it was still read by its header.
xlsx-template_version_changed = The file was made from version { $found } of the template; the report uses version { $expected }. It was still read.
aggregates-download = Download the Excel table
aggregates-sheet = Totals
aggregates-xlsx-title = Indicator totals of { $province }
aggregates-xlsx-source = Tiến Độ — approved periodic reports
aggregates-xlsx-attribution = Figures reported by former units (before 1 July 2025) are attributed to their successors on today's map (the default successor, or a configured share when a unit was split); the original reporting unit is kept.

## Reporting API
error-report_stale = The report was just saved by someone else
    .detail = The report changed since the version you read; read it again and send the values again.
error-report_already_decided = The report was already decided
    .detail = The report is no longer awaiting approval (it was approved or returned).
field-unknown_status = "{ $value }" is not a report status (draft, submitted, returned, approved).
field-decision_unknown = "{ $value }" is not a decision that can be taken here.
field-map_unknown = "{ $value }" is not a map; use current or reported.

## Audit trail (periodic reporting)
audit-report-opened = Opened the report { $template } — { $period }
audit-report-saved = Saved the report { $template } — { $period }
audit-report-submitted = Submitted the report { $template } — { $period }
audit-report-returned = Returned the report { $template } — { $period }
audit-report-approved = Approved the report { $template } — { $period }
audit-report-unlocked = Unlocked the report { $template } — { $period }
audit-report-form-created = Created the report form { $name } ({ $code })
audit-report-form-saved = Saved the report form { $name }, version { $version }
audit-report-form-retired = Retired the report form { $name }
audit-report-form-reinstated = Reinstated the report form { $name }
audit-report-form-assigned-org = Assigned the report form { $name } to { $org }
audit-report-form-assigned-kind = Assigned the report form { $name } to every organisation of the kind { $kind }
audit-report-form-assigned-kind-in = Assigned the report form { $name } to every organisation of the kind { $kind } in province { $province }
audit-report-form-unassigned = Withdrew the report form { $name } from { $target }
audit-report-aggregates-rebuilt = Recomputed the aggregates of { $reports } approved reports on the map of { $day }
audit-report-aggregates-exported = Exported the aggregate table ({ $count } indicators)
