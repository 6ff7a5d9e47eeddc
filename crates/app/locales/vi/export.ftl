## Spreadsheets exported from lists (the sheet, its title, the columns and the notes naming the filters).

export-assignments-sheet = Nhiệm vụ
export-assignments-title = Danh sách nhiệm vụ
export-source = Nguồn: Hệ thống Tiến Độ
export-as-of = Số liệu tính đến ngày
export-filter-status = Trạng thái
export-filter-plan = Kế hoạch
export-filter-lead = Đơn vị chủ trì
export-filter-org = Đơn vị
export-filter-q = Từ khóa
export-col-no = STT
export-col-task = Nhiệm vụ
export-col-plan = Kế hoạch
export-col-lead = Đơn vị chủ trì
export-col-deadline = Thời hạn
export-col-status = Trạng thái
export-col-days-late = Số ngày trễ
export-col-progress = Tiến độ
export-col-last-update = Cập nhật gần nhất
