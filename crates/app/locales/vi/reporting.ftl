# Báo cáo định kỳ: biểu mẫu, nhập liệu, phê duyệt, tính đầy đủ và đúng hạn, tổng hợp số liệu.

nav-reports = Báo cáo định kỳ
nav-admin-report-templates = Biểu mẫu báo cáo định kỳ
admin-hub-report-templates = Soạn biểu mẫu báo cáo (các trường, chỉ tiêu, quy tắc kiểm tra), xem các phiên bản và giao biểu mẫu cho cơ quan, đơn vị.

## Trạng thái
report-status-none = Chưa mở
report-status-draft = Đang nhập
report-status-submitted = Chờ phê duyệt
report-status-returned = Bị trả lại
report-status-approved = Đã phê duyệt

## Danh sách báo cáo
reports-title = Báo cáo định kỳ
reports-due-heading = Báo cáo đơn vị phải nộp
reports-due-hint = Các kỳ gần đây của những biểu mẫu được giao cho đơn vị; có thể nhập dần, lưu nháp và gửi khi đủ số liệu.
reports-due-none = Đơn vị chưa được giao biểu mẫu báo cáo nào.
reports-mine-heading = Các báo cáo của đơn vị
reports-none = Chưa có báo cáo nào.
reports-queue-title = Báo cáo chờ phê duyệt
reports-queue-hint = Báo cáo đã gửi, báo cáo gửi sớm nhất ở trên cùng. Mở từng báo cáo để trả lại kèm ý kiến hoặc phê duyệt.
reports-queue-empty = Không có báo cáo nào đang chờ.
reports-review-tools = Công cụ theo dõi báo cáo
reports-awaiting-heading = Báo cáo đang chờ bạn phê duyệt
reports-awaiting-count = { $count ->
    [0] Không có báo cáo nào đang chờ
   *[other] { $count } báo cáo đang chờ phê duyệt
}
reports-completeness-lead = Đơn vị nào đã nộp, đơn vị nào còn thiếu trong từng kỳ
reports-aggregates-lead = Số liệu tổng hợp theo chỉ tiêu, địa bàn và kỳ báo cáo
report-template = Biểu mẫu
report-org = Đơn vị báo cáo
report-period = Kỳ báo cáo
report-period-hint = Ví dụ: 2025 (năm), 2025Q3 (quý III), 2025M07 (tháng 7), 2025H1 (6 tháng), 2025N9 (9 tháng), 30/11/2025 (đột xuất).
report-status = Trạng thái
report-due = Hạn nộp
report-submitted-at = Ngày gửi
report-actions = Thao tác
report-late = Nộp muộn
report-overdue = Quá hạn
report-open-existing = Mở báo cáo
report-start = Bắt đầu nhập
report-choose = — Chọn —
report-open-heading = Mở báo cáo cho một kỳ khác
report-open-hint = Chọn biểu mẫu, đơn vị và kỳ báo cáo; nếu báo cáo của kỳ đó đã có, hệ thống mở lại báo cáo đó.
report-open-button = Mở báo cáo

