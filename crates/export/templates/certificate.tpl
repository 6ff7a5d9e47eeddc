summary: Doanh nghiệp khoa học và công nghệ
---
{{#each bases as b}}
{{b.text}};

{{/each}}
Xét hồ sơ đề nghị cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ của {{enterprise.name}} nhận ngày {{application.received_on}}.

! {{issuer.title}}
! CHỨNG NHẬN:

Tên doanh nghiệp: **{{enterprise.name}}**

Mã số doanh nghiệp: {{enterprise.code}}

Địa chỉ trụ sở chính: {{enterprise.address}}

{{#each representatives as p}}
Người đại diện theo pháp luật: {{p.name}}

{{/each}}
Là doanh nghiệp khoa học và công nghệ.

Kết quả khoa học và công nghệ được cơ quan có thẩm quyền đánh giá, thẩm định, công nhận:
{{#each results as r}}
- {{r.text}}
{{/each}}

Sản phẩm hình thành từ kết quả khoa học và công nghệ:
{{#each products as p}}
- {{p.text}}
{{/each}}

{{#each changes as c}}
{{c.text}}

{{/each}}
Giấy chứng nhận có hiệu lực kể từ ngày {{certificate.valid_from}}./.
