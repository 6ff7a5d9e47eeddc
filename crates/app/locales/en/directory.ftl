# Administrative geography, the directory of organisations and people, address resolution. Vietnamese is the source.

nav-units = Administrative units
nav-organizations = Organisations
nav-people = People
nav-address = Address lookup

dir-sample-data = Sample data
dir-sample-data-hint = This information was made up for the demo; it is not real data.
dir-filter-submit = Filter
dir-filter-reset = Clear filters
dir-filter-q = Search by name
dir-filter-q-hint = With or without Vietnamese diacritics.
dir-list-empty = Nothing matches the filters.
dir-list-total = { $count ->
    [one] 1 result
   *[other] { $count } results
}
dir-page-previous = Previous page
dir-page-next = Next page
dir-page-of = { $from } to { $to } of { $total }
dir-form-save = Save
dir-form-cancel = Cancel
dir-form-errors-summary = Correct the fields marked below, then save again.
dir-form-optional = optional
dir-field-none = — None —
dir-date-hint = A date as dd/mm/yyyy.
dir-yes = Yes
dir-no = No

# Administrative units
units-title = Administrative units
units-heading = Administrative units over time
units-lead = The official lists of administrative units before and after 1 July 2025 (63 provinces with districts; 34 provinces with 3,321 communes, wards and special zones), with how the units of the old map continue in the new one. Choose a province and a date to see the map in force that day.
units-map-label = Choose the map
units-map-new = Current map (since 01/07/2025)
units-map-old = Map before 01/07/2025
units-province = Province or city
units-province-all = — All provinces and cities —
units-as-of = In force on
units-level = Level
units-level-all = — All levels —
units-provinces-on = { $count } provinces and centrally governed cities in force on { $date }
units-in-province = The units of { $name } on { $date }
units-found = { $count ->
    [one] 1 unit in force on { $date }
   *[other] { $count } units in force on { $date }
}
units-province-not-in-force = There is no province with code { $code } on { $date }. Choose a province from the list.
units-col-code = Code
units-col-name = Name
units-col-kind = Kind
units-col-parent = Part of
units-col-validity = In force
units-col-count = Commune-level units
units-district-communes = { $count ->
    [one] 1 commune-level unit
   *[other] { $count } commune-level units
}
units-change-new = Record a map change
level-province = Province level
level-district = District level (until 30/06/2025)
level-commune = Commune level

validity-open = In force (since before the data set)
validity-since = Since { $from }
validity-until = Until { $last }
validity-between = From { $from } to { $last }

unit-code = Unit code
unit-kind = Kind
unit-level = Level
unit-validity = In force
unit-parent = Part of
unit-legal-basis = Legal basis
unit-not-in-force = No unit with code { $code } was in force on { $date }: that day lies before or after every period of the code. The periods of the code are listed below.
unit-versions = The units that had code { $code }
unit-versions-hint = A code may be reused by a unit formed in a reorganisation; each unit is identified by its code together with its period.
unit-lineage = History
unit-predecessors = Formed from
unit-successors = Became
unit-today = Today it is
unit-today-itself = This unit is in force.
unit-today-via-children = The district level was abolished: the unit's territory is followed through its communes and wards.
unit-today-none = What it is today cannot be determined.
unit-origins = Before { $date } it was
unit-origin-part = part
unit-children = Units under it on { $date }
unit-default = default
unit-no-links = None.
succession-merge = merged
succession-split = split
succession-rename = renamed
succession-kept = unchanged
succession-on = on { $date }

# Address lookup
address-title = Address lookup
address-heading = Find the administrative unit of an address
address-lead = Type an address such as “{ $example }”, with or without diacritics, with the usual abbreviations (TP., TX., P., X., TT.). You get the administrative unit it names, what that unit is today, and how sure the match is.
# An example of an address as it is written (in Vietnamese in both languages).
address-example = thôn 3, xã Hoàng Tân, thị xã Quảng Yên, Quảng Ninh
address-text = Address
address-as-of = Address written on
address-as-of-hint = Leave empty for today; for an old address, choose a day before 01/07/2025.
address-submit = Look up
address-results = Results
address-candidates = { $count ->
    [one] 1 unit matches
   *[other] { $count } units may be meant, best match first
}
address-confidence = Confidence { $percent }%
address-detail = Below commune level
address-unread = Not understood
address-kind-conflict = The kind word does not match the unit (for example “xã” for a ward).
address-accent-conflict = The diacritics do not match the unit's name.
address-not-in-force = Not in force on { $date }
address-today = Today
address-today-all = Units that received a part of it
address-no-match-empty = No address was given.
address-no-match-too_long = The address is too long (400 characters at most).
address-no-match-no_known_name = No part of the address is the name of a known administrative unit. Check the spelling, or add the commune, district or province.
address-choose = Choose this unit
address-check = Check the address

