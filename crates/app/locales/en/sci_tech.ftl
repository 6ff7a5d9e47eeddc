# S&T tasks (issue 16): calls, proposals and dossiers, councils, the approved list.

nav-st = S&T tasks

## Calls
st-calls-title = Calls for S&T tasks
st-calls-lead = The Department of Science and Technology calls for task proposals, for selection of a host organisation, or invites one organisation directly. Each call has a deadline to the minute, Vietnam time.
st-calls-count = { $count ->
    [0] No calls
    [one] One call
    *[other] { $count } calls
}
st-calls-none = No call yet.
st-filter-q = Search by name
st-call-new = Open a call
st-call-edit = Edit the call
st-call-title = Name of the call
st-call-title-hint = For example: call for provincial S&T task proposals for 2027
st-call-year = Plan year
st-call-regime = Legal basis
st-call-route = Kind of call
st-call-opens = Receiving from
st-call-opens-on = First day of receipt
st-call-closes-on = Deadline day
st-call-time = Time
st-call-closes-time-hint = Empty means 23:59
st-call-deadline = Deadline
st-call-deadline-hint = Nothing is received from the very minute of the deadline on (Vietnam time).
st-call-organizer = Issued by
st-call-fields = Fields
st-call-eligibility = Who may apply, and on what conditions
st-call-forms = Forms to fill
st-call-description = Orientation and priorities
st-call-listed = Task in the approved list
st-call-invited = Organisation invited
st-call-stage-b = Selection or direct assignment
st-call-stage-b-hint = Only for a call for selection or a direct assignment: choose the task of the approved list (with the same mode); for a direct assignment, the organisation invited.
st-call-received = Received
st-call-proposals = Proposals and dossiers received
st-call-publish = Publish the call
st-call-publish-confirm = Publish this call on the portal?
st-call-done-created = The call is recorded. Check it, then publish it.
st-call-done-saved = The call is saved.
st-call-done-published = The call is published.
st-one-per-line = One item per line.
st-propose = Write a proposal
st-instant = { $time } on { $date }
st-phase-draft = Not published
st-phase-upcoming = Opening soon
st-phase-open = Receiving
st-phase-closed = Closed
st-regime-2013 = Law on S&T, 2013
st-regime-2025 = Law on S&T and Innovation, 2025
st-route-order = Task proposals
st-route-selection = Selection
st-route-direct = Direct assignment
st-route-grant = Grant
st-route-grassroots = Grassroots task
st-mode = Mode of implementation
st-mode-selection = Selection
st-mode-direct = Direct assignment