## Nhập liệu
report-form-hint = Số nhập theo kiểu Việt Nam: dấu chấm tách hàng nghìn (1.234.567), dấu phẩy cho phần thập phân (12,5). Ô chưa có số liệu thì để trống, không ghi “N/A”. Có thể lưu nháp và nhập tiếp sau.
report-form-errors = Báo cáo chưa được lưu. Hãy sửa các ô dưới đây (số liệu đã nhập vẫn được giữ nguyên):
report-previous = Kỳ trước
report-previous-period = Kỳ trước để so sánh
report-outlier = Giá trị này khác xa các kỳ trước của đơn vị (từ { $min } đến { $max }); hãy kiểm tra lại. Nếu đúng, vẫn có thể lưu và gửi.
report-saved-by-other = Giá trị vừa được người khác lưu
report-empty-value = (để trống)
report-bounds-between = Từ { $min } đến { $max }.
report-bounds-min = Không nhỏ hơn { $min }.
report-bounds-max = Không lớn hơn { $max }.
report-unit-money = đồng
report-yes = Có
report-no = Không
report-attachments = Tệp đính kèm
report-attach = Đính kèm tệp
report-submit = Gửi báo cáo
report-save-draft = Lưu nháp
report-edit = Nhập, sửa số liệu
report-returned-with = Báo cáo bị trả lại với ý kiến:
report-comment-from = Ý kiến của
report-stale = Báo cáo vừa được { $who } lưu lúc { $when }, sau khi bạn mở trang này. Số liệu bạn nhập chưa được lưu nhưng vẫn được giữ nguyên bên dưới; giá trị người kia vừa lưu được ghi cạnh từng ô khác nhau. Hãy xem lại rồi lưu lần nữa.
report-locked-approved = Báo cáo này đã được { $who } phê duyệt lúc { $when } và đã khóa: không thể gửi lại hay sửa. Nếu cần sửa, hãy đề nghị người phê duyệt mở khóa. Số liệu bạn vừa nhập vẫn hiển thị dưới đây.
report-locked-submitted = Báo cáo này đã được { $who } gửi lúc { $when } và đang chờ phê duyệt: không thể gửi lại hay sửa trừ khi bị trả lại. Số liệu bạn vừa nhập vẫn hiển thị dưới đây.
report-done-saved = Đã lưu nháp. Có thể nhập tiếp bất cứ lúc nào.
report-done-submitted = Đã gửi báo cáo. Người phê duyệt đã được thông báo.
report-done-returned = Đã trả lại báo cáo kèm ý kiến; đơn vị đã được thông báo.
report-done-approved = Đã phê duyệt và khóa báo cáo; số liệu đã được cộng vào số liệu tổng hợp.
report-done-unlocked = Đã mở khóa báo cáo; số liệu đã được rút khỏi số liệu tổng hợp cho đến khi được phê duyệt lại.

## Xem, phê duyệt
report-template-version = Phiên bản biểu mẫu
report-unit-then = Địa bàn khi báo cáo
report-unit-now = Nay thuộc
report-counts-for = nay thuộc { $unit }
report-counts-for-share = nay { $share }% thuộc { $unit }
report-unlocked-because = Báo cáo được mở khóa với lý do:
report-decide-heading = Phê duyệt hoặc trả lại
report-comment-overall = Ý kiến chung
report-comment-hint = Khi trả lại, cần ít nhất một ý kiến: ý kiến chung ở đây hoặc ý kiến ở từng ô bên trên.
report-comment-on-field = Ý kiến về ô này (khi trả lại)
report-approve = Phê duyệt và khóa
report-return = Trả lại để sửa
report-unlock-heading = Mở khóa báo cáo
report-unlock-reason = Lý do mở khóa
report-unlock = Mở khóa
report-already-decided = Báo cáo không còn chờ phê duyệt: hiện ở trạng thái “{ $status }” ({ $who }, { $when }). Ý kiến bạn vừa nhập vẫn được giữ bên dưới.

## Lịch sử
report-history-title = Lịch sử số liệu
report-history-values = Mọi thay đổi của từng ô
report-history-none = Chưa có thay đổi nào.
report-history-when = Thời gian
report-history-who = Người thay đổi
report-history-field = Ô
report-history-version = Phiên bản báo cáo

## Tính đầy đủ, đúng hạn
completeness-title = Tình hình nộp báo cáo
completeness-expected = Số đơn vị phải nộp
completeness-sent = Đã nộp
completeness-on-time = Nộp đúng hạn
completeness-late = Nộp muộn
completeness-missing = Chưa nộp
completeness-timeliness = Đúng hạn
completeness-in-time = Đúng hạn
completeness-not-expected = Không thuộc diện phải nộp
completeness-sent-late = Muộn { $days } ngày
completeness-overdue = Quá hạn { $days } ngày

