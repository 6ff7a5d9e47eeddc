# Tài khoản, vai trò, mã truy cập API: nội dung nhật ký hệ thống và lỗi của trạng thái tài khoản.

audit-account-created = Tạo tài khoản { $username }
audit-account-updated = Sửa tài khoản { $username }
audit-account-disabled = Khóa tài khoản { $username }
audit-account-enabled = Mở khóa tài khoản { $username }
audit-password-link-first = Cấp liên kết đặt mật khẩu cho { $username }
audit-password-link-reset = Cấp liên kết đặt lại mật khẩu cho { $username }
audit-password-changed = Đổi mật khẩu
audit-role-granted = Giao vai trò { $role } cho { $username }
audit-role-revoked = Thu hồi vai trò { $role } của { $username }
audit-token-created = Tạo mã truy cập API «{ $name }» (số { $id })
audit-token-revoked = Thu hồi mã truy cập API số { $id }
audit-token-revoked-by-admin = Thu hồi mã truy cập API số { $id } của { $username }

error-account_status_unchanged = Tài khoản đã ở trạng thái này
    .detail = Tài khoản đã ở trạng thái được yêu cầu; không có gì thay đổi. Hãy tải lại trang để xem trạng thái hiện tại.
