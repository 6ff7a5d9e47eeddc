//! The certificate as a document (Giấy chứng nhận doanh nghiệp khoa học và công nghệ), DOCX or PDF, in
//! the official format of Nghị định 30/2020 through the `certificate` template (`docs/documents.md`):
//! the national heading, the department as the issuing body, the certificate's number as the register
//! writes it and the day of this version, the legal bases of the certificate's regime, the enterprise
//! (name, tax code, head office, legal representative when the dossier gave one), its S&T results with
//! their evidence and the products made from them, the amendments and re-issues up to this version, the
//! day it takes effect, and the Director's signature. Every version (the original, each amendment and
//! re-issue) has its own document; producing one is recorded in the audit trail.

use tiendo_core::certificates::{LegalBasis, StResult, VersionKind};
use tiendo_core::lang::Lang;
use tiendo_db::certificates::{self as stored, Certificate};
use tiendo_export::kinds::{DocumentKind, Frame};
use tiendo_export::model::{DocumentSystem, Signature, SigningMode};
use tiendo_export::template::{Record, Value};

use super::access::open_application;
use super::entity;
use crate::audit::{self, Entry};
use crate::document_templates::{self, Format, OfficialFile};
use crate::{App, Error, Result, Session, Tr};

/// The certificate of a version as a file; the download is recorded in the audit trail. `NotFound`
/// unless the actor may open the certificate's application (the enterprise, the department's staff,
/// administrators): the register is public, the document with the legal representative is not.
pub async fn export_certificate(app: &App, session: &Session, id: i64, format: Format) -> Result<OfficialFile> {
    let certificate = stored::certificate(app.db(), id).await?.ok_or(Error::NotFound)?;
    let opened = open_application(app, session, certificate.application_id).await?;
    let versions = stored::versions(app.db(), certificate.application_id).await?;
    let (record, frame) = parts(app, &certificate, &opened.application, &versions).await?;
    let file = document_templates::render(app, DocumentKind::Certificate, &record, frame, format).await?;
    let tx = app.begin().await?;
    let entry = Entry::new("export", entity::CERTIFICATE, id, "audit-cert-exported")
        .arg("number", &certificate.number)
        .arg("version", certificate.version)
        .arg("format", format.extension());
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(file)
}

/// The legal bases a certificate of `basis` cites, as its document writes them (without the `;`).
pub fn legal_bases(basis: Option<LegalBasis>) -> Vec<String> {
    let vi = Tr::new(Lang::Vi);
    match basis {
        Some(b) => ["law", "decree"].iter().map(|part| vi.t(&format!("cert-paper-{part}-{}", b.code()))).collect(),
        None => Vec::new(),
    }
}

/// A result as the certificate lists it: its title, then the kind of its evidence with its number,
/// issuer and day (`Quy trình … (Bằng độc quyền giải pháp hữu ích số 2345, Cục Sở hữu trí tuệ, ngày
/// 15/06/2018)`).
pub fn result_line(r: &StResult) -> String {
    let vi = Tr::new(Lang::Vi);
    let mut evidence = vi.t(&format!("cert-result-{}", r.kind));
    if let Some(reference) = &r.reference {
        evidence.push(' ');
        evidence.push_str(&vi.t_with("cert-paper-number", &[("reference", reference)]));
    }
    let mut parts = vec![evidence];
    parts.extend(r.issuer.clone());
    if let Some(day) = r.issued_on {
        parts.push(vi.t_with("cert-paper-day", &[("date", &tiendo_core::fmt::date(day))]));
    }
    format!("{} ({})", r.title, parts.join(", "))
}

/// The lines saying how this version came to be, the first issue first: empty for the original.
fn changes(certificate: &Certificate, versions: &[Certificate]) -> Vec<String> {
    if certificate.version == 1 {
        return Vec::new();
    }
    let vi = Tr::new(Lang::Vi);
    let mut upto: Vec<&Certificate> = versions.iter().filter(|v| v.version <= certificate.version).collect();
    upto.sort_by_key(|v| v.version);
    let mut lines = Vec::new();
    let (mut amended, mut reissued) = (0, 0);
    for v in upto {
        let date = tiendo_core::fmt::date(v.issued_on);
        let line = match v.kind {
            VersionKind::Original => vi.t_with("cert-paper-first", &[("date", &date)]),
            VersionKind::Amendment => {
                amended += 1;
                vi.t_with("cert-paper-amended", &[("n", &amended.to_string()), ("date", &date)])
            }
            VersionKind::Reissue => {
                reissued += 1;
                vi.t_with("cert-paper-reissued", &[("n", &reissued.to_string()), ("date", &date)])
            }
        };
        lines.push(line);
    }
    lines
}

