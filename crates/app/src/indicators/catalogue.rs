//! The catalogue's changes: an indicator created or edited (its definition parsed and checked: unknown
//! fields and sources, a denominator that is a constant zero, a parent that would close a cycle), deleted
//! when nothing refers to it, and the figures of typed indicators recorded.

use tiendo_core::authz::Action;
use tiendo_core::indicators::{self, Definition, Direction, Formula, Layer, Level, OverUnits, Periodicity};
use tiendo_db::audit::Diff;
use tiendo_db::indicators::{self as store, FigureRow, IndicatorInput, IndicatorRow};

use super::require;
use crate::audit::{self, Entry};
use crate::monitoring::{optional_block, problems, required_text};
use crate::{App, Error, FieldError, Result, Session};

/// An indicator as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct IndicatorDraft {
    /// The code.
    pub code: String,
    /// The Vietnamese name.
    pub name: String,
    /// The English name.
    pub name_en: String,
    /// The unit.
    pub unit: String,
    /// `higher` or `lower`.
    pub direction: String,
    /// `yearly`, `half_yearly`, `quarterly` or `monthly`.
    pub periodicity: String,
    /// `province` or `commune`.
    pub level: String,
    /// `strategic` or `operational`.
    pub layer: String,
    /// The parent's id.
    pub parent_id: Option<i64>,
    /// `typed` or `formula`.
    pub kind: String,
    /// The numerator of a formula.
    pub numerator: String,
    /// The denominator of a formula (empty: none).
    pub denominator: String,
    /// The factor (1 when not given).
    pub factor: Option<f64>,
    /// `total` (default) or `average`.
    pub over_units: String,
    /// The first year with figures.
    pub first_year: Option<i64>,
    /// The last year.
    pub last_year: Option<i64>,
    /// A note.
    pub note: Option<String>,
    /// The order among siblings.
    pub sort_order: Option<i64>,
    /// Invented for the demo (only the demo loader sets it).
    pub is_sample: bool,
    /// Fields the caller could not read.
    pub unreadable: Vec<FieldError>,
}

fn code_of<T: Copy>(
    field: &str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let found = parse(raw.trim());
    if found.is_none() {
        errors.push(FieldError::new(field, if raw.trim().is_empty() { "required" } else { "invalid" }));
    }
    found
}

fn year(field: &str, value: Option<i64>, errors: &mut Vec<FieldError>) -> Option<i64> {
    let y = value?;
    if indicators::YEARS.contains(&i32::try_from(y).unwrap_or(0)) {
        Some(y)
    } else {
        errors.push(FieldError::new(field, "year_out_of_range"));
        None
    }
}

