# Working visits (issue 8): calendar, forms, the visit's page, conclusions and directives, notices of conclusions.

nav-visits = Working visits
visits-title = Working visits
visits-view = View
visits-view-list = List
visits-view-month = Month
visits-month = { $month }/{ $year }
visits-month-previous = Previous month
visits-month-next = Next month
visits-filter-locality = Locality
visits-filter-org = Organisation
visits-filter-leader = Leader
visits-count = { $total ->
    [one] 1 working visit
   *[other] { $total } working visits
}
visits-upcoming = Upcoming and under way
visits-past = Past
visits-none-upcoming = No upcoming working visit.
visits-none-past = No past working visit.
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
visit-phase-upcoming = Upcoming
visit-phase-ongoing = Under way
visit-phase-past = Past

visit-new = New working visit
visit-edit = Edit working visit
visit-cancel = Cancel
visit-title-field = Title
visit-title-hint = For example: { $example }
# An example of a title as it is written (in Vietnamese in both languages).
visit-title-example = Làm việc tại thị xã Quảng Yên và thành phố Hạ Long
visit-purpose = Purpose and subjects
visit-organizer = Organising body
visit-legal-basis = Decision forming the delegation
visit-starts-on = From
visit-ends-on = To
visit-dates = Dates
visit-parent-plan = Followed up in plan or programme
visit-tracking-plan = Follow-up of conclusions
visit-tracking-plan-link = Plan carrying out the conclusions
visit-plan-title = Kết luận của đoàn công tác: { $title }
visit-members = Delegation
visit-members-hint = One person of the directory per line; type a name to choose. A delegation has exactly one leader.
visit-member-name = Full name
visit-member-role = Role
visit-member-org = Representing
visit-member-org-own = Their own organisation
visit-member-add = Add this person to the directory
visit-add-member = Add a member line
visit-role-leader = Leader
visit-role-deputy = Deputy leader
visit-role-member = Member
visit-role-secretary = Secretary
visit-leader = Leader
visit-stops = Schedule
visit-stops-hint = Each stop: day (within the visit's dates), time, place, host (a locality or an enterprise), agenda, minutes and general assessment. Empty every field of a saved stop to remove it.
visit-stop = Stop
visit-stop-date = Day
visit-stop-time = Time
visit-stop-place = Place
visit-stop-host = Host
visit-stop-locality = Locality
visit-stop-agenda = Agenda
visit-stop-minutes = Minutes
visit-stop-assessment = General assessment
visit-stop-at = at
visit-add-stop = Add a stop
visit-assessment = General assessment of the visit
visit-assessment-hint = Used in the notice of conclusions of the whole visit.
visit-whole = Whole visit
visit-whole-conclusions = Conclusions of the whole visit
visit-conclusions = Conclusions
visit-no-conclusions = No conclusion yet.
visit-add-conclusion = Add a conclusion
visit-add-directive = Add a directive
visit-conclusion-stop = Concluded at
visit-conclusion-text = Conclusion
visit-directive = Directive
visit-directive-hint = Each conclusion becomes one or more directives, tracked as tasks: a lead unit and a deadline are required; coordinating units are optional.
visit-directive-of = Directive of the working visit
visit-escalated-on = Leaders told on { $date }
visit-notice-docx = Notice of conclusions (Word)
visit-notice-pdf = Notice of conclusions (PDF)
visit-files = Photos and documents
visit-no-files = No photo or document yet.
visit-files-at-stops = { $count ->
    [one] { $count } photo or document belongs to a stop above; none of the whole visit yet.
   *[other] { $count } photos and documents belong to the stops above; none of the whole visit yet.
}
visit-file-add = Add a photo or document
visit-file = File
visit-file-hint = Photos: PNG, JPEG or WebP. Documents: PDF, Word, Excel, PowerPoint, OpenDocument. At most 20 MB.
visit-file-kind = Kind
visit-file-kind-photo = Photo
visit-file-kind-document = Document
visit-file-caption = Caption
visit-file-alt = Description for blind readers
visit-file-alt-hint = Required for a photo: briefly say what it shows.
visit-file-upload = Upload
visit-file-remove = Remove
visit-done-saved = Working visit saved.
visit-done-conclusion = Conclusion and directive added.
visit-done-directive = Directive added.
visit-done-file = Uploaded.
visit-done-removed = File removed.

org-visits-received = Working visits received
org-visits-none = No working visit received.
org-directives-owed = Directives it owes
org-directives-none = No directive led by this organisation.
org-directives-coordinated = Directives it coordinates

field-stop_outside_visit = The day must fall within the visit ({ $from } to { $to }).
field-stop_required = Enter at least one stop.
field-stop_in_use = This stop has conclusions or photos and cannot be removed.
field-time_format = Enter a time such as 08:30 or 8h30.
field-leader_required = Choose one leader.
field-leader_twice = A delegation has only one leader.
field-member_unknown = “{ $name }” is not in the directory.
field-member_ambiguous = Several people named “{ $name }” are in the directory; choose the organisation they represent.
field-member_twice = “{ $name }” is listed twice.
field-deadline_required = A directive needs a deadline.
field-photo_not_image = “{ $name }” is not a picture (PNG, JPEG or WebP).
field-alt_required = Describe the photo for blind readers.

escalation-title = Directive { $days } days overdue: { $task }
escalation-body =
    Lead: { $lead }
    Working visit: { $visit }
    Due: { $due }

audit-visit-created = Created the working visit { $title }
audit-visit-updated = Edited the working visit { $title }
audit-visit-conclusion-added = Added conclusion { $code }
audit-visit-conclusion-added-at = Added conclusion { $code } at { $host }
audit-visit-directive-given = Gave directive { $code } of the working visit { $visit } to { $lead }
audit-visit-file-attached = Attached { $file } to the working visit
audit-visit-file-removed = Removed { $file } from the working visit
audit-visit-notice-exported = Exported the notice of conclusions ({ $what }, { $format }) of the working visit { $title }
audit-visit-notice-whole = whole visit

visit-articles = Articles on the public portal
visit-article-draft = Draft a news article from this visit
visit-article-hint = Creates a draft article (title, summary, the stops, photos with captions and descriptions) to edit and send for review on the public portal.
visit-article-lead = On { $dates }, a delegation of { $organizer } visited localities and enterprises.