## Tổng hợp
aggregates-title = Số liệu tổng hợp
aggregates-current-hint = Số liệu của các đơn vị cũ được tính cho đơn vị hành chính hiện nay kế thừa địa bàn (theo tỷ lệ đã cấu hình, hoặc toàn bộ cho đơn vị kế thừa mặc định), để so sánh được các năm trước và sau sắp xếp đơn vị hành chính năm 2025.
aggregates-reported-hint = Mỗi số liệu được tính cho đơn vị đã báo cáo, theo bản đồ hành chính tại thời điểm cuối kỳ báo cáo.
aggregates-map = Bản đồ hành chính
aggregates-map-current = Theo đơn vị hành chính hiện nay
aggregates-map-reported = Theo đơn vị tại thời điểm báo cáo
aggregates-province = Tỉnh, thành phố
aggregates-from = Từ năm
aggregates-to = Đến năm
aggregates-period = Hoặc một kỳ
aggregates-period-hint = Ví dụ 2025Q3; để trống để xem theo năm.
aggregates-none = Chưa có số liệu đã phê duyệt.
aggregates-indicator = Chỉ tiêu
aggregates-unit = Đơn vị tính
aggregates-chart-it = Vẽ biểu đồ chỉ tiêu này
aggregates-total = Toàn tỉnh
aggregates-by-unit = Theo đơn vị hành chính
aggregates-admin-unit = Đơn vị hành chính
aggregates-value = Giá trị
aggregates-reports-behind = Các báo cáo đã phê duyệt tạo nên số liệu
aggregates-reports-behind-unit = Các báo cáo tạo nên số liệu của { $unit }
aggregates-no-reports = Không có báo cáo nào bạn được xem.
report-rule-sum = cộng dồn
report-rule-average = trung bình
report-rule-latest = số cuối kỳ
report-rule-ratio = tỷ lệ

## Biểu mẫu (quản trị)
report-templates-title = Biểu mẫu báo cáo định kỳ
report-templates-intro = Mỗi biểu mẫu gồm các phần, các ô có kiểu dữ liệu, chỉ tiêu, quy tắc kiểm tra, kỳ báo cáo và hạn nộp. Mỗi lần lưu tạo một phiên bản mới; báo cáo đã mở giữ phiên bản đã dùng.
report-templates-none = Chưa có biểu mẫu nào.
report-template-new-title = Biểu mẫu mới
report-template-code = Mã
report-template-periodicity = Kỳ báo cáo
report-template-due-days = Hạn (ngày sau kỳ)
report-template-saved = Người lưu, thời gian
report-template-retired = Ngừng sử dụng
report-template-retire = Ngừng sử dụng
report-template-reinstate = Dùng lại
report-template-errors = Biểu mẫu chưa được lưu; nội dung bạn soạn vẫn được giữ nguyên:
report-template-definition = Định nghĩa biểu mẫu (TOML)
report-template-definition-hint = Xem hướng dẫn cú pháp bên cạnh; lỗi được báo kèm số dòng.
report-template-save = Lưu thành phiên bản mới
report-template-preview = Xem trước
report-template-previewed = Biểu mẫu hợp lệ; xem trước ở dưới. Chưa lưu.
report-template-unchanged = Nội dung giống hệt phiên bản đang dùng; không có gì để lưu.
report-template-loaded-version = Đã nạp nội dung của phiên bản { $version }; bấm “Lưu thành phiên bản mới” để dùng lại nội dung này.
report-template-reference = Hướng dẫn cú pháp
report-ref-template = Mã biểu mẫu (giữ nguyên qua các phiên bản), tên tiếng Việt và tên tiếng Anh.
report-ref-periodicity = Kỳ báo cáo: monthly (tháng), quarterly (quý), half_yearly (6 tháng), nine_monthly (9 tháng), yearly (năm), ad_hoc (đột xuất).
report-ref-due-days = Hạn nộp: số ngày sau ngày cuối kỳ (ví dụ 32: báo cáo năm hạn 01/02 năm sau).
report-ref-indicator = Chỉ tiêu: code, name, unit (đơn vị tính), aggregate; dùng chung cho mọi biểu mẫu báo cáo chỉ tiêu đó.
report-ref-aggregate = Cách tổng hợp: sum (cộng), average (trung bình), latest (số cuối kỳ, cộng theo đơn vị), ratio (tỷ lệ %, cần numerator và denominator là hai chỉ tiêu khác).
report-ref-section = Một phần của biểu mẫu: title (và title_en), tiếp theo là các ô.
report-ref-field = Một ô: code (chữ, số, dấu _), label, type.
report-ref-bounds = Ô bắt buộc khi gửi; giá trị nhỏ nhất, lớn nhất (với ô số).
report-ref-pattern = Mẫu ký tự (biểu thức chính quy) cho ô văn bản và lời giải thích hiện khi nhập sai.
report-ref-choices = Danh sách lựa chọn của ô kiểu choice, ví dụ ["Nhà nước", "Ngoài nhà nước"].
report-ref-field-indicator = Mã chỉ tiêu mà ô số cung cấp giá trị.
report-ref-help = Hướng dẫn dưới ô, nhãn và hướng dẫn tiếng Anh.
report-ref-rule = Quy tắc giữa các ô: check = "spent <= allocated" (so sánh <=, >=, <, >, =, != giữa các tổng, hiệu, tích của ô số), message và message_en.
report-ref-types = Kiểu dữ liệu của ô
report-kind-integer = Số nguyên (1.234)
report-kind-decimal = Số thập phân (12,5)
report-kind-percent = Phần trăm (12,5 hoặc 12,5%)
report-kind-money = Số tiền bằng đồng (1.250.000 hoặc 1.250.000 đ)
report-kind-text = Văn bản
report-kind-yes_no = Có / không
report-kind-choice = Một trong các lựa chọn
report-kind-date = Ngày (31/12/2025)
report-template-preview-heading = Biểu mẫu sẽ hiện ra như sau
report-template-preview-none = Chưa xem trước được vì định nghĩa còn lỗi.
report-template-versions = Các phiên bản
report-template-version-n = Phiên bản { $version }
report-template-in-force = đang dùng
report-template-done-saved = Đã lưu phiên bản mới của biểu mẫu.
report-template-done-target = Đã cập nhật danh sách đơn vị phải báo cáo.
report-template-done-retired = Đã ngừng sử dụng biểu mẫu.
report-template-done-reinstated = Đã dùng lại biểu mẫu.
report-targets = Đơn vị phải báo cáo
report-targets-hint = Giao cho từng cơ quan, đơn vị, hoặc cho mọi cơ quan một loại (có thể giới hạn trong một tỉnh, ví dụ mọi UBND xã, phường của tỉnh 22).
report-targets-none = Chưa giao cho đơn vị nào.
report-target-org = Cơ quan, đơn vị
report-target-or = hoặc mọi cơ quan thuộc loại:
report-target-kind-label = Loại cơ quan
report-target-province = Mã tỉnh
report-target-province-hint = Hai chữ số, ví dụ 22 (Quảng Ninh); để trống cho cả nước.
report-target-add = Giao biểu mẫu
report-target-remove = Thôi giao
report-target-kind = Mọi { $kind }
report-target-kind-in = Mọi { $kind } của tỉnh { $province }

