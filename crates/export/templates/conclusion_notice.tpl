summary: Kết luận của {{chair.title}} {{chair.name}} tại buổi làm việc với {{host.name}}
recipient: {{host.name}};
recipient: Các phòng, đơn vị thuộc Sở;
recipient: Lưu: VT, VP.
---
Ngày {{visit.date}}, {{chair.title}} {{chair.name}} chủ trì đoàn công tác làm việc với {{host.name}}. Tham dự buổi làm việc có {{visit.participants}}.

Sau khi nghe báo cáo và ý kiến của các thành viên dự họp, {{chair.title}} kết luận như sau:

# ĐÁNH GIÁ CHUNG
{{visit.assessment}}

# NHIỆM VỤ THỜI GIAN TỚI
{{#each directives as d}}
- {{d.lead}}: {{d.text}} Thời hạn: {{d.deadline}}.
{{/each}}

{{org.name}} thông báo để các cơ quan, đơn vị biết, thực hiện./.