## Proposals
st-proposals-title = Task proposals and dossiers
st-my-proposals = My proposals
st-proposals-count = { $count ->
    [0] No proposals
    [one] One proposal
    *[other] { $count } proposals and dossiers
}
st-proposals-none = No proposal.
st-proposal-new = Write a task proposal
st-proposal-edit = Edit the proposal
st-proposal-title = Name of the task
st-proposal-field = Field
st-proposal-urgency = Why it is urgent
st-proposal-objectives = Objectives
st-proposal-content = Main content
st-proposal-content-heading = The proposal
st-proposal-duration = Duration (months)
st-proposal-when = Sent
st-proposal-sent = First sent
st-months = { $count ->
    [one] one month
    *[other] { $count } months
}
st-products = Expected products
st-products-hint = One product per line with its quantity and unit; leave spare lines empty.
st-products-none = No product yet.
st-product-name = Product
st-product-unit = Unit
st-product-quantity = Quantity
st-product-requirements = Scientific and technical requirements
st-add-product = Add a product line
st-budget-total = Estimated budget (VND)
st-money-hint = For example: 1.500.000.000
st-budget-sources = Budget by source (VND)
st-budget-sources-hint = The sources must add up exactly to the total.
st-source-state_budget = State budget (provincial S&T funds)
st-source-counterpart = Host organisation's counterpart funds
st-source-other = Other sources
st-proposer = Proposer
st-proposer-kind = Proposing as
st-proposer-name = Name of the proposer
st-proposer-org-link = See in the directory
st-proposer-organization = Agency or organisation
st-proposer-commune = Commune or ward People's Committee
st-proposer-enterprise = Enterprise
st-proposer-individual = Individual
st-contact-name = Contact person
st-contact-phone = Phone
st-contact-email = E-mail
st-host-name = Intended host organisation
st-pi-name = Intended principal investigator
st-team = Team
st-team-hint = Type a name to pick a person of the directory; someone not in the directory is kept by name.
st-team-name = Full name
st-team-role = Role
st-add-member = Add a team line
st-save-draft = Save the draft
st-send = Send the proposal
st-send-hint = Saving the draft keeps what you typed, even incomplete. To send, every required field must be filled in and the budget's sources must add up to the total.
st-draft-restore = Restore what was not saved
st-draft-restore-hint = Your browser still holds what you typed but could not save (the connection may have dropped).
st-proposal-delete = Delete the draft
st-proposal-delete-confirm = Delete this draft proposal?
st-proposal-done-saved = The proposal is saved.
st-proposal-done-sent = The proposal was sent to the Department of Science and Technology.
st-proposal-done-moved = Recorded.
st-proposal-done-file = The file is attached.
st-proposal-done-removed = The file is detached.
st-similar-heading = Similar tasks and proposals
st-similar-hint = Check them to avoid duplicating an existing task or another proposal.
st-similar-none = No similar task or proposal found yet.
st-files = Attached files
st-files-none = No file yet.
st-file = File
st-file-title = Title of the document
st-file-title-hint = For example: task proposal form (form A1)
st-file-add = Attach
st-file-remove = Detach
st-file-remove-confirm = Detach this file?
st-file-size = { $kb } KB
st-state = Status
st-state-all = Any status
st-next-heading = What to do next:

## States
st-state-draft = Draft
st-state-submitted = Sent, being screened
st-state-invalid = Invalid
st-state-awaiting_identification = Valid, awaiting the identification council
st-state-identification = Before the identification council
st-state-not_recommended = Not recommended
st-state-awaiting_list = Awaiting approval of the list
st-state-listed = In the approved list of tasks
st-state-selection_announced = Selection or direct assignment announced
st-state-assigned = Host organisation assigned
st-state-dossier_valid = Dossier valid, awaiting the council
st-state-selection = Before the selection council
st-state-not_selected = Not selected
st-state-recommended = Recommended for selection
st-state-revising = Revising the description
st-state-budget_appraisal = Budget appraisal
st-state-awaiting_approval = Awaiting approval
st-state-approved = Approved
st-state-cancelled = Cancelled

