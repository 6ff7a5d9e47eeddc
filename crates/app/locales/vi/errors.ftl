# Lỗi: mỗi mã lỗi ổn định có tiêu đề và thuộc tính .detail. Lỗi theo trường: field-<mã>.

error-back-home = Về trang chủ
error-request-id = Mã yêu cầu (gửi kèm khi báo lỗi):

error-not_found = Không tìm thấy trang
    .detail = Không có trang hay dữ liệu nào ở địa chỉ { $path }. Có thể đường dẫn đã cũ hoặc bị gõ nhầm.
error-unauthorized = Cần đăng nhập
    .detail = Bạn cần đăng nhập để xem nội dung này.
error-forbidden = Không có quyền truy cập
    .detail = Tài khoản của bạn không có quyền thực hiện thao tác này. Nếu cần, hãy liên hệ quản trị viên.
error-malformed_json = JSON không hợp lệ
    .detail = Nội dung gửi lên không phải JSON hợp lệ: { $reason }
error-invalid_body = Nội dung yêu cầu không đúng cấu trúc
    .detail = Nội dung JSON không khớp với cấu trúc mong đợi: { $reason }
error-unreadable_body = Không đọc được nội dung yêu cầu
    .detail = Không đọc được nội dung yêu cầu: { $reason }
error-invalid_query = Tham số truy vấn không hợp lệ
    .detail = Tham số trên địa chỉ không hợp lệ: { $reason }
error-validation_failed = Dữ liệu chưa hợp lệ
    .detail = Một số trường chưa hợp lệ. Hãy sửa các trường được nêu và gửi lại.
error-method_not_allowed = Phương thức không được hỗ trợ
    .detail = Địa chỉ { $path } không hỗ trợ phương thức này.
error-payload_too_large = Nội dung quá lớn
    .detail = Nội dung gửi lên vượt quá dung lượng cho phép.
error-unsupported_media_type = Kiểu nội dung không được hỗ trợ
    .detail = Hãy gửi nội dung theo kiểu mà thao tác khai báo: application/json, hoặc multipart/form-data khi tải tệp lên.
error-too_many_requests = Quá nhiều yêu cầu
    .detail = Bạn đã thử quá nhiều lần. Hãy thử lại sau ít phút.
error-service_unavailable = Hệ thống tạm thời không sẵn sàng
    .detail = Cơ sở dữ liệu tạm thời không phản hồi. Hãy thử lại sau ít phút.
error-stale_version = Dữ liệu vừa được thay đổi
    .detail = Trong lúc bạn làm việc, bản ghi này đã được người khác (hoặc ở một cửa sổ khác) cập nhật. Hãy tải lại để xem phiên bản mới rồi thực hiện lại.
error-invalid_form = Biểu mẫu không đọc được
    .detail = Nội dung biểu mẫu gửi lên không đúng định dạng: { $reason }
error-internal_error = Đã có lỗi xảy ra
    .detail = Hệ thống gặp lỗi ngoài dự kiến khi xử lý yêu cầu. Lỗi đã được ghi lại; hãy thử lại sau hoặc báo cho quản trị viên kèm mã yêu cầu.

field-invalid = Giá trị không hợp lệ.
field-required = Trường này là bắt buộc.
field-too_long = Tối đa { $max } ký tự.
field-invalid_format = Sai định dạng.
error-files_unavailable = Không lưu được tệp
    .detail = Kho tệp hiện không nhận tệp (ổ đĩa có thể đã đầy hoặc chỉ cho đọc). Chưa có gì được lưu: vui lòng thử lại sau và báo cho quản trị viên.
