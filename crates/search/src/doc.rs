//! What the application gives the index for each record: [`SearchDoc`].

use tiendo_core::authz::{OrgId, Role, UserId};
use tiendo_core::geo::AdminUnitCode;

macro_rules! doc_kinds {
    ($($variant:ident => $code:literal, $vi:literal;)+) => {
        /// The type of a record found by search.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum DocKind {
            $(
                #[doc = $vi]
                $variant,
            )+
        }

        impl DocKind {
            /// Every kind.
            pub const ALL: &'static [DocKind] = &[$(DocKind::$variant),+];

            /// The stable code, stored in the index and used in the API (`legal_document`).
            pub fn code(self) -> &'static str {
                match self { $(DocKind::$variant => $code),+ }
            }

            /// The kind with this code.
            pub fn from_code(code: &str) -> Option<DocKind> {
                match code { $($code => Some(DocKind::$variant),)+ _ => None }
            }
        }
    };
}

doc_kinds! {
    LegalDocument => "legal_document", "Văn bản (nghị quyết, quyết định, kế hoạch… có số, ký hiệu).";
    Plan => "plan", "Kế hoạch, chương trình thực hiện.";
    Task => "task", "Nhiệm vụ của một kế hoạch.";
    Assignment => "assignment", "Giao nhiệm vụ cho một đơn vị chủ trì.";
    ProgressUpdate => "progress_update", "Báo cáo tiến độ thực hiện nhiệm vụ.";
    Report => "report", "Báo cáo định kỳ và phần thuyết minh của nó.";
    Visit => "visit", "Đoàn công tác, chuyến làm việc.";
    Conclusion => "conclusion", "Kết luận của đoàn công tác.";
    Directive => "directive", "Chỉ đạo giao sau kết luận.";
    Article => "article", "Tin bài trên cổng thông tin.";
    Organization => "organization", "Cơ quan, đơn vị, doanh nghiệp.";
    Person => "person", "Cá nhân (cán bộ, nhà khoa học).";
    SciTechTask => "sci_tech_task", "Nhiệm vụ khoa học và công nghệ.";
    Enterprise => "enterprise", "Doanh nghiệp khoa học và công nghệ (hồ sơ chứng nhận).";
    AdminUnit => "admin_unit", "Đơn vị hành chính (cũ hoặc mới).";
}

/// Who may open a record: one reader of a [`Visibility`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reader {
    /// Everyone, the public included.
    Public,
    /// Every signed-in user.
    SignedIn,
    /// Every holder of a role, wherever it applies (the department's staff read every council).
    Role(Role),
    /// The holders of a role whose access scope covers the organisation (its subtree expanded).
    RoleOver(Role, OrgId),
    /// One account (an applicant's own dossier, a council member).
    User(UserId),
}

impl Reader {
    /// The access-list term of this reader, as stored in the index.
    pub(crate) fn term(&self) -> String {
        match self {
            Reader::Public => "public".to_owned(),
            Reader::SignedIn => "signed_in".to_owned(),
            Reader::Role(role) => format!("role:{}", role.code()),
            Reader::RoleOver(role, org) => format!("role:{}:org:{org}", role.code()),
            Reader::User(id) => format!("user:{id}"),
        }
    }

    /// The term a reader whose role covers every organisation matches for this reader.
    pub(crate) fn any_org_term(role: Role) -> String {
        format!("role:{}:org:*", role.code())
    }
}

/// Who may open a record: the union of its readers. The application computes it from the same rules
/// as `tiendo_core::authz::authorize` (a submitted report: its organisation's reporting officers and the
/// department's staff over it; a draft: only the former). Empty means nobody (not even administrators:
/// list them if they should see it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Visibility {
    readers: Vec<Reader>,
}

impl Visibility {
    /// Everyone.
    pub fn public() -> Visibility {
        Visibility { readers: vec![Reader::Public] }
    }

    /// Every signed-in user.
    pub fn signed_in() -> Visibility {
        Visibility { readers: vec![Reader::SignedIn] }
    }

    /// Nobody yet; add readers with [`Visibility::with`].
    pub fn nobody() -> Visibility {
        Visibility::default()
    }

