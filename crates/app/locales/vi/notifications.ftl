## Thông báo trong ứng dụng: trang /notifications, chuông trên thanh trên cùng.

notifications-title = Thông báo
notifications-bell-unread = Thông báo: { $count } chưa đọc
notifications-count = { $total } thông báo
notifications-unread-count = { $count } chưa đọc
notifications-empty = Chưa có thông báo nào.
notifications-unread = Mới
notifications-mark-read = Đánh dấu đã đọc
notifications-mark-all-read = Đánh dấu tất cả là đã đọc
notifications-all-read-done = Đã đánh dấu tất cả thông báo là đã đọc.

## Nhắc hạn và thư tổng hợp hằng tuần (gửi bằng tiếng Việt, trong ứng dụng và qua thư điện tử).

reminder-due-soon = Sắp đến hạn: { $task } — hạn { $due }
reminder-overdue = Đã quá hạn: { $task } — hạn { $due }
reminder-body =
    Đơn vị chủ trì: { $lead }
    Kế hoạch: { $plan }
mail-link = Xem chi tiết: { $url }
mail-footer = Thư này do hệ thống Tiến Độ gửi tự động; xin đừng trả lời thư này.
digest-title = Tổng hợp tuần từ { $monday }: { $overdue } nhiệm vụ quá hạn, { $pending } báo cáo chờ xem xét
digest-greeting = Kính gửi { $name },
digest-counts = Các nhiệm vụ anh/chị đã giao, theo tình trạng:
digest-count-line = • { $status }: { $count }
digest-overdue = Các nhiệm vụ quá hạn:
digest-overdue-line = • { $task } — { $lead }: hạn { $due }, quá { $days } ngày
digest-pending = Báo cáo tiến độ chờ anh/chị xem xét:
digest-pending-line = • { $task } — { $lead }, gửi ngày { $date }
digest-more = … và { $count } mục khác.
