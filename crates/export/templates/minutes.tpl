summary: Họp Hội đồng tư vấn {{council.purpose}}
---
Thời gian: {{meeting.time}}, ngày {{meeting.date}}.

Địa điểm: {{meeting.place}}.

# THÀNH PHẦN THAM DỰ
{{#each members as m}}
- {{m.name}}, {{m.role}}.
{{/each}}

# NỘI DUNG
{{meeting.content}}

# KẾT LUẬN CỦA HỘI ĐỒNG
{{council.conclusion}}

Biên bản kết thúc lúc {{meeting.end}} cùng ngày./.
