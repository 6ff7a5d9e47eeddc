# Tài khoản của tôi, quản trị người dùng và vai trò, nhật ký hệ thống.

account-title = Tài khoản
account-heading = Tài khoản của tôi
account-profile = Thông tin tài khoản
account-display-name = Họ và tên
account-email = Thư điện tử
account-organization = Cơ quan, đơn vị
account-change-password = Đổi mật khẩu
account-roles = Vai trò và phạm vi
account-no-roles = Chưa được giao vai trò nào.
account-password-changed = Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã được đăng xuất.
account-token-revoked = Đã thu hồi mã truy cập.

tokens-heading = Mã truy cập API cá nhân
tokens-intro = Dùng mã truy cập để các phần mềm khác gọi API của Tiến Độ thay mặt bạn (tiêu đề Authorization: Bearer …). Mã có đúng quyền như tài khoản của bạn; hãy giữ bí mật và thu hồi khi không dùng nữa.
tokens-created = Đây là mã truy cập mới. Hãy sao chép và lưu lại ngay: mã chỉ hiển thị một lần.
tokens-name = Tên gợi nhớ
tokens-prefix = Mã (phần đầu)
tokens-created-at = Ngày tạo
tokens-expires = Hết hạn
tokens-last-used = Dùng lần cuối
tokens-actions = Thao tác
tokens-never = Không hết hạn
tokens-revoke = Thu hồi
tokens-revoke-confirm = Thu hồi mã truy cập này? Các phần mềm đang dùng mã sẽ không gọi được API nữa.
tokens-inactive = Không còn hiệu lực
tokens-new = Tạo mã truy cập mới
tokens-expires-optional = Ngày hết hạn (không bắt buộc)
tokens-expires-hint = Để trống nếu không muốn mã tự hết hạn.
tokens-create = Tạo mã

password-title = Đổi mật khẩu
password-forced = Bạn cần đặt mật khẩu mới trước khi tiếp tục làm việc.
password-submit = Lưu mật khẩu mới

admin-users-title = Người dùng
admin-user-new = Thêm người dùng
admin-users-filter = Tìm theo tên hoặc tên đăng nhập
admin-users-none = Không có người dùng nào phù hợp.
admin-users-status = Trạng thái
admin-users-last-login = Đăng nhập lần cuối
status-active = Đang hoạt động
status-disabled = Đã khóa
filter-apply = Lọc
form-has-errors = Một số trường chưa hợp lệ. Hãy sửa các trường được đánh dấu bên dưới.
form-save = Lưu

admin-user-new-title = Thêm người dùng
admin-username-hint = 3–40 ký tự: chữ cái không dấu viết thường, chữ số, dấu chấm, gạch ngang, gạch dưới. Ví dụ: nguyen.van.an
admin-user-new-hint = Sau khi tạo, hệ thống cấp một liên kết dùng một lần để người dùng tự đặt mật khẩu; quản trị viên không biết mật khẩu của họ.
admin-user-create = Tạo tài khoản
admin-user-created = Ngày tạo
admin-reset-issued = Liên kết đặt mật khẩu (dùng một lần, hiệu lực 72 giờ). Hãy gửi liên kết này cho người dùng qua kênh an toàn; liên kết chỉ hiển thị một lần.
admin-reset-issue = Cấp liên kết đặt lại mật khẩu
admin-disable = Khóa tài khoản
admin-disable-confirm = Khóa tài khoản này? Người dùng sẽ bị đăng xuất và không đăng nhập được nữa cho đến khi được mở khóa.
admin-enable = Mở khóa tài khoản
admin-grant-add = Giao thêm vai trò
admin-grant-role = Vai trò
admin-grant-scope = Phạm vi
admin-grant-org = Cơ quan, đơn vị của phạm vi
admin-grant-submit = Giao vai trò
admin-grant-remove = Thu hồi
admin-grant-remove-confirm = Thu hồi vai trò này?

scope-province = Toàn tỉnh
scope-kind-organization = Một cơ quan, đơn vị
scope-kind-subtree = Một cơ quan, đơn vị và các đơn vị trực thuộc
scope-organization = Đơn vị: { $org }
scope-subtree = { $org } và các đơn vị trực thuộc

