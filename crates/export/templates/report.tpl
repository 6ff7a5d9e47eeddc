summary: Kết quả {{period.years}} năm thực hiện Nghị quyết số {{resolution.symbol}} của {{resolution.issuer}} về {{resolution.title}}
recipient: {{recipient.main}};
recipient: Lãnh đạo Sở;
recipient: Lưu: VT, {{drafting.unit}}.
---
Thực hiện {{request.basis}}, {{org.name}} báo cáo kết quả {{period.years}} năm thực hiện Nghị quyết số {{resolution.symbol}} như sau:

# KẾT QUẢ ĐẠT ĐƯỢC
{{results.summary}}
{{#each results as r}}
- {{r.text}}
{{/each}}

# KHÓ KHĂN, VƯỚNG MẮC
{{#each difficulties as d}}
- {{d.text}}
{{/each}}

# NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI
{{#each tasks as t}}
- {{t.text}}
{{/each}}

Trên đây là báo cáo kết quả {{period.years}} năm thực hiện Nghị quyết số {{resolution.symbol}} của {{org.name}}./.