# Map changes
change-title = Record a map change
change-heading = Record a change of the administrative map
change-lead = When the administrative map changes (merges, splits, renames), record the units that end, the units that start and how the old continue in the new. The system checks that no code has two units in force at once, that successions link units that end to units that start on the same day, and that every unit has a parent.
change-effective = Effective date
change-effective-hint = The first day of the new map; the units that end are no longer in force from this day.
change-legal-basis = Legal basis
change-legal-basis-hint = For example: { $example }.
change-ending = Units that end
change-ending-hint = Their codes, separated by spaces, commas or new lines.
change-starting = Units that start
change-starting-hint = One unit per line: code; kind; name; parent code. The kind is one of { $kinds } (or in English: ward, commune, special zone, province, municipality). Example: { $example }
change-successions = Successions
change-successions-hint = One per line: old code; new code; “{ $default }” (or “default”) for the default successor of a split unit; share (0 to 1, optional). Example: 07030; 07031; default; 0.6
change-submit = Record the change

error-unknown_admin_unit = No such administrative unit
    .detail = No administrative unit ever had code { $value }, including the units before 01/07/2025. Province codes have 2 digits, (former) district codes 3, commune codes 5.
error-admin_unit_not_in_force = Administrative unit not in force on that day
    .detail = Code { $value } exists, but no unit with it was in force on the day asked: that day lies before or after every period of the code. Its periods are at /api/v1/admin-units/{ $value }/lineage.
error-map_change_conflict = Conflicting change
    .detail = Another change of the same units was just recorded. Reload the page and try again.

field-invalid_code = “{ $code }” is not an administrative unit code (2, 3 or 5 digits).
field-invalid_kind = “{ $kind }” is not a kind of unit.
field-change_empty = A change must end or start at least one unit.
field-duplicate_code = Code { $code } is given twice.
field-not_in_force = No unit with code { $code } is in force on { $day } to end.
field-already_ends = Unit { $code } already has an end date ({ $day }).
field-overlap = Two units with code { $code } would be in force at the same time.
field-level_mismatch = The kind does not fit the number of digits of code { $code }.
field-empty_name = Unit { $code } has no name.
field-bad_parent = Unit { $code } needs a parent at the level above, in force on the effective date.
field-child_left_behind = Unit { $code } ends but unit { $child } under it stays in force: end { $child } too and start it again under its new parent.
field-from_not_ending = Unit { $code } does not end with this change.
field-to_not_starting = Unit { $code } does not start with this change.
field-duplicate_succession = The succession { $code } → { $to } is given twice.
field-default_count = Unit { $code } is split between several units, so exactly one must be its default successor ({ $count } now).
field-no_successor = Unit { $code } ends without a successor.
field-no_predecessor = Unit { $code } starts without coming from any unit.
field-bad_share = The share of { $code } going to { $to } must be between 0 and 1.
field-dates_do_not_meet = The succession { $code } → { $to } does not link a unit that ends to a unit that starts on the same day.
field-line_format = Line { $line } does not have the expected form.

