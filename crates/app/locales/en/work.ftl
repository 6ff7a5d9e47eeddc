# My work: the page each user lands on after signing in, and the "needs a decision" part of the dashboard.

nav-work = My work
nav-directory = Directory
work-title = My work
work-as-of = As of { $date }
work-nothing-heading = Nothing is waiting for you
work-nothing = No report, assignment or working visit needs you at the moment. You can still look up:
work-escalated-heading = Overdue directives escalated to the leaders
work-escalated-hint = Directives of working visits overdue by more than the days allowed and not completed.
work-escalated-line = due { $due }, escalated on { $date }
work-to-review-heading = Progress updates waiting for review
work-to-review-none = No progress update is waiting for review.
work-sent = Sent
work-more = and { $count ->
    [one] { $count } more update
   *[other] { $count } more updates
}
work-reports-to-review-heading = Periodic reports waiting for review
work-reports-to-review-none = No periodic report is waiting for review.
work-reports-queue-link = Open the reports waiting for approval
work-articles-heading = Articles waiting for review
work-articles-line = { $count ->
    [one] { $count } article waiting to be published
   *[other] { $count } articles waiting to be published
}
work-due-heading = Assignments due
work-due-hint = Assignments your unit leads that are overdue, at risk or due within the next 30 days.
work-due-none = No assignment is overdue or due soon.
work-unsent-heading = Progress updates not sent
work-reports-due-heading = Periodic reports to send
work-reports-due-none = No periodic report is overdue or due soon.
work-visits-heading = Working visits with your organisation
decisions-heading = Needs a decision
decisions-none = Nothing is waiting for a decision.
decisions-escalated = { $count ->
    [one] { $count } overdue directive escalated to the leaders
   *[other] { $count } overdue directives escalated to the leaders
}
decisions-reports = { $count ->
    [one] { $count } periodic report waiting for approval
   *[other] { $count } periodic reports waiting for approval
}
decisions-updates = { $count ->
    [one] { $count } progress update waiting for review
   *[other] { $count } progress updates waiting for review
}
decisions-articles = { $count ->
    [one] { $count } article waiting to be published
   *[other] { $count } articles waiting to be published
}
directory-tabs = Directory
