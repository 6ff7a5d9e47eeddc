# Mẫu văn bản: trang quản trị, xem trước, lỗi của mẫu và của việc tạo văn bản.

nav-admin-templates = Mẫu văn bản

template-kind-report = Báo cáo
template-kind-conclusion_notice = Thông báo kết luận
template-kind-minutes = Biên bản họp hội đồng
template-kind-decision = Quyết định
template-kind-certificate = Giấy chứng nhận doanh nghiệp khoa học và công nghệ

templates-title = Mẫu văn bản
templates-intro = Mỗi loại văn bản có một mẫu: phần chữ cố định và các trường được điền từ dữ liệu của hồ sơ. Sửa mẫu không cần cài lại chương trình; mỗi lần lưu tạo một phiên bản mới và có thể khôi phục bất cứ lúc nào.
templates-kind = Loại văn bản
templates-active-version = Phiên bản đang dùng
templates-changed-by = Người thay đổi
templates-changed-at = Thời điểm
templates-version-n = Phiên bản { $version }
templates-broken = Không còn hợp lệ, đang dùng mẫu mặc định
templates-default = Mẫu mặc định

templates-edit-title = Mẫu văn bản: { $kind }
templates-active = Đang dùng phiên bản { $version }, do { $by } lưu lúc { $at }.
templates-active-default = Đang dùng mẫu mặc định của chương trình.
templates-source = Nội dung mẫu
templates-source-hint = Viết chữ như trong văn bản; đặt tên trường trong cặp ngoặc nhọn kép, ví dụ {"{{"}org.name{"}}"}, để điền dữ liệu của hồ sơ. Phần trên dòng «---» là trích yếu và nơi nhận, phần dưới là nội dung văn bản.
templates-save = Lưu thành phiên bản mới
templates-preview-button = Xem trước
templates-syntax = Cách viết mẫu
templates-syntax-summary = Trích yếu của văn bản (một dòng, phía trên dòng «---»).
templates-syntax-recipient = Một dòng trong mục «Nơi nhận»; viết bao nhiêu dòng tùy ý.
templates-syntax-separator = Ngăn phần đầu (trích yếu, nơi nhận) với nội dung văn bản.
templates-syntax-heading = Đề mục cấp 1, cấp 2 (đến cấp 4); số thứ tự I., 1., 1.1., a) được đánh tự động.
templates-syntax-list = Một ý gạch đầu dòng (dấu «-» cho cấp 1, dấu «+» cho cấp 2).
templates-syntax-centered = Một dòng in đậm, căn giữa (ví dụ «QUYẾT ĐỊNH:»).
templates-syntax-bold = Chữ in đậm trong dòng (ví dụ «**Điều 1.**»).
templates-syntax-field = Giá trị của một trường trong bảng bên cạnh; ngày được in dd/mm/yyyy.
templates-syntax-each = Lặp các dòng cho đến {"{{"}/each{"}}"} với từng mục của một trường danh sách; trong vòng lặp dùng {"{{"}x.tên_trường{"}}"}.
templates-syntax-paragraph-label = Đoạn văn
templates-syntax-paragraph = Các dòng liền nhau ghép thành một đoạn; một dòng trống kết thúc đoạn.
templates-fields = Các trường dùng được
templates-fields-hint = Chỉ các trường dưới đây được phép dùng trong mẫu của loại văn bản này; mẫu có trường khác sẽ không lưu được.
templates-field-placeholder = Cách viết
templates-field-label = Ý nghĩa
templates-field-loop-end = Kết thúc vòng lặp
templates-field-max = ≤ { $max } ký tự
templates-field-kind-text = Văn bản
templates-field-kind-date = Ngày
templates-field-kind-integer = Số nguyên
templates-field-kind-decimal = Số thập phân
templates-field-kind-list = Danh sách

templates-preview = Xem trước văn bản
templates-preview-hint = Văn bản được tạo từ nội dung đang soạn (chưa lưu) với dữ liệu mẫu của kịch bản trình diễn; số văn bản và chữ ký là của văn bản mẫu.
templates-download-docx = Tải bản DOCX
templates-download-pdf = Tải bản PDF
templates-pdf-unavailable = Máy chủ chưa có phông chữ để tạo bản PDF, nên chưa tải được bản PDF; bản DOCX vẫn tải được. Người vận hành máy chủ cần cài gói fonts-liberation2 (hoặc đặt biến TIENDO_FONT_DIR). Thông báo của bộ tạo văn bản:
templates-preview-too-long = Giá trị mẫu của trường «{ $field }» dài { $len } ký tự, vượt quá { $max } ký tự cho phép.
templates-preview-failed = Chưa tạo được văn bản xem trước: { $reason }

templates-versions = Các phiên bản
templates-versions-none = Chưa lưu phiên bản nào; các văn bản đang dùng mẫu mặc định của chương trình.
templates-restore-default = Khôi phục mẫu mặc định
templates-default-confirm = Dùng lại mẫu mặc định của chương trình cho loại văn bản này? Các phiên bản đã lưu vẫn được giữ lại.
templates-version = Phiên bản
templates-version-what = Nội dung thay đổi
templates-version-actions = Thao tác
templates-version-active = Đang dùng
templates-version-open = Mở
templates-restore = Khôi phục
templates-restore-confirm = Dùng lại phiên bản này? Hệ thống lưu thành một phiên bản mới; các phiên bản khác vẫn được giữ lại.
templates-version-default = Mẫu mặc định của chương trình
templates-version-restored = Khôi phục phiên bản { $version }
templates-version-saved = Lưu nội dung mới