role-administrator = Quản trị hệ thống
role-department_leader = Lãnh đạo Sở
role-department_officer = Chuyên viên Sở
role-locality_officer = Cán bộ xã, phường
role-partner_officer = Cán bộ đơn vị phối hợp
role-expert = Chuyên gia
role-applicant = Tổ chức, cá nhân đăng ký
role-editor = Biên tập viên
role-moderator = Kiểm duyệt viên

admin-audit-title = Nhật ký hệ thống
audit-verify = Kiểm tra tính toàn vẹn
audit-chain-intact = Chuỗi nhật ký toàn vẹn: đã kiểm tra { $events } sự kiện bằng khóa, không sự kiện nào bị sửa hay xóa (chưa có mốc neo để đối chiếu các sự kiện mới nhất).
audit-chain-intact-anchored = Chuỗi nhật ký toàn vẹn: đã kiểm tra { $events } sự kiện bằng khóa, khớp với mốc neo lúc { $at } (sự kiện #{ $id }).
audit-chain-broken-link = Chuỗi nhật ký bị phá vỡ tại sự kiện #{ $id }: liên kết với sự kiện trước không khớp (một sự kiện trước nó đã bị xóa hoặc sửa).
audit-chain-broken-content = Chuỗi nhật ký bị phá vỡ tại sự kiện #{ $id }: nội dung không khớp với mã băm (sự kiện đã bị sửa, hoặc mã băm bị tính lại mà không có khóa).
audit-chain-truncated = Chuỗi nhật ký bị cắt cụt: mốc neo lúc { $at } ghi đến sự kiện #{ $id } nhưng nhật ký chỉ còn đến sự kiện #{ $last }; các sự kiện mới nhất đã bị xóa.
audit-chain-rewritten = Chuỗi nhật ký đã bị viết lại: sự kiện #{ $id } không còn mã băm đã neo lúc { $at }; chuỗi đã bị tính lại.
audit-chain-not-sealed = Chuỗi nhật ký chưa được niêm phong bằng khóa (máy chủ chưa từng khởi động trên cơ sở dữ liệu này).
audit-chain-wrong-key = Chuỗi nhật ký được niêm phong bằng một khóa khác với khóa của máy chủ này.
audit-actor = Người thực hiện (tên đăng nhập)
audit-entity = Loại đối tượng
audit-entity-id = Mã đối tượng
audit-action = Thao tác
audit-entity-kind-admin_unit = Đơn vị hành chính
audit-entity-kind-admin_unit_change = Thay đổi đơn vị hành chính
audit-entity-kind-article = Tin bài
audit-entity-kind-assignment = Giao nhiệm vụ
audit-entity-kind-comment = Bình luận
audit-entity-kind-export = Xuất dữ liệu
audit-entity-kind-organization = Cơ quan, đơn vị
audit-entity-kind-person = Cá nhân
audit-entity-kind-plan = Kế hoạch
audit-entity-kind-portal_category = Chuyên mục
audit-entity-kind-report_aggregates = Số liệu tổng hợp
audit-entity-kind-session = Phiên đăng nhập
audit-entity-kind-setting = Cấu hình
audit-entity-kind-settings = Cấu hình
audit-entity-kind-user = Người dùng
audit-entity-kind-visit = Đoàn công tác
audit-entity-kind-report_template = Biểu mẫu báo cáo
audit-entity-kind-report = Báo cáo định kỳ
audit-entity-kind-document = Văn bản
audit-entity-kind-document_template = Mẫu văn bản
audit-entity-kind-update = Báo cáo tiến độ
audit-entity-kind-progress_update = Báo cáo tiến độ
audit-entity-kind-media = Ảnh
audit-entity-kind-token = Mã API
audit-entity-kind-other = Đối tượng khác
audit-entity-kind-database = Cơ sở dữ liệu
audit-database-backup = Sao lưu toàn bộ dữ liệu vào tệp { $file }
audit-database-restored = Khôi phục dữ liệu từ bản sao lưu { $file } tạo lúc { $created } (nhật ký đến sự kiện #{ $head })
audit-entity-ref = { $kind } (mã { $id })
audit-filter-any = Tất cả
audit-from = Từ ngày
audit-to = Đến ngày
audit-when = Thời điểm
audit-summary = Nội dung
audit-total = Tìm thấy { $total } sự kiện.
audit-unknown-actor = Không có tài khoản với tên đăng nhập này.
pager-older = Cũ hơn

error-cannot_disable_self = Không thể tự khóa tài khoản của mình
    .detail = Bạn không thể khóa tài khoản đang dùng để đăng nhập. Hãy nhờ một quản trị viên khác.
error-invalid_status = Trạng thái không hợp lệ
    .detail = Trạng thái tài khoản phải là đang hoạt động hoặc đã khóa.

admin-reset-emailed = Liên kết đặt mật khẩu (dùng một lần, hiệu lực 72 giờ) đang được gửi tới { $email }.
mail-reset-subject = Tiến Độ: đặt mật khẩu tài khoản
mail-reset-body =
    Xin chào { $name },

    Quản trị viên đã cấp cho bạn liên kết để đặt mật khẩu cho tài khoản { $username } trên hệ thống Tiến Độ:

    { $link }

    Liên kết chỉ dùng được một lần, trong vòng 72 giờ. Nếu bạn không đề nghị đặt lại mật khẩu, hãy bỏ qua thư này và báo cho quản trị viên.

error-scope_outside = Ngoài phạm vi quản lý
    .detail = Vai trò với phạm vi này nằm ngoài phạm vi bạn được quản lý. Hãy chọn một đơn vị thuộc phạm vi của bạn, hoặc nhờ quản trị viên cấp tỉnh.
error-grant_exists = Vai trò đã có
    .detail = Người dùng đã có vai trò này với phạm vi này.
error-invalid_cursor = Con trỏ phân trang không hợp lệ
    .detail = Tham số cursor phải là giá trị next của trang trước.
admin-tokens-none = Người dùng chưa tạo mã truy cập API nào.

nav-admin = Quản trị
admin-hub-users = Tài khoản, vai trò và phạm vi; mở hoặc khóa tài khoản, cấp liên kết đặt mật khẩu.
admin-hub-audit = Tra cứu mọi thay đổi theo người, đối tượng và thời gian; kiểm tra tính toàn vẹn của nhật ký.
admin-hub-templates = Mẫu các văn bản hệ thống xuất ra (thông báo, báo cáo), xem trước, lưu phiên bản và khôi phục.
admin-hub-status-colors = Màu của các tình trạng nhiệm vụ trên bảng điều hành, danh sách và biểu đồ.

admin-jobs-title = Tác vụ nền bị lỗi
admin-hub-jobs = Các tác vụ chạy ngầm (gửi thư, nhắc hạn, đăng bài hẹn giờ…) đã lỗi: đang chờ chạy lại hoặc đã dừng hẳn, với lỗi cuối cùng.
admin-jobs-intro = Tác vụ lỗi được chạy lại sau một khoảng chờ tăng dần; hết số lần thử thì dừng hẳn và nằm lại đây để quản trị viên xem xét.
admin-jobs-none = Không có tác vụ nào bị lỗi.
admin-jobs-kind = Tác vụ
admin-jobs-state = Tình trạng
admin-jobs-attempts = Số lần thử
admin-jobs-at = Thời điểm
admin-jobs-error = Lỗi cuối cùng
admin-jobs-dead = Đã dừng
admin-jobs-retrying = Chờ chạy lại
job-kind-purge_finished_jobs = Dọn tác vụ đã xong
job-kind-purge_sessions = Dọn phiên đăng nhập hết hạn
job-kind-send_email = Gửi thư điện tử
job-kind-certificate_clock_reminders = Nhắc hạn giải quyết hồ sơ chứng nhận doanh nghiệp KH&CN
job-kind-weekly_digest = Bản tin tuần
job-kind-directive_escalation = Báo cáo chỉ đạo quá hạn lên lãnh đạo
job-kind-publish_scheduled = Đăng bài hẹn giờ
job-kind-deadline_reminders = Nhắc hạn nhiệm vụ
job-kind-report_reminders = Nhắc hạn báo cáo định kỳ
job-kind-rebuild_report_aggregates = Tính lại số liệu tổng hợp báo cáo