## Lỗi theo ô
field-not_a_number = “{ $value }” không phải là số. Hãy nhập một số (ví dụ 1.234 hoặc 12,5); nếu chưa có số liệu, hãy để trống ô này.
field-number_grouping = “{ $value }” đặt dấu phân cách chưa đúng: dùng dấu chấm tách hàng nghìn (1.234.567) và dấu phẩy cho phần thập phân (12,5).
field-not_whole = Ô này nhận số nguyên; “{ $value }” có phần thập phân.
field-not_yes_no = Hãy chọn “Có” hoặc “Không”.
field-not_a_choice = “{ $value }” không thuộc các lựa chọn của ô này.
field-below_min = Giá trị không được nhỏ hơn { $min }.
field-above_max = Giá trị không được lớn hơn { $max }.
field-pattern = “{ $value }” không đúng dạng: { $hint }.
field-rule = { $message }
field-period_format = “{ $value }” không phải là kỳ báo cáo; ví dụ 2025, 2025Q3, 2025M07, 2025H1, 2025N9 hoặc 2025-11-30.
field-period_wrong_kind = Kỳ “{ $value }” không đúng loại kỳ của biểu mẫu này.
field-period_future = Kỳ “{ $value }” chưa bắt đầu.
field-period_outside_organization = Đơn vị không tồn tại vào cuối kỳ “{ $value }” (thời gian hoạt động: { $validity }), nên không phải báo cáo kỳ này.
field-unknown_template = Không có biểu mẫu này, hoặc biểu mẫu đã ngừng sử dụng.
field-not_a_target = Đơn vị này không thuộc diện phải báo cáo biểu mẫu này.
field-return_needs_comment = Khi trả lại, hãy ghi ý kiến chung hoặc ý kiến ở ít nhất một ô.
field-unknown_report_field = Biểu mẫu không có ô “{ $name }”.
field-template_problem = Dòng { $line }: { $message }
field-template_code_changed = Mã biểu mẫu phải giữ là “{ $code }”; để tạo biểu mẫu khác, hãy dùng “Biểu mẫu mới”.
field-template_code_taken = Đã có biểu mẫu mã “{ $code }”; hãy sửa biểu mẫu đó hoặc chọn mã khác.
field-template_stale = { $by } vừa lưu phiên bản { $version } của biểu mẫu này; nội dung bạn soạn vẫn được giữ. Hãy xem lại phiên bản mới rồi lưu lại.
field-indicator_rule_in_use = Dòng { $line }: chỉ tiêu { $code } đang được tổng hợp theo cách “{ $rule }” từ các báo cáo đã phê duyệt; không đổi cách tổng hợp được. Hãy dùng mã chỉ tiêu mới.
field-target_one_of = Hãy chọn một cơ quan, hoặc một loại cơ quan (không chọn cả hai).
field-target_exists = Biểu mẫu đã được giao như vậy.
field-year_range = Hãy chọn năm đầu không sau năm cuối, trong khoảng tối đa 30 năm.

