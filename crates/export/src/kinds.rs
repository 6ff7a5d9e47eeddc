//! The document kinds the modules produce, each with its declared fields and a default
//! template (in `templates/`, editable by an administrator and stored in the database later).

use chrono::NaiveDate;

use crate::error::ExportError;
use crate::model::{Authority, Block, Document, DocumentNumber, DocumentSystem, PageSetup, Run, Signature};
use crate::template::{FieldDecl, FieldKind, Record, Schema, Template};

/// A kind of official document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// Báo cáo (BC).
    Report,
    /// Thông báo kết luận (TB) of a working visit.
    ConclusionNotice,
    /// Biên bản (BB) of a council meeting.
    Minutes,
    /// Quyết định (QĐ).
    Decision,
    /// Giấy chứng nhận doanh nghiệp KH&CN (GCN).
    Certificate,
}

fn text(path: &str, label: &str) -> FieldDecl {
    FieldDecl::new(path, label, FieldKind::Text).max_len(2000)
}

fn list(path: &str, label: &str, fields: Vec<FieldDecl>) -> FieldDecl {
    FieldDecl::new(path, label, FieldKind::List(fields))
}

impl DocumentKind {
    /// Every kind.
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::Report,
        DocumentKind::ConclusionNotice,
        DocumentKind::Minutes,
        DocumentKind::Decision,
        DocumentKind::Certificate,
    ];

    /// Stable identifier, used in URLs and in the templates table.
    pub fn id(self) -> &'static str {
        match self {
            DocumentKind::Report => "report",
            DocumentKind::ConclusionNotice => "conclusion_notice",
            DocumentKind::Minutes => "minutes",
            DocumentKind::Decision => "decision",
            DocumentKind::Certificate => "certificate",
        }
    }

    /// Tên loại as printed.
    pub fn title(self) -> &'static str {
        match self {
            DocumentKind::Report => "BÁO CÁO",
            DocumentKind::ConclusionNotice => "THÔNG BÁO",
            DocumentKind::Minutes => "BIÊN BẢN",
            DocumentKind::Decision => "QUYẾT ĐỊNH",
            DocumentKind::Certificate => "GIẤY CHỨNG NHẬN",
        }
    }

    /// Type abbreviation in the symbol (Nghị định 30, Phụ lục III).
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Report => "BC",
            DocumentKind::ConclusionNotice => "TB",
            DocumentKind::Minutes => "BB",
            DocumentKind::Decision => "QĐ",
            DocumentKind::Certificate => "GCN",
        }
    }

    /// The default template shipped with the program.
    pub fn default_template(self) -> &'static str {
        match self {
            DocumentKind::Report => include_str!("../templates/report.tpl"),
            DocumentKind::ConclusionNotice => include_str!("../templates/conclusion_notice.tpl"),
            DocumentKind::Minutes => include_str!("../templates/minutes.tpl"),
            DocumentKind::Decision => include_str!("../templates/decision.tpl"),
            DocumentKind::Certificate => include_str!("../templates/certificate.tpl"),
        }
    }

    /// The fields a template of this kind may use.
    pub fn schema(self) -> Schema {
        let item = || vec![text("text", "Nội dung")];
        let fields = match self {
            DocumentKind::Report => vec![
                text("org.name", "Tên cơ quan báo cáo"),
                text("period.years", "Số năm thực hiện"),
                FieldDecl::new("resolution.symbol", "Số, ký hiệu nghị quyết", FieldKind::Text).max_len(40),
                text("resolution.issuer", "Cơ quan ban hành nghị quyết"),
                text("resolution.title", "Trích yếu nghị quyết"),
                text("request.basis", "Căn cứ yêu cầu báo cáo"),
                text("recipient.main", "Nơi nhận chính"),
                FieldDecl::new("drafting.unit", "Đơn vị soạn thảo", FieldKind::Text).max_len(20),
                text("results.summary", "Đánh giá chung"),
                list("results", "Kết quả", item()),
                list("difficulties", "Khó khăn, vướng mắc", item()),
                list("tasks", "Nhiệm vụ, giải pháp", item()),
            ],
            DocumentKind::ConclusionNotice => vec![
                text("org.name", "Tên cơ quan thông báo"),
                text("chair.title", "Chức vụ người chủ trì"),
                text("chair.name", "Họ tên người chủ trì"),
                text("host.name", "Đơn vị làm việc"),
                FieldDecl::new("visit.date", "Ngày làm việc", FieldKind::Date),
                text("visit.participants", "Thành phần tham dự"),
                text("visit.assessment", "Đánh giá chung"),
                list(
                    "directives",
                    "Nhiệm vụ được giao",
                    vec![
                        text("lead", "Đơn vị chủ trì"),
                        text("text", "Nội dung"),
                        FieldDecl::new("deadline", "Thời hạn", FieldKind::Text).max_len(60),
                    ],
                ),
            ],
            DocumentKind::Minutes => vec![
                text("council.purpose", "Mục đích của hội đồng"),
                text("council.conclusion", "Kết luận"),
                text("meeting.time", "Giờ bắt đầu"),
                FieldDecl::new("meeting.date", "Ngày họp", FieldKind::Date),
                text("meeting.place", "Địa điểm"),
                text("meeting.content", "Nội dung"),
                text("meeting.end", "Giờ kết thúc"),
                list("members", "Thành viên", vec![text("name", "Họ tên"), text("role", "Vai trò")]),
            ],
            DocumentKind::Decision => vec![
                text("signer.authority", "Thẩm quyền ban hành"),
                text("decision.subject", "Về việc"),
                text("decision.article1", "Điều 1"),
                text("decision.article2", "Điều 2"),
                text("decision.article3", "Điều 3"),
                text("proposer", "Đơn vị đề nghị"),
                FieldDecl::new("drafting.unit", "Đơn vị soạn thảo", FieldKind::Text).max_len(20),
                list("bases", "Căn cứ", item()),
            ],
            DocumentKind::Certificate => vec![
                list("bases", "Căn cứ", item()),
                FieldDecl::new("application.received_on", "Ngày nhận hồ sơ", FieldKind::Date),
                text("issuer.title", "Thẩm quyền cấp"),
                FieldDecl::new("enterprise.name", "Tên doanh nghiệp", FieldKind::Text).max_len(200),
                FieldDecl::new("enterprise.code", "Mã số doanh nghiệp", FieldKind::Text).max_len(14),
                text("enterprise.address", "Địa chỉ trụ sở chính"),
                list(
                    "representatives",
                    "Người đại diện theo pháp luật (nếu có)",
                    vec![text("name", "Họ tên, chức vụ")],
                ),
                list("results", "Kết quả khoa học và công nghệ", item()),
                list("products", "Sản phẩm hình thành từ kết quả khoa học và công nghệ", item()),
                list("changes", "Lần cấp (cấp thay đổi nội dung, cấp lại)", item()),
                FieldDecl::new("certificate.valid_from", "Ngày hiệu lực", FieldKind::Date),
            ],
        };
        Schema { kind: self.id().to_owned(), fields }
    }
}

