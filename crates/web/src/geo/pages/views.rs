//! What the geography pages show of units and address resolutions, formatted for the page's language.

use chrono::NaiveDate;
use tiendo_core::fmt;
use tiendo_core::geo::address::{AddressIndex, Resolution};
use tiendo_core::geo::{AdminUnit, AdminUnitCode, SuccessionKind, UnitId, UnitLevel};
use tiendo_core::lang::Lang;

use crate::forms::url_encode;
use crate::geo::api::address::no_match_code;
use tiendo_app::i18n::Tr;

/// A unit as pages show it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitView {
    /// Its code.
    pub code: String,
    /// "Phường Hoành Bồ".
    pub full_name: String,
    /// The kind in the page's language ("phường", "ward").
    pub kind: String,
    /// The level in the page's language.
    pub level: String,
    /// The link to its page, with a day in its validity so that the right unit of the code opens.
    pub href: String,
    /// "Từ 01/07/2025", "Đến hết 30/06/2025".
    pub validity: String,
    /// Whether it is in force today.
    pub in_force: bool,
    /// The act that established it.
    pub legal_basis: String,
    /// A key that names this unit among those of its code (`07030@2025-07-01`), for choices in forms.
    pub key: String,
}

/// A day inside the unit's validity: its first day, else its last, else none (in force throughout).
pub fn day_in(unit: &AdminUnit) -> Option<NaiveDate> {
    unit.valid_from.or_else(|| unit.validity().last_day())
}

/// The key of a unit among the units of its code.
pub fn unit_key(unit: &AdminUnit) -> String {
    format!("{}@{}", unit.code, unit.valid_from.map(|d| d.to_string()).unwrap_or_default())
}

/// Reads a [`unit_key`].
pub fn parse_unit_key(key: &str) -> Option<(AdminUnitCode, Option<NaiveDate>)> {
    let (code, from) = key.split_once('@')?;
    let code = AdminUnitCode::parse(code).ok()?;
    match from {
        "" => Some((code, None)),
        d => Some((code, Some(d.parse().ok()?))),
    }
}

/// The validity in words.
pub fn validity_text(from: Option<NaiveDate>, to: Option<NaiveDate>, tr: &Tr) -> String {
    let last = to.and_then(|t| t.pred_opt()).map(fmt::date);
    match (from.map(fmt::date), last) {
        (None, None) => tr.t("validity-open"),
        (Some(from), None) => tr.t_with("validity-since", &[("from", &from)]),
        (None, Some(last)) => tr.t_with("validity-until", &[("last", &last)]),
        (Some(from), Some(last)) => tr.t_with("validity-between", &[("from", &from), ("last", &last)]),
    }
}

/// The level in words.
pub fn level_name(level: UnitLevel, tr: &Tr) -> String {
    tr.t(match level {
        UnitLevel::Province => "level-province",
        UnitLevel::District => "level-district",
        UnitLevel::Commune => "level-commune",
    })
}

/// The kind of succession in words.
pub fn succession_name(kind: SuccessionKind, tr: &Tr) -> String {
    tr.t(&format!("succession-{}", kind.as_str()))
}

impl UnitView {
    /// The view of a unit.
    pub fn new(unit: &AdminUnit, tr: &Tr, today: NaiveDate) -> UnitView {
        let href = match day_in(unit) {
            Some(day) => format!("/units/{}?as_of={day}", unit.code),
            None => format!("/units/{}", unit.code),
        };
        UnitView {
            code: unit.code.to_string(),
            full_name: unit.full_name(),
            kind: match tr.lang() {
                Lang::Vi => unit.kind.vi_name(),
                Lang::En => unit.kind.en_name(),
            }
            .to_owned(),
            level: level_name(unit.level(), tr),
            href,
            validity: validity_text(unit.valid_from, unit.valid_to, tr),
            in_force: unit.in_force_on(today),
            legal_basis: unit.legal_basis.clone().unwrap_or_default(),
            key: unit_key(unit),
        }
    }
}

/// One candidate of an address resolution.
#[derive(Debug, Clone)]
pub struct CandidateView {
    /// The unit named.
    pub unit: UnitView,
    /// The unit and its ancestors: "Xã Hoàng Tân, Thị xã Quảng Yên, Tỉnh Quảng Ninh".
    pub path: String,
    /// "Hết hiệu lực vào ngày …" when it was not in force on the day asked.
    pub not_in_force: String,
    /// What it is today, by default.
    pub today_default: Option<UnitView>,
    /// Every unit in force today that received a part of it, when more than the default.
    pub today_others: Vec<UnitView>,
    /// A note on how today's unit was found (through its communes).
    pub today_note: String,
    /// "Độ tin cậy 95%".
    pub confidence: String,
    /// 0 to 100, for the bar.
    pub confidence_pct: u32,
    /// Below commune level ("Thôn 3").
    pub detail: String,
    /// Parts not read, joined.
    pub unread: String,
    /// A kind word contradicts the unit.
    pub kind_conflict: bool,
    /// Diacritics contradict the unit.
    pub accent_conflict: bool,
}