error-report_locked = Báo cáo đã được gửi hoặc phê duyệt
    .detail = Báo cáo này đã được gửi hoặc đã được phê duyệt nên không thể gửi lại hay sửa.
error-report_exists = Báo cáo đã có
    .detail = Báo cáo của đơn vị cho kỳ này đã được mở.

## Thông báo
notify-report-submitted = Báo cáo chờ phê duyệt: { $template } — { $period }
notify-report-return = Báo cáo bị trả lại: { $template } — { $period }
notify-report-approve = Báo cáo đã được phê duyệt: { $template } — { $period }
notify-report-unlock = Báo cáo được mở khóa để sửa: { $template } — { $period }
report-reminder-due-soon = Sắp đến hạn nộp báo cáo: { $template } — { $period }, hạn { $due }
report-reminder-overdue = Đã quá hạn nộp báo cáo: { $template } — { $period }, hạn { $due }
report-reminder-body = Đơn vị báo cáo: { $org }

## Excel report forms
report-download-form = Tải biểu mẫu Excel
report-upload-link = Nộp bằng tệp Excel
report-upload-title = Nộp báo cáo bằng Excel: { $template }
report-upload-heading = Nộp báo cáo bằng tệp Excel
report-upload-hint = Tải biểu mẫu Excel của báo cáo này, điền vào các ô màu vàng rồi tải lên. Mọi ô được kiểm tra trước; nếu có lỗi, không có số liệu nào được ghi.
report-upload-file = Tệp Excel đã điền (.xlsx)
report-upload-submit = Tải lên và gửi báo cáo
report-upload-save = Tải lên và lưu nháp
report-upload-refused = Tệp chưa được nhận, không có số liệu nào được ghi. Hãy sửa các lỗi dưới đây trong tệp rồi tải lên lại.
report-upload-problems = Các lỗi trong tệp
xlsx-sheet = Trang
xlsx-row = Dòng
xlsx-column = Cột
xlsx-field = Chỉ tiêu
xlsx-problem = Lỗi
xlsx-no-file = Hãy chọn tệp Excel (.xlsx) đã điền.
xlsx-not_xlsx = Tệp không phải Excel .xlsx (nhận ra: { $detected }). Hãy mở tệp trong Excel và lưu lại dạng .xlsx.
xlsx-encrypted = Tệp có mật khẩu mở. Hãy gỡ mật khẩu rồi tải lên lại.
xlsx-too_large = Tệp giải nén quá lớn (trên { $limit_mb } MB), có thể là tệp độc hại.
xlsx-damaged = Tệp bị hỏng ({ $part }). Hãy tải biểu mẫu mới.
xlsx-missing_sheet = Tệp thiếu trang “{ $sheet }”. Hãy tải biểu mẫu mới từ Tiến Độ.
xlsx-not_a_form = Tệp không phải biểu mẫu tải từ Tiến Độ. Hãy tải biểu mẫu của báo cáo này.
xlsx-metadata_damaged = Trang ẩn của biểu mẫu đã bị sửa (mục { $key }). Hãy tải biểu mẫu mới.
xlsx-wrong_template = Tệp là biểu mẫu “{ $found }”, không phải “{ $expected }”.
xlsx-wrong_organisation = Tệp là biểu mẫu của đơn vị khác, không phải của đơn vị báo cáo này.
xlsx-wrong_period = Tệp là biểu mẫu của kỳ { $found }, không phải kỳ { $expected }.
xlsx-header_not_found = Không tìm thấy dòng tiêu đề cột (STT, Mã số, Chỉ tiêu, …, Giá trị).
xlsx-missing_column = Thiếu cột “{ $column }”.
xlsx-duplicate_column = Cột “{ $column }” có hai lần.
xlsx-unknown_field = Mã số “{ $code }” không có trong mẫu báo cáo.
xlsx-duplicate_field = Mã số “{ $code }” có hai dòng (dòng đầu: { $first_row }).
xlsx-missing_field = Thiếu dòng của chỉ tiêu có mã số “{ $code }”.
xlsx-cell_error = Ô chứa lỗi công thức { $error }. Hãy nhập một giá trị.
xlsx-header_moved = Cột “{ $column }” đã bị chuyển từ cột { $expected } sang cột { $found }; vẫn đọc được theo tiêu đề.
xlsx-template_version_changed = Tệp làm theo phiên bản { $found } của mẫu, báo cáo dùng phiên bản { $expected }; vẫn đọc được.
aggregates-download = Tải bảng Excel
aggregates-sheet = Tổng hợp
aggregates-xlsx-title = Số liệu tổng hợp các chỉ tiêu của { $province }
aggregates-xlsx-source = Tiến Độ — báo cáo định kỳ đã phê duyệt
aggregates-xlsx-attribution = Số liệu do đơn vị cũ báo cáo (trước ngày 01/07/2025) được tính cho đơn vị kế thừa theo địa giới hiện hành (đơn vị kế thừa mặc định, hoặc theo tỷ lệ đã cấu hình khi đơn vị bị chia tách); đơn vị báo cáo ban đầu vẫn được lưu.

