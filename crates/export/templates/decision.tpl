summary: Về việc {{decision.subject}}
recipient: Như Điều 3;
recipient: Lưu: VT, {{drafting.unit}}.
---
! {{signer.authority}}
{{#each bases as b}}
{{b.text}};

{{/each}}
Theo đề nghị của {{proposer}}.

! QUYẾT ĐỊNH:

**Điều 1.** {{decision.article1}}

**Điều 2.** {{decision.article2}}

**Điều 3.** {{decision.article3}}