## Actions
st-actions-heading = Decide
st-action-confirm = Confirm this step?
st-action-submit = Send the proposal
st-action-screen_valid = Valid proposal
st-action-screen_invalid = Invalid proposal
st-action-to_council = Put before the council
st-action-recommend = Council recommends it
st-action-not_recommend = Council does not recommend it
st-action-approve_list = Approve the list of tasks
st-action-announce = Announce selection or direct assignment
st-action-reannounce = Announce again
st-action-assign = Assign the host organisation
st-action-open_valid = Dossier opened: valid
st-action-open_invalid = Dossier opened: invalid
st-action-select = Council recommends selection
st-action-not_select = Council does not select it
st-action-request_revision = Ask for a revised description
st-action-submit_revision = Send the revised description
st-action-appraise_budget = Budget appraised
st-action-return_budget = Return the budget for revision
st-action-approve = Approve the task
st-action-cancel = Cancel
st-action-hint-submit = Send the proposal to the Department of Science and Technology. Once sent, it can no longer be edited.
st-action-hint-screen_valid = The proposer is eligible and the proposal complete: it goes on to the identification council.
st-action-hint-screen_invalid = Pick the reasons; the proposer reads them with your note.
st-action-hint-to_council = Record that the proposal went before a council held outside the system.
st-action-hint-recommend = Record the outcome of a council held outside the system, with its minutes' number.
st-action-hint-not_recommend = Record the outcome of a council held outside the system, with its minutes' number.
st-action-hint-approve_list = Record the decision approving the list, and the mode of implementation.
st-action-hint-announce = Taken when a call for selection or a direct assignment of this task is published.
st-action-hint-reannounce = No host organisation was chosen: the task goes back to the list to be announced again.
st-action-hint-assign = Taken when the selected dossier is approved.
st-action-hint-open_valid = The dossier was opened in public and meets the conditions.
st-action-hint-open_invalid = Pick the reasons; the applicant reads them with your note.
st-action-hint-select = Record the outcome of a council held outside the system, with its minutes' number.
st-action-hint-not_select = Record the outcome of a council held outside the system, with its minutes' number.
st-action-hint-request_revision = Say what must be revised, as the council asked.
st-action-hint-submit_revision = Send the description revised as the council asked.
st-action-hint-appraise_budget = Record the minutes of the budget appraisal.
st-action-hint-return_budget = Say what must be revised in the budget.
st-action-hint-approve = Record the decision approving the host organisation, the principal investigator, the duration and the budget.
st-action-hint-cancel = Give the reason.
st-reasons = Why it is invalid
st-reason-outside_fields = Outside the fields of the call
st-reason-not_eligible = The proposer is not eligible
st-reason-incomplete = Information or documents missing
st-reason-duplicate = Duplicates a task done or under way
st-reason-not_urgent = Urgency not shown
st-reason-budget_unjustified = Budget not justified
st-note = Note
st-optional = if any
st-decision = Decision document
st-decision-symbol = Number and symbol
st-decision-symbol-hint = For example: 1523/QĐ-UBND
st-decision-date = Date signed
st-decision-signer = Signed by
st-decision-file = The signed document
st-timeline = Timeline
st-timeline-none = No step yet.
st-event-decision = Document { $symbol } of { $date }, signed by { $signer }
st-actor-system = System
st-announced-note = { $call } was published
st-assigned-note = The dossier “{ $dossier }” of { $host } was approved

## What to do next
st-next-owner-draft = Fill in the required fields, attach the forms, then press “Send the proposal” before the deadline.
st-next-owner-revising = The Department asks for a description revised as the council said: edit the proposal and send it again.
st-next-staff-submitted = Screen the proposal: valid, or invalid with the reasons.
st-next-staff-awaiting_identification = Put the proposal before the identification council.
st-next-staff-awaiting_list = Submit the list of tasks to the leaders for approval.
st-next-staff-listed = Open a call for selection or a direct assignment for this task.
st-next-staff-recommended = Ask for the description revised as the council said.
st-next-staff-budget_appraisal = Appraise the budget.
st-next-staff-awaiting_approval = Submit the task to the leaders for approval.
st-next-reader-submitted = The Department of Science and Technology is screening the proposal.
st-next-reader-invalid = The proposal is invalid; the reasons are in the timeline.
st-next-reader-awaiting_identification = The proposal is valid and awaits the identification council.

## Errors
error-call_closed = The deadline has passed
    .detail = The call stopped receiving proposals at { $deadline } (Vietnam time). What you typed is still on the page but was not saved.
error-call_not_open = Not receiving yet
    .detail = The call starts receiving proposals at { $opens } (Vietnam time).
error-call_published = The call is already published
    .detail = This call was published before.
error-transition_not_allowed = Not possible at this step
    .detail = “{ $action }” is not possible while the proposal is “{ $state }”.
error-transition_stale = The proposal was just decided
    .detail = Someone else has just decided on this proposal. Reload the page to see where it stands.
error-not_invited = Not invited
    .detail = This direct assignment is addressed to another organisation.