/// Checks a draft against the catalogue and the report fields; the input to store, or every problem.
async fn validate(app: &App, id: Option<i64>, draft: &IndicatorDraft) -> Result<IndicatorInput> {
    let db = app.db();
    let mut errors = Vec::new();
    let code = draft.code.trim().to_owned();
    if code.is_empty() {
        errors.push(FieldError::new("code", "required"));
    } else if !indicators::valid_code(&code) {
        errors.push(FieldError::new("code", "invalid"));
    } else if let Some(other) = store::by_code(db, &code).await?
        && Some(other.id) != id
    {
        errors.push(FieldError::new("code", "indicator_code_taken"));
    }
    let name = required_text("name", &draft.name, 500, &mut errors);
    let name_en = tiendo_core::text::normalize_input(&draft.name_en);
    let unit = tiendo_core::text::normalize_input(&draft.unit);
    if unit.chars().count() > 50 {
        errors.push(FieldError::new("unit", "too_long").arg("max", 50));
    }
    let direction = code_of("direction", &draft.direction, Direction::parse, &mut errors);
    let periodicity = code_of("periodicity", &draft.periodicity, Periodicity::parse, &mut errors);
    let level = code_of("level", &draft.level, Level::parse, &mut errors);
    let layer = code_of("layer", &draft.layer, Layer::parse, &mut errors);
    let over_units = if draft.over_units.trim().is_empty() {
        Some(OverUnits::Total)
    } else {
        code_of("over_units", &draft.over_units, OverUnits::parse, &mut errors)
    };
    if let Some(parent) = draft.parent_id {
        let parents = store::parents(db).await?;
        if !parents.contains_key(&parent) {
            errors.push(FieldError::new("parent_id", "invalid"));
        } else if indicators::tree::makes_cycle(&parents, id, parent) {
            errors.push(FieldError::new("parent_id", "indicator_cycle"));
        }
    }
    let first_year = year("first_year", draft.first_year, &mut errors);
    let last_year = year("last_year", draft.last_year, &mut errors);
    if let (Some(f), Some(l)) = (first_year, last_year)
        && l < f
    {
        errors.push(FieldError::new("last_year", "period_reversed"));
    }
    let factor = draft.factor.unwrap_or(1.0);
    let definition = match draft.kind.trim() {
        "typed" => Some(Definition::Typed),
        "formula" => {
            match Formula::parse(&draft.numerator, &draft.denominator, factor, over_units.unwrap_or(OverUnits::Total)) {
                Ok(formula) => {
                    let known = store::report_field_codes(db).await?;
                    let unknown = formula.check(|name| known.iter().any(|k| k == name));
                    errors.extend(unknown.into_iter().map(|e| FieldError::new(e.field, e.code).arg("name", e.name)));
                    Some(Definition::Formula(formula))
                }
                Err(found) => {
                    errors.extend(found.into_iter().map(|e| FieldError::new(e.field, e.code).arg("name", e.name)));
                    None
                }
            }
        }
        "" => {
            errors.push(FieldError::new("kind", "required"));
            None
        }
        _ => {
            errors.push(FieldError::new("kind", "invalid"));
            None
        }
    };
    problems(&draft.unreadable, errors)?;
    let (Some(direction), Some(periodicity), Some(level), Some(layer), Some(over_units), Some(definition)) =
        (direction, periodicity, level, layer, over_units, definition)
    else {
        return Err(Error::invalid("kind", "invalid"));
    };
    let (numerator, denominator) = match &definition {
        Definition::Typed => (None, None),
        Definition::Formula(f) => (Some(f.numerator.to_string()), f.denominator.as_ref().map(ToString::to_string)),
    };
    Ok(IndicatorInput {
        code,
        name,
        name_en,
        unit,
        direction: direction.code(),
        periodicity: periodicity.code(),
        level: level.code(),
        layer: layer.code(),
        parent_id: draft.parent_id,
        kind: definition.kind(),
        numerator,
        denominator,
        factor: if matches!(definition, Definition::Typed) { 1.0 } else { factor },
        over_units: over_units.code(),
        first_year,
        last_year,
        note: optional_block(draft.note.as_deref()),
        sort_order: draft.sort_order.unwrap_or(0),
        is_sample: draft.is_sample,
    })
}

/// Creates an indicator (`id` `None`) or replaces the fields of one, with its audit event; its id.
pub async fn save(app: &App, session: &Session, id: Option<i64>, draft: &IndicatorDraft) -> Result<i64> {
    require(session, if id.is_some() { Action::Edit } else { Action::Create })?;
    let before = match id {
        Some(id) => Some(store::get(app.db(), id).await?.ok_or(Error::NotFound)?),
        None => None,
    };
    let input = validate(app, id, draft).await?;
    let now = app.now();
    let tx = app.begin().await?;
    let saved = match &before {
        None => {
            let id = store::create(&tx, &input, now).await?;
            let entry = Entry::new("create", "indicator", id, "audit-indicator-created")
                .arg("code", &input.code)
                .arg("name", &input.name);
            audit::record(app, &tx, session, entry).await?;
            id
        }
        Some(before) => {
            let input = IndicatorInput { is_sample: before.is_sample, ..input };
            let diff = diff(before, &input);
            store::update(&tx, before.id, &input, now).await?;
            if !diff.is_empty() {
                let entry = Entry::new("update", "indicator", before.id, "audit-indicator-updated")
                    .arg("code", &input.code)
                    .arg("name", &input.name)
                    .changes(diff.into_changes());
                audit::record(app, &tx, session, entry).await?;
            }
            before.id
        }
    };
    tx.commit().await?;
    Ok(saved)
}