/// The parts of a document that come from the issuing organisation and the record's metadata,
/// not from the template text.
#[derive(Debug, Clone)]
pub struct Frame {
    /// State or Party.
    pub system: DocumentSystem,
    /// Issuing authority.
    pub authority: Authority,
    /// Running number (the type code comes from the kind).
    pub number: u32,
    /// Issuer abbreviation, e.g. `SKHCN`.
    pub issuer_code: String,
    /// Place before the date.
    pub place: String,
    /// Date of issue.
    pub date: NaiveDate,
    /// Signature: the head of the issuing body, their deputy, or the chair of a meeting.
    pub signature: Signature,
    /// The secretary (thư ký) who signs minutes beside the chair; `None` for other kinds. Minutes
    /// without one print the secretary's block with [`Signature::MISSING_SIGNER`].
    pub secretary: Option<Signature>,
    /// The number and symbol as a register of their own writes them (an S&T enterprise certificate's
    /// `01/2020/DNKHCN`), printed `Số: 01/2020/DNKHCN` in place of `number`, the kind's symbol and
    /// `issuer_code`; `None` for the running numbers of the other kinds.
    pub written_number: Option<String>,
}

/// The position printed over the secretary's signature in minutes.
pub const SECRETARY_POSITION: &str = "THƯ KÝ";

