## In-app notifications: the /notifications page and the bell in the top bar.

notifications-title = Notifications
notifications-bell-unread = { $count ->
    [one] Notifications: { $count } unread
   *[other] Notifications: { $count } unread
}
notifications-count = { $total ->
    [one] { $total } notification
   *[other] { $total } notifications
}
notifications-unread-count = { $count } unread
notifications-empty = No notifications yet.
notifications-unread = New
notifications-mark-read = Mark as read
notifications-mark-all-read = Mark all as read
notifications-all-read-done = All notifications are marked as read.

## Deadline reminders and the weekly digest (sent in Vietnamese; English kept for parity).

reminder-due-soon = Due soon: { $task } — due { $due }
reminder-overdue = Overdue: { $task } — due { $due }
reminder-body =
    Lead unit: { $lead }
    Plan: { $plan }
mail-link = Details: { $url }
mail-footer = This message was sent automatically by Tiến Độ; please do not reply.
digest-title = Week from { $monday }: { $overdue } overdue tasks, { $pending } updates to review
digest-greeting = Dear { $name },
digest-counts = The tasks you assigned, by status:
digest-count-line = • { $status }: { $count }
digest-overdue = Overdue tasks:
digest-overdue-line = • { $task } — { $lead }: due { $due }, { $days } days late
digest-pending = Progress updates waiting for your review:
digest-pending-line = • { $task } — { $lead }, submitted on { $date }
digest-more = … and { $count } more.