fn diff(before: &IndicatorRow, after: &IndicatorInput) -> Diff {
    let mut diff = Diff::new();
    diff.field("code", &before.code, &after.code)
        .field("name", &before.name, &after.name)
        .field("name_en", &before.name_en, &after.name_en)
        .field("unit", &before.unit, &after.unit)
        .field("direction", &before.direction.as_str(), &after.direction)
        .field("periodicity", &before.periodicity.as_str(), &after.periodicity)
        .field("level", &before.level.as_str(), &after.level)
        .field("layer", &before.layer.as_str(), &after.layer)
        .field("parent_id", &before.parent_id, &after.parent_id)
        .field("kind", &before.kind.as_str(), &after.kind)
        .field("numerator", &before.numerator, &after.numerator)
        .field("denominator", &before.denominator, &after.denominator)
        .field("factor", &before.factor, &after.factor)
        .field("over_units", &before.over_units.as_str(), &after.over_units)
        .field("first_year", &before.first_year, &after.first_year)
        .field("last_year", &before.last_year, &after.last_year)
        .field("note", &before.note, &after.note);
    diff
}

/// Deletes an indicator that no indicator sits under and no target refers to (`indicator_in_use`
/// otherwise), with its audit event.
pub async fn delete(app: &App, session: &Session, id: i64) -> Result<()> {
    require(session, Action::Delete)?;
    let before = store::get(app.db(), id).await?.ok_or(Error::NotFound)?;
    let (children, targets) = store::uses(app.db(), id).await?;
    if children > 0 || targets > 0 {
        return Err(Error::Conflict {
            code: "indicator_in_use",
            args: vec![("children", children.to_string()), ("targets", targets.to_string())],
        });
    }
    let tx = app.begin().await?;
    store::delete(&tx, id).await?;
    let entry = Entry::new("delete", "indicator", id, "audit-indicator-deleted")
        .arg("code", &before.code)
        .arg("name", &before.name);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A typed figure as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct FigureDraft {
    /// The year.
    pub year: Option<i64>,
    /// The unit's code (`None`: the province).
    pub unit_code: Option<String>,
    /// The figure.
    pub value: Option<f64>,
    /// Where it comes from.
    pub source: Option<String>,
}

/// Records the figure of a typed indicator for a year (and unit), replacing the one recorded before, with
/// its audit event (the figure it replaces as the change's before). A computed indicator takes no typed
/// figure (`indicator_computed`); a year outside the indicator's years is refused (`period_not_covered`).
pub async fn record_figure(app: &App, session: &Session, id: i64, draft: &FigureDraft) -> Result<()> {
    require(session, Action::Edit)?;
    let row = store::get(app.db(), id).await?.ok_or(Error::NotFound)?;
    let mut errors = Vec::new();
    if row.kind != "typed" {
        errors.push(FieldError::new("value", "indicator_computed"));
    }
    let year = match draft.year {
        None => {
            errors.push(FieldError::new("year", "required"));
            None
        }
        Some(y) => year("year", Some(y), &mut errors),
    };
    if let Some(y) = year
        && !indicators::covers(
            row.first_year.and_then(|f| i32::try_from(f).ok()),
            row.last_year.and_then(|l| i32::try_from(l).ok()),
            i32::try_from(y).unwrap_or(0),
        )
    {
        errors.push(FieldError::new("year", "period_not_covered"));
    }
    let value = draft.value.filter(|v| v.is_finite());
    if value.is_none() {
        errors.push(FieldError::new("value", if draft.value.is_none() { "required" } else { "invalid" }));
    }
    let unit_code = draft.unit_code.as_deref().map(str::trim).unwrap_or_default().to_owned();
    if !unit_code.is_empty()
        && tiendo_db::reporting::aggregates::unit_names(app.db(), std::slice::from_ref(&unit_code), app.today())
            .await?
            .is_empty()
    {
        errors.push(FieldError::new("unit_code", "invalid"));
    }
    crate::check(errors)?;
    let (Some(year), Some(value)) = (year, value) else { return Err(Error::invalid("value", "required")) };
    let source = crate::monitoring::optional_line(draft.source.as_deref());
    let tx = app.begin().await?;
    let figure = FigureRow {
        indicator_id: id,
        unit_code: unit_code.clone(),
        year,
        value,
        source,
        recorded_by: session.user_id(),
        recorded_at: app.now(),
    };
    let before = store::set_figure(&tx, &figure).await?;
    let entry = Entry::new("record_figure", "indicator", id, "audit-indicator-figure-recorded")
        .arg("code", &row.code)
        .arg("year", year)
        .change(&format!("figure:{unit_code}:{year}"), before, value);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}