/// Renders `template` (of `kind`) with `record` into a complete document.
///
/// The kind adds what Nghị định 30 prescribes whatever the template says: the legal bases of a
/// decision (the paragraphs before `QUYẾT ĐỊNH:`) and of a certificate (before `CHỨNG NHẬN:`) are
/// italic, and minutes are signed by the secretary beside the chair.
pub fn build(kind: DocumentKind, template: &Template, record: &Record, frame: Frame) -> Result<Document, ExportError> {
    let mut rendered = template.render(record)?;
    match kind {
        DocumentKind::Decision => italicize_bases(&mut rendered.body, "QUYẾT ĐỊNH"),
        DocumentKind::Certificate => italicize_bases(&mut rendered.body, "CHỨNG NHẬN"),
        _ => {}
    }
    let secretary = match kind {
        DocumentKind::Minutes => Some(frame.secretary.unwrap_or_else(|| Signature {
            mode: None,
            on_behalf_of: None,
            position: SECRETARY_POSITION.into(),
            signer: String::new(),
        })),
        _ => frame.secretary,
    };
    Ok(Document {
        system: frame.system,
        authority: frame.authority,
        number: match &frame.written_number {
            Some(written) => DocumentNumber::as_written(written),
            None => DocumentNumber::new(frame.number, kind.code(), &frame.issuer_code),
        },
        place: frame.place,
        date: frame.date,
        kind_title: kind.title().to_owned(),
        summary: rendered.summary,
        body: rendered.body,
        signature: frame.signature,
        secretary,
        recipients: rendered.recipients,
        annex: Vec::new(),
        page: PageSetup::default(),
    })
}

/// Sets the legal bases of a decision or a certificate in italic (Nghị định 30, Phụ lục I: "Căn cứ
/// ban hành văn bản … kiểu chữ nghiêng"): every paragraph before the centred line that starts with
/// `operative` (`QUYẾT ĐỊNH:`, `CHỨNG NHẬN:`), which are the `Căn cứ …;` lines and the closing
/// `Theo đề nghị của …` or `Xét hồ sơ …`. A template without that line has its paragraphs that start
/// with `Căn cứ` set in italic.
fn italicize_bases(body: &mut [Block], operative: &str) {
    let text = |runs: &[Run]| runs.iter().map(|r| r.text.as_str()).collect::<String>();
    let decides =
        body.iter().position(|b| matches!(b, Block::Centered(runs) if text(runs).trim_start().starts_with(operative)));
    for (i, block) in body.iter_mut().enumerate() {
        if let Block::Paragraph(runs) = block {
            let basis = match decides {
                Some(end) => i < end,
                None => text(runs).trim_start().starts_with("Căn cứ"),
            };
            if basis {
                runs.iter_mut().for_each(|r| r.italic = true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_template_is_valid_for_its_kind() {
        for kind in DocumentKind::ALL {
            let t = Template::parse(&kind.schema(), kind.default_template());
            assert!(t.is_ok(), "{}: {}", kind.id(), t.unwrap_err());
        }
    }

    #[test]
    fn every_declared_field_is_used_by_the_default_template() {
        for kind in DocumentKind::ALL {
            let t = Template::parse(&kind.schema(), kind.default_template()).unwrap();
            let used = t.fields_used();
            for f in kind.schema().fields {
                assert!(used.contains(&f.path), "{}: field {} unused", kind.id(), f.path);
            }
        }
    }
}