    /// Holders of any of `roles` over any of `orgs`.
    pub fn roles_over(roles: &[Role], orgs: &[OrgId]) -> Visibility {
        let mut v = Visibility::nobody();
        for role in roles {
            for org in orgs {
                v = v.with(Reader::RoleOver(*role, *org));
            }
        }
        v
    }

    /// Adds a reader.
    #[must_use]
    pub fn with(mut self, reader: Reader) -> Visibility {
        if !self.readers.contains(&reader) {
            self.readers.push(reader);
        }
        self
    }

    /// The readers.
    pub fn readers(&self) -> &[Reader] {
        &self.readers
    }

    /// Whether the public may open it.
    pub fn is_public(&self) -> bool {
        self.readers.contains(&Reader::Public)
    }

    /// The access-list terms stored in the index.
    pub(crate) fn terms(&self) -> Vec<String> {
        let mut terms: Vec<String> = self.readers.iter().map(Reader::term).collect();
        for reader in &self.readers {
            if let Reader::RoleOver(role, _) = reader {
                terms.push(Reader::any_org_term(*role));
            }
        }
        terms.sort();
        terms.dedup();
        terms
    }
}

/// One record as the index sees it. The application builds it from the record (the indexing hook of
/// every write, and `tiendo search reindex`); the index never reads the database.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    /// The type of record.
    pub kind: DocKind,
    /// The record's id in its table; (kind, id) is the document's identity in the index.
    pub id: i64,
    /// The title or name as shown in results ("Nghị quyết về phát triển khoa học, công nghệ…").
    pub title: String,
    /// The number and symbol of a document as written ("07-NQ/TU", "Số: 128/KH-UBND").
    pub symbol: Option<String>,
    /// The searchable text: summary, narrative, minutes, article body (plain text, not HTML or Markdown).
    pub body: String,
    /// Names of the places the record concerns, old and new ("Xã Hoàng Tân", "Phường Hà An"), so that a
    /// search with today's name finds records written with the old one and the other way round.
    pub places: Vec<String>,
    /// The organisations it belongs to (owner, lead, issuer), for the organisation facet and filter.
    pub organizations: Vec<OrgId>,
    /// The administrative units it concerns, on the historical and on today's map.
    pub units: Vec<AdminUnitCode>,
    /// Its year (of issue, of the period reported, of the visit).
    pub year: Option<i32>,
    /// Its status code in its workflow (`draft`, `submitted`, `approved`, `in_progress`, `published`, …).
    pub status: Option<String>,
    /// Who may open it.
    pub visibility: Visibility,
    /// The records this document is built from besides its own (`assignment:12` for a progress update,
    /// `visit:3` for a plan made from a visit): when one of them changes, the application finds the
    /// documents to rebuild with [`crate::SearchIndex::linked`]. Not searchable by words.
    pub links: Vec<String>,
    /// Where the record opens in the application (`/plans/3#task-12`), returned with each hit.
    pub path: String,
}

impl SearchDoc {
    /// A document with a title and nothing else, visible to nobody; fill the rest with the fields.
    pub fn new(kind: DocKind, id: i64, title: impl Into<String>) -> SearchDoc {
        SearchDoc {
            kind,
            id,
            title: title.into(),
            symbol: None,
            body: String::new(),
            places: Vec::new(),
            organizations: Vec::new(),
            units: Vec::new(),
            year: None,
            status: None,
            visibility: Visibility::nobody(),
            links: Vec::new(),
            path: String::new(),
        }
    }

    /// The identity of the document in the index (`legal_document:42`).
    pub fn key(&self) -> String {
        key(self.kind, self.id)
    }
}

/// The identity of a record in the index.
pub(crate) fn key(kind: DocKind, id: i64) -> String {
    format!("{}:{id}", kind.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for kind in DocKind::ALL {
            assert_eq!(DocKind::from_code(kind.code()), Some(*kind));
        }
        assert_eq!(DocKind::from_code("nonsense"), None);
    }

    #[test]
    fn a_reader_over_an_organisation_is_also_found_by_a_province_wide_role() {
        let v = Visibility::roles_over(&[Role::DepartmentOfficer], &[12]).with(Reader::User(7));
        assert_eq!(v.terms(), ["role:department_officer:org:*", "role:department_officer:org:12", "user:7"]);
    }
}
