# Địa giới hành chính: nội dung nhật ký hệ thống của thay đổi địa giới.

audit-map-change-recorded = Ghi nhận thay đổi địa giới từ ngày { $date }: { $ending } đơn vị kết thúc, { $starting } đơn vị bắt đầu
audit-map-change-recorded-basis = Ghi nhận thay đổi địa giới từ ngày { $date }: { $ending } đơn vị kết thúc, { $starting } đơn vị bắt đầu (căn cứ { $basis })
audit-admin-unit-ended = { $unit } kết thúc hiệu lực từ ngày { $date }
audit-admin-unit-started = { $unit } bắt đầu hiệu lực từ ngày { $date }
