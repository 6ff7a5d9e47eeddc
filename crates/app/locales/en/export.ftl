## Spreadsheets exported from lists (the sheet, its title, the columns and the notes naming the filters).

export-assignments-sheet = Assignments
export-assignments-title = List of assignments
export-source = Source: Tiến Độ
export-as-of = Figures as of
export-filter-status = Status
export-filter-plan = Plan
export-filter-lead = Lead unit
export-filter-org = Unit
export-filter-q = Keywords
export-col-no = No.
export-col-task = Assignment
export-col-plan = Plan
export-col-lead = Lead unit
export-col-deadline = Deadline
export-col-status = Status
export-col-days-late = Days late
export-col-progress = Progress
export-col-last-update = Last update
