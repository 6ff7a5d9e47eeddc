# Đăng nhập, tài khoản, quản trị người dùng, nhật ký.

nav-login = Đăng nhập
nav-logout = Đăng xuất
nav-account = Tài khoản
nav-admin-users = Người dùng
nav-admin-audit = Nhật ký hệ thống

login-title = Đăng nhập
login-heading = Đăng nhập vào Tiến Độ
login-username = Tên đăng nhập
login-password = Mật khẩu
login-submit = Đăng nhập
login-forgot = Quên mật khẩu? Hãy liên hệ quản trị viên của đơn vị để nhận liên kết đặt lại mật khẩu.
login-missing = Hãy nhập tên đăng nhập và mật khẩu.
login-failed = Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang bị khóa. Hãy kiểm tra lại (chú ý phím Caps Lock và bộ gõ tiếng Việt).
login-locked = Đăng nhập tạm thời bị khóa vì nhập sai nhiều lần. Hãy thử lại sau { $minutes } phút (lúc { $time }).
login-session-expired = Phiên làm việc đã hết hạn. Hãy đăng nhập lại.
login-session-expired-kept = Phiên làm việc đã hết hạn trước khi bạn gửi biểu mẫu. Nội dung bạn đã nhập vẫn được giữ lại: hãy đăng nhập để gửi tiếp.
login-required-kept = Cần đăng nhập để gửi biểu mẫu này. Nội dung bạn đã nhập vẫn được giữ lại: hãy đăng nhập để gửi tiếp.
login-after-reset = Mật khẩu mới đã được lưu. Hãy đăng nhập bằng mật khẩu mới.

resend-title = Gửi lại biểu mẫu
resend-expired = Biểu mẫu đã hết hạn hoặc phiên làm việc đã thay đổi, nên chưa được gửi. Nội dung bạn đã nhập vẫn được giữ nguyên bên dưới; hãy kiểm tra rồi nhấn Gửi lại.
resend-after-login = Đăng nhập thành công. Nội dung bạn đã nhập trước đó được giữ nguyên bên dưới; hãy kiểm tra rồi nhấn Gửi lại.
resend-submit = Gửi lại
resend-cancel = Bỏ qua

reset-title = Đặt lại mật khẩu
reset-heading = Đặt mật khẩu mới
reset-submit = Lưu mật khẩu mới
reset-effects = Khi lưu mật khẩu mới, mọi phiên đăng nhập của tài khoản kết thúc, mọi liên kết đặt lại khác hết hiệu lực và mọi khóa API bị thu hồi.
reset-keep-tokens = Giữ các khóa API hiện có (chỉ chọn khi chắc chắn chúng không bị lộ)
reset-invalid = Liên kết đặt lại mật khẩu không hợp lệ, đã được dùng hoặc đã hết hạn. Hãy đề nghị quản trị viên cấp liên kết mới.

password-current = Mật khẩu hiện tại
password-new = Mật khẩu mới
password-confirm = Nhập lại mật khẩu mới
password-rules = Ít nhất 10 ký tự, gồm ít nhất hai loại: chữ thường, chữ hoa, chữ số, ký hiệu; không trùng tên đăng nhập.

field-password_too_short = Mật khẩu cần ít nhất { $min } ký tự.
field-password_is_username = Mật khẩu không được trùng tên đăng nhập.
field-password_too_simple = Mật khẩu cần ít nhất hai loại ký tự (chữ thường, chữ hoa, chữ số, ký hiệu).
field-password_mismatch = Hai lần nhập mật khẩu mới không khớp nhau.
field-password_wrong = Mật khẩu hiện tại không đúng.
field-username_taken = Tên đăng nhập này đã có người dùng.
field-username_format = Tên đăng nhập gồm 3–40 ký tự: chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.
field-email_format = Địa chỉ thư điện tử không hợp lệ.
field-unknown_organization = Không có cơ quan, đơn vị này.
field-scope_outside = Vai trò này nằm ngoài phạm vi bạn được quản lý.
field-grant_exists = Người dùng đã có vai trò này với phạm vi này.
field-unknown_role = Vai trò không hợp lệ.
field-date_format = Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026.
field-date_past = Ngày này đã qua.

error-csrf_failed = Biểu mẫu đã hết hạn
    .detail = Yêu cầu không kèm mã bảo vệ hợp lệ hoặc không xuất phát từ trang của hệ thống, nên chưa được thực hiện. Hãy tải lại trang rồi thử lại.

history-heading = Lịch sử thay đổi
history-empty = Chưa có thay đổi nào được ghi nhận.
history-field = Trường
history-before = Trước
history-after = Sau

## Audit summaries of signing in and out
audit-login = Đăng nhập
audit-login-failed = Đăng nhập không thành công với tên { $username }
audit-logout = Đăng xuất
audit-reset-password-by-link = Đặt lại mật khẩu bằng liên kết
audit-reset-password-tokens-revoked = Đặt lại mật khẩu bằng liên kết; thu hồi { $tokens } khóa API
audit-sign-in-unlocked = Gỡ tạm khóa đăng nhập của tài khoản { $username }
admin-sign-in-locked = Đăng nhập vào tài khoản này đang bị tạm khóa đến { $until } vì nhập sai mật khẩu nhiều lần. Khóa gắn với tên đăng nhập, nên bất kỳ ai cũng có thể gây ra; hãy gỡ nếu chủ tài khoản cần vào ngay.
admin-sign-in-unlock = Gỡ tạm khóa đăng nhập
