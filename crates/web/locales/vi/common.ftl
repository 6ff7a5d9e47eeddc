# Chung: khung trang, điều hướng, trang chủ. Tiếng Việt là bản gốc.

site-name = Tiến Độ
site-tagline = Theo dõi thực hiện nhiệm vụ khoa học và công nghệ
site-description = Hệ thống giao việc, đôn đốc, báo cáo và công khai kết quả thực hiện nhiệm vụ khoa học, công nghệ và đổi mới sáng tạo.
skip-to-content = Chuyển đến nội dung chính
lang-switch-label = Chọn ngôn ngữ
lang-vi = Tiếng Việt
lang-en = English
nav-label = Điều hướng chính
nav-menu = Danh mục
nav-home = Trang chủ
nav-api = Tài liệu API
footer-operated = Vận hành trên nền tảng Tiến Độ.

home-title = Trang chủ
home-heading = Theo dõi thực hiện nghị quyết về khoa học, công nghệ và đổi mới sáng tạo
home-lead = Tiến Độ giúp Sở giao nhiệm vụ cho các sở, ngành, xã, phường và viện nghiên cứu, theo dõi tiến độ theo hạn, nhận báo cáo định kỳ và công khai kết quả cho người dân, trên một hệ thống duy nhất thay cho giấy tờ, Excel và thư điện tử.
home-values-title = Một hệ thống cho cả quy trình
home-value-assign = Giao việc rõ ràng
home-value-assign-text = Mỗi nhiệm vụ có đơn vị chủ trì, đơn vị phối hợp, thời hạn và sản phẩm dự kiến; trạng thái được tính từ thời hạn, không ai phải tự khai.
home-value-report = Báo cáo đúng hạn
home-value-report-text = Đơn vị báo cáo tiến độ kèm minh chứng; hệ thống nhắc trước và sau hạn, lãnh đạo thấy ngay ai đang chậm.
home-value-open = Công khai minh bạch
home-value-open-text = Tin tức, kết quả thực hiện của từng địa phương và danh mục nhiệm vụ khoa học và công nghệ được công bố cho người dân.

api-docs-title = Tài liệu API
api-docs-contents = Mục lục tài liệu API
api-docs-operations = Thao tác
api-docs-schemas = Kiểu dữ liệu
api-docs-errors = Mã lỗi
api-docs-errors-intro = Mọi lỗi được trả về dạng application/problem+json (RFC 9457) với trường code ổn định dưới đây; trường detail được dịch theo ngôn ngữ của yêu cầu.
api-docs-intro = Tài liệu này được sinh từ mã nguồn. Bản OpenAPI 3 đầy đủ:
api-docs-auth = Cần xác thực bằng mã truy cập cá nhân (Authorization: Bearer).
api-docs-parameters = Tham số
api-docs-body = Nội dung yêu cầu
api-docs-responses = Phản hồi
api-docs-name = Tên
api-docs-in = Vị trí
api-docs-type = Kiểu
api-docs-description = Mô tả
api-docs-status = Mã trạng thái

# Tên các thao tác trong nhật ký (action-<mã>).
action-create = Tạo mới
action-update = Cập nhật
action-delete = Xóa
action-submit = Gửi báo cáo
action-accept = Chấp nhận
action-return = Trả lại
action-login = Đăng nhập
action-login_failed = Đăng nhập không thành công
action-logout = Đăng xuất
action-grant_role = Cấp quyền
action-revoke_role = Thu hồi quyền
action-issue_reset = Cấp liên kết đặt mật khẩu
action-reset_password = Đặt lại mật khẩu
action-change_password = Đổi mật khẩu
action-create_token = Tạo mã API
action-revoke_token = Thu hồi mã API
action-export = Xuất dữ liệu
action-set_flags = Đánh dấu
action-add_task = Thêm nhiệm vụ
action-add_target = Thêm chỉ tiêu
action-record_value = Ghi số liệu
action-attach = Đính kèm tệp
action-move = Chuyển
action-record_change = Ghi nhận thay đổi
action-succeed = Kế thừa
action-add_affiliation = Thêm chức vụ
action-end_affiliation = Kết thúc chức vụ
action-move_affiliation = Chuyển chức vụ
action-restore = Khôi phục
action-restore_default = Khôi phục mặc định
action-enable = Mở khóa tài khoản
action-disable = Khóa tài khoản

# Báo cáo định kỳ.
action-approve = Phê duyệt
action-unlock = Mở khóa
action-retire = Ngừng sử dụng
action-reinstate = Dùng lại
action-assign_template = Giao biểu mẫu
action-unassign_template = Thôi giao biểu mẫu
action-set_shares = Cấu hình tỷ lệ phân bổ
action-rebuild = Tính lại số liệu tổng hợp