/// Who signs, from the decision's signer as recorded (`Hoàng Bá Nam, Giám đốc Sở …`, `Trần Văn B, Phó
/// Giám đốc`): the name before the first comma; a deputy signs `KT. GIÁM ĐỐC` over `PHÓ GIÁM ĐỐC`.
fn signature(recorded: &str) -> Signature {
    let (name, office) = recorded.split_once(',').unwrap_or((recorded, ""));
    let deputy = office.trim().to_lowercase().starts_with("phó");
    let head = crate::monitoring::official_documents::HEAD_POSITION.to_uppercase();
    Signature {
        mode: deputy.then_some(SigningMode::OnBehalf),
        on_behalf_of: deputy.then(|| head.clone()),
        position: if deputy { format!("PHÓ {head}") } else { head },
        signer: name.trim().to_owned(),
    }
}

async fn parts(
    app: &App,
    c: &Certificate,
    application: &stored::Application,
    versions: &[Certificate],
) -> Result<(Record, Frame)> {
    let organization = app.settings().organization_vi.clone();
    let (authority, place) = crate::monitoring::official_documents::authority_of(&organization);
    let head = crate::monitoring::official_documents::HEAD_POSITION.to_uppercase();
    let signer = match c.signer.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(recorded) => recorded.to_owned(),
        None => crate::monitoring::official_documents::head_of_operator(app, c.issued_on).await?,
    };
    let items = |lines: Vec<String>| Value::List(lines.iter().map(|t| Record::new().text("text", t)).collect());
    let representative = application.fields.representative.iter().map(|r| Record::new().text("name", r)).collect();
    let record = Record::new()
        .with("bases", items(legal_bases(LegalBasis::from_code(&c.basis))))
        .with("application.received_on", Value::Date(application.received_on.unwrap_or(c.issued_on)))
        .text("issuer.title", &format!("{head} {}", organization.to_uppercase()))
        .text("enterprise.name", &c.enterprise_name)
        .text("enterprise.code", &c.tax_code)
        .text("enterprise.address", c.address.as_deref().unwrap_or_default())
        .with("representatives", Value::List(representative))
        .with("results", items(c.results.iter().map(result_line).collect()))
        .with("products", items(c.products.iter().map(|p| p.name.clone()).collect()))
        .with("changes", items(changes(c, versions)))
        .with("certificate.valid_from", Value::Date(c.issued_on));
    let frame = Frame {
        system: DocumentSystem::State,
        authority,
        number: 0,
        issuer_code: String::new(),
        place,
        date: c.issued_on,
        signature: signature(&signer),
        secretary: None,
        written_number: Some(c.number.clone()),
    };
    Ok((record, frame))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signer_recorded_signs_as_director_or_for_the_director() {
        let director = signature("Hoàng Bá Nam, Giám đốc Sở Khoa học và Công nghệ");
        assert_eq!((director.position.as_str(), director.signer.as_str()), ("GIÁM ĐỐC", "Hoàng Bá Nam"));
        assert_eq!(director.mode, None);
        let deputy = signature("Trần Văn Bình, Phó Giám đốc");
        assert_eq!((deputy.position.as_str(), deputy.signer.as_str()), ("PHÓ GIÁM ĐỐC", "Trần Văn Bình"));
        assert_eq!(deputy.on_behalf_of.as_deref(), Some("GIÁM ĐỐC"));
        assert_eq!(signature("Hoàng Bá Nam").signer, "Hoàng Bá Nam");
    }

    #[test]
    fn a_result_names_its_evidence() {
        let r = StResult {
            kind: "utility_solution".into(),
            title: "Quy trình nuôi tôm".into(),
            reference: Some("2345".into()),
            issued_on: chrono::NaiveDate::from_ymd_opt(2018, 6, 15),
            issuer: Some("Cục Sở hữu trí tuệ".into()),
        };
        assert_eq!(
            result_line(&r),
            "Quy trình nuôi tôm (Bằng độc quyền giải pháp hữu ích số 2345, Cục Sở hữu trí tuệ, ngày 15/06/2018)"
        );
        assert_eq!(legal_bases(Some(LegalBasis::Nd13_2019)).len(), 2);
    }
}