field-date_order = The end must come after the start.
field-tax_code_format = A tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch (for example 5701234567 or 5701234567-001).
field-tax_code_taken = This tax code already belongs to another organisation in the directory.
field-phone_format = A telephone number has 8 to 15 digits, possibly with spaces, dots, dashes, brackets and a +.
field-website_format = Invalid website address (for example: https://skhcn.quangninh.gov.vn).
field-parent_cycle = An organisation cannot be part of itself or of an organisation under it.
field-too_many = At most { $max } items.
field-already_ended = This role has already ended.
field-already_succeeded = This organisation has already ended or has successors.
field-succeeds_itself = An organisation cannot succeed itself.
field-successor_not_in_force = { $name } does not exist on the day of the succession.
field-default_not_a_successor = The default successor must be one of the successors.
field-address_ambiguous = The address matches several administrative units; choose one in the list below.
field-unknown_unit = No administrative unit with code { $code } is in force on that day.

# Organisations
orgs-title = Organisations
orgs-heading = Directory of organisations
org-new = Add an organisation
org-new-heading = Add an organisation
org-edit = Edit
org-edit-heading = Edit the organisation
org-kind = Kind of organisation
org-kind-all = — All kinds —
org-unit-filter = Administrative unit
org-unit-all = — Anywhere —
org-unit-filter-hint = Includes organisations registered at the former units merged into this one.
org-active-only = Only organisations in existence
org-name = Name
org-abbreviation = Abbreviation
org-abbreviation-hint = As used in document symbols, for example UBND, SKHCN.
org-parent = Part of
org-address = Address
org-address-hint = As written on its papers, possibly an address from before 01/07/2025; the administrative unit is found from it.
org-address-unmatched = The address matches no administrative unit; the organisation is saved without one.
org-unit = Administrative unit
org-unit-today = Administrative unit today
org-no-unit = Unknown
org-tax-code = Tax code
org-tax-code-hint = 10 digits; a branch adds a dash and 3 digits.
org-phone = Telephone
org-email = E-mail
org-website = Website
org-valid-from = Established on
org-valid-to = Ended on
org-valid-to-hint = Leave empty while it exists.
org-validity-open = Active
org-validity = Period of existence
org-ended = Ended on { $date }
org-successions = Succession
org-predecessors = Succeeds:
org-successors = Succeeded by:
org-people = Leaders and staff
org-no-people = Nobody in the directory holds a position here.
org-children = Under it
org-succession = Record a succession
org-succession-heading = Record a succession: { $name }
org-succession-lead = When this organisation ends (a district People's Committee on 01/07/2025, for example), choose the organisations that succeed it. The default successor takes over the organisations under it and, if chosen, the positions held in it.
org-succession-effective = First day of the successors
org-succession-effective-hint = This organisation no longer exists from this day (dd/mm/yyyy).
org-succession-successors = Successors
org-succession-successors-hint = Hold Ctrl (Cmd on a Mac) to choose several.
org-succession-default = Default successor
org-succession-move-children = Move the organisations under it to the default successor
org-succession-move-affiliations = Move the positions held in it to the default successor
org-succession-submit = Record

# People
people-title = People
people-heading = Directory of people
people-organization = Organisation
people-organization-all = — All organisations —
person-new = Add a person
person-new-heading = Add a person to the directory
person-edit = Edit
person-edit-heading = Edit the person
person-name = Name
person-full-name = Full name
person-full-name-hint = Without academic titles; choose them below.
person-title = Academic title and degree
person-rank = Academic title
person-degree = Degree
person-position = Position
person-expertise = Fields of expertise
person-expertise-hint = One field per line.
person-roles = Positions
person-no-roles = No position yet.
affiliation-organization = Organisation
affiliation-role = Position
affiliation-role-hint = For example: Director, Head of the institute, Officer.
affiliation-from = From
affiliation-to = To
affiliation-open = Current
affiliation-period = Period
affiliation-add = Add a position
affiliation-end = End
affiliation-end-on = Ended on
field-ends_on_another_day = This organisation already ended on another day ({ $date }); the succession must take effect that day.

# Audit trail summaries of the directory.
audit-organization-created = Organisation { $name } created
audit-organization-updated = Details of { $name } edited
audit-organization-succeeded = { $name } ended on { $date }; succeeded by: { $successors }
audit-organization-moved = Moved under { $parent }
audit-person-created = { $name } added to the directory
audit-person-updated = Details of { $name } edited
audit-affiliation-added = { $person }: { $role } at { $organization }
audit-affiliation-ended = { $person }: no longer { $role } at { $organization } from { $date }
audit-affiliation-moved = { $role }: moved from { $from } to { $to } from { $date }