templates-saved = Đã lưu phiên bản { $version }. Các văn bản tạo từ bây giờ dùng mẫu này.
templates-restored = Đã khôi phục; phiên bản { $version } đang được dùng.
templates-default-restored = Đã khôi phục mẫu mặc định (phiên bản { $version }).
templates-unchanged = Nội dung giống hệt mẫu đang dùng nên không tạo phiên bản mới.
templates-version-opened = Ô soạn thảo đang chứa nội dung của phiên bản { $version }. Bấm «Lưu thành phiên bản mới» nếu muốn dùng lại nội dung này.
templates-stale = Trong lúc bạn soạn, { $by } đã lưu phiên bản { $version } lúc { $at }. Nội dung bạn nhập vẫn được giữ nguyên dưới đây; hãy xem lại rồi bấm lưu lần nữa để ghi đè.
templates-stale-default = Trong lúc bạn soạn, mẫu đã được thay đổi. Nội dung bạn nhập vẫn được giữ nguyên dưới đây; hãy xem lại rồi bấm lưu lần nữa.
templates-restore-invalid = Không khôi phục được phiên bản { $version } vì nội dung của nó không còn hợp lệ với phiên bản chương trình này: { $reason }
templates-fallback = Phiên bản đã lưu không còn hợp lệ với phiên bản chương trình này nên các văn bản đang dùng mẫu mặc định: { $reason }

field-did-you-mean = Có phải ý bạn là «{ $suggestion }»?
field-unknown_field = Dòng { $line } («{ $text }»): không có trường «{ $name }» trong loại văn bản này; chỉ dùng các trường trong bảng «Các trường dùng được».
field-template_unclosed_placeholder = Dòng { $line } («{ $text }»): thiếu «{"}}"}» để đóng «{"{{"}».
field-template_misplaced_block = Dòng { $line } («{ $text }»): «{"{{"}{ $name }{"}}"}» phải đứng riêng trên một dòng (hoặc là cặp ngoặc trống).
field-template_list_without_each = Dòng { $line } («{ $text }»): «{ $name }» là một danh sách; hãy dùng «{"{{"}#each { $name } as x{"}}"}» … «{"{{"}/each{"}}"}».
field-template_each_syntax = Dòng { $line } («{ $text }»): vòng lặp phải viết dạng «{"{{"}#each tên_danh_sách as x{"}}"}».
field-template_not_a_list = Dòng { $line } («{ $text }»): «{ $name }» không phải là danh sách nên không lặp được.
field-template_unmatched_end_each = Dòng { $line }: «{"{{"}/each{"}}"}» không có «{"{{"}#each …{"}}"}» tương ứng.
field-template_unclosed_each = Dòng { $line } («{ $text }»): vòng lặp chưa được đóng bằng «{"{{"}/each{"}}"}».
field-template_setting_syntax = Dòng { $line } («{ $text }»): phía trên dòng «---» chỉ viết các dòng «summary: …» (trích yếu) và «recipient: …» (nơi nhận).
field-template_unknown_setting = Dòng { $line }: «{ $name }» không phải là thiết lập hợp lệ; phía trên dòng «---» chỉ dùng «summary» và «recipient».
field-document_value_too_long = Trường «{ $field }» dài { $len } ký tự; loại văn bản này chỉ cho phép tối đa { $max } ký tự.

error-unknown_document_kind = Không có loại văn bản này
    .detail = Không có loại văn bản «{ $value }». Các loại hiện có: report, conclusion_notice, minutes, decision, certificate.
error-stale_template = Mẫu đã được thay đổi
    .detail = Trong lúc bạn soạn, mẫu đã được lưu thành một phiên bản mới. Hãy tải lại mẫu hiện hành rồi gửi lại (base_version là số phiên bản đang dùng).
error-pdf_font_missing = Chưa cài phông chữ cho PDF
    .detail = Máy chủ chưa có phông chữ Liberation Serif (hoặc Tinos) để tạo tệp PDF; tệp DOCX vẫn tạo được. Người vận hành cần cài gói Debian fonts-liberation2 hoặc đặt biến TIENDO_FONT_DIR. Chi tiết: { $reason }
error-pdf_font_unusable = Phông chữ cho PDF không dùng được
    .detail = Tệp phông chữ trên máy chủ không dùng được để tạo PDF (thiếu chữ tiếng Việt hoặc hỏng); tệp DOCX vẫn tạo được. Chi tiết: { $reason }
error-document_content = Không tạo được văn bản
    .detail = Nội dung của văn bản có phần không tạo được: { $reason }

# Nội dung nhật ký hệ thống của mẫu văn bản.
audit-template-saved = Lưu mẫu { $kind } phiên bản { $version }
audit-template-restored = Khôi phục mẫu { $kind } phiên bản { $from } thành phiên bản { $version }
audit-template-default-restored = Khôi phục mẫu mặc định của { $kind } (phiên bản { $version })