field-route_not_in_regime = This kind of call does not exist under the legal basis chosen.
field-deadline_before_opening = The deadline must come after the opening.
field-field_not_in_call = This field is not one of the call's.
field-quantity_positive = The quantity must be greater than 0.
field-money_format = An amount is a whole, non-negative number of dong; for example 1.500.000.000.
field-duration_range = The duration is from 1 to { $max } months.
field-budget_positive = The total budget must be greater than 0.
field-budget_source_twice = This source is already on another line.
field-budget_source_required = Enter the amount of at least one source.
field-budget_sources_mismatch = The sources add up to { $sum }, not to the total of { $total }.
field-product_required = Enter at least one expected product.
field-proposer_org_missing = This account is not attached to an organisation it proposes for; choose “Individual”.
field-proposer_kind_fixed = A proposal cannot change between an organisation's and an individual's.
field-reason_required = Pick at least one reason.
field-date_in_future = The date signed cannot be after today.
field-listed_task_unknown = This task is not in the approved list.
field-listed_mode_mismatch = This task was approved for another mode of implementation.
field-route_locked = The kind of call cannot change once it is published or has proposals.

## Notifications and mail
notify-st-decision = “{ $title }”: { $state }
notify-st-reasons = Reasons: { $reasons }
notify-st-decision-document = Document { $symbol } of { $date }
notify-st-invited = Invited to submit a dossier: { $call }
mail-st-subject = S&T task
mail-st-body = { $title }

    { $body }

    Details: { $link }

## Audit trail
audit-entity-kind-st_call = Call for S&T tasks
audit-entity-kind-st_proposal = S&T task proposal
audit-st-call-created = Opened the call { $title }
audit-st-call-updated = Edited the call { $title }
audit-st-call-published = Published the call { $title }
audit-st-proposal-created = Started the proposal { $title } ({ $call })
audit-st-proposal-updated = Edited the proposal { $title }
audit-st-proposal-deleted = Deleted the draft proposal { $title }
audit-st-transition = { $action }: { $title }
audit-st-announce = Announced selection or direct assignment of { $title }
audit-st-file-attached = Attached { $file } to the proposal { $title }
audit-st-file-removed = Detached { $file } from the proposal { $title }
action-publish = Publish
action-screen_valid = Valid proposal
action-screen_invalid = Invalid proposal
action-to_council = Put before the council
action-recommend = Council recommends
action-not_recommend = Council does not recommend
action-approve_list = Approve the list
action-announce = Announce selection
action-reannounce = Announce again
action-assign = Assign the host
action-open_valid = Dossier opened: valid
action-open_invalid = Dossier opened: invalid
action-select = Recommend for selection
action-not_select = Not selected
action-request_revision = Ask for revisions
action-submit_revision = Send the revision
action-appraise_budget = Appraise the budget
action-return_budget = Return the budget
action-cancel = Cancel

## Work
st-work-heading = S&T tasks
st-work-revising = Revisions asked by the Department
st-work-revise-line = Revise as the council said, then send again
st-work-drafts = Drafts not sent
st-work-deadline = deadline { $deadline }
st-work-open-calls = Calls receiving proposals
st-work-decided = Latest decisions
st-work-nothing = No call is receiving proposals now and you have no proposal yet.
st-work-waiting-heading = Proposals and dossiers waiting

## Statuses in search
search-status-invalid = Invalid
search-status-awaiting_identification = Awaiting the identification council
search-status-identification = Before the identification council
search-status-not_recommended = Not recommended
search-status-awaiting_list = Awaiting approval of the list
search-status-listed = In the approved list
search-status-selection_announced = Selection announced
search-status-assigned = Host assigned
search-status-dossier_valid = Dossier valid
search-status-selection = Before the selection council
search-status-not_selected = Not selected
search-status-recommended = Recommended for selection
search-status-revising = Revising the description
search-status-budget_appraisal = Budget appraisal
search-status-awaiting_approval = Awaiting approval