## API báo cáo định kỳ
error-report_stale = Báo cáo vừa được người khác lưu
    .detail = Báo cáo đã thay đổi kể từ phiên bản bạn đọc; hãy đọc lại báo cáo rồi gửi lại các giá trị.
error-report_already_decided = Báo cáo đã được xử lý
    .detail = Báo cáo không còn ở trạng thái chờ phê duyệt (đã được phê duyệt hoặc trả lại).
field-unknown_status = “{ $value }” không phải là trạng thái báo cáo (draft, submitted, returned, approved).
field-decision_unknown = “{ $value }” không phải là quyết định được chấp nhận ở đây.
field-map_unknown = “{ $value }” không phải là bản đồ; hãy dùng current hoặc reported.

## Nhật ký (báo cáo định kỳ)
audit-report-opened = Mở báo cáo { $template } — { $period }
audit-report-saved = Lưu báo cáo { $template } — { $period }
audit-report-submitted = Gửi báo cáo { $template } — { $period }
audit-report-returned = Trả lại báo cáo { $template } — { $period }
audit-report-approved = Phê duyệt báo cáo { $template } — { $period }
audit-report-unlocked = Mở khóa báo cáo { $template } — { $period }
audit-report-form-created = Tạo biểu mẫu báo cáo { $name } ({ $code })
audit-report-form-saved = Lưu biểu mẫu báo cáo { $name } phiên bản { $version }
audit-report-form-retired = Ngừng sử dụng biểu mẫu { $name }
audit-report-form-reinstated = Dùng lại biểu mẫu { $name }
audit-report-form-assigned-org = Giao biểu mẫu { $name } cho { $org }
audit-report-form-assigned-kind = Giao biểu mẫu { $name } cho mọi cơ quan loại { $kind }
audit-report-form-assigned-kind-in = Giao biểu mẫu { $name } cho mọi cơ quan loại { $kind } của tỉnh { $province }
audit-report-form-unassigned = Thôi giao biểu mẫu { $name } cho { $target }
audit-report-aggregates-rebuilt = Tính lại số liệu tổng hợp của { $reports } báo cáo đã phê duyệt theo bản đồ hành chính ngày { $day }
audit-report-aggregates-exported = Xuất bảng tổng hợp ({ $count } chỉ tiêu)