/// An address resolution as pages show it.
#[derive(Debug, Clone, Default)]
pub struct ResolutionView {
    /// "3 đơn vị có thể được nêu…", empty when none.
    pub summary: String,
    /// Why nothing matched, empty otherwise.
    pub reason: String,
    /// The candidates, best first.
    pub candidates: Vec<CandidateView>,
}

fn sorted_units(index: &AddressIndex, ids: &[UnitId]) -> Vec<AdminUnit> {
    let mut units: Vec<AdminUnit> = ids.iter().map(|id| index.gazetteer().unit(*id).clone()).collect();
    units.sort_by_cached_key(|u| (tiendo_core::text::sort_key(&u.name), u.code.clone()));
    units
}

/// The view of a resolution.
pub fn resolution_view(
    index: &AddressIndex,
    r: &Resolution,
    as_of: NaiveDate,
    tr: &Tr,
    today: NaiveDate,
) -> ResolutionView {
    let g = index.gazetteer();
    let candidates: Vec<CandidateView> = r
        .candidates
        .iter()
        .map(|c| {
            let unit = g.unit(c.unit);
            let path: Vec<String> =
                std::iter::once(c.unit).chain(g.ancestors(c.unit)).map(|id| g.unit(id).full_name()).collect();
            let default = c.current.default.map(|id| g.unit(id).clone());
            let is_itself = default.as_ref() == Some(unit);
            let others: Vec<UnitView> = if is_itself {
                Vec::new()
            } else {
                sorted_units(index, &c.current.all)
                    .iter()
                    .filter(|u| Some(*u) != default.as_ref())
                    .map(|u| UnitView::new(u, tr, today))
                    .collect()
            };
            let pct = (c.confidence * 100.0).round().clamp(0.0, 100.0) as u32;
            CandidateView {
                unit: UnitView::new(unit, tr, today),
                path: path.join(", "),
                not_in_force: if c.in_force {
                    String::new()
                } else {
                    tr.t_with("address-not-in-force", &[("date", &fmt::date(as_of))])
                },
                today_default: default.as_ref().filter(|_| !is_itself).map(|d| UnitView::new(d, tr, today)),
                today_others: others,
                today_note: if c.current.via_children { tr.t("unit-today-via-children") } else { String::new() },
                confidence: tr.t_with("address-confidence", &[("percent", &pct.to_string())]),
                confidence_pct: pct,
                detail: c.detail.clone(),
                unread: c.unread.join(", "),
                kind_conflict: c.kind_conflict,
                accent_conflict: c.accent_conflict,
            }
        })
        .collect();
    ResolutionView {
        summary: if candidates.is_empty() {
            String::new()
        } else {
            tr.t_count("address-candidates", "count", candidates.len() as i64)
        },
        reason: r.no_match.map(|m| tr.t(&format!("address-no-match-{}", no_match_code(m)))).unwrap_or_default(),
        candidates,
    }
}

/// The address page's link for a text.
pub fn address_href(text: &str) -> String {
    format!("/address?text={}", url_encode(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_keys_round_trip() {
        assert_eq!(
            parse_unit_key("07030@2025-07-01"),
            Some((AdminUnitCode::parse("07030").unwrap(), NaiveDate::from_ymd_opt(2025, 7, 1)))
        );
        assert_eq!(parse_unit_key("206@"), Some((AdminUnitCode::parse("206").unwrap(), None)));
        assert_eq!(parse_unit_key("206"), None);
        assert_eq!(parse_unit_key("x@"), None);
        assert_eq!(parse_unit_key("206@2025-13-01"), None);
    }

    #[test]
    fn validity_reads_as_the_last_day_in_force() {
        let tr = Tr::new(Lang::Vi);
        let d = |s: &str| s.parse::<NaiveDate>().ok();
        assert_eq!(validity_text(None, d("2025-07-01"), &tr), "Đến hết 30/06/2025");
        assert_eq!(validity_text(d("2025-07-01"), None, &tr), "Từ 01/07/2025");
        let en = Tr::new(Lang::En);
        assert_eq!(validity_text(d("2025-07-01"), d("2026-05-01"), &en), "From 01/07/2025 to 30/04/2026");
    }
}
