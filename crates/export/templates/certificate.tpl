summary: Doanh nghiệp khoa học và công nghệ
recipient: {{enterprise.name}};
recipient: Lưu: VT, {{drafting.unit}}.
---
! {{issuer.title}}
! CHỨNG NHẬN

Tên doanh nghiệp: **{{enterprise.name}}**

Mã số doanh nghiệp: {{enterprise.code}}

Địa chỉ trụ sở chính: {{enterprise.address}}

Người đại diện theo pháp luật: {{enterprise.representative}}

Là doanh nghiệp khoa học và công nghệ, với kết quả khoa học và công nghệ: {{result.name}}.

Giấy chứng nhận có hiệu lực kể từ ngày {{certificate.valid_from}}.
