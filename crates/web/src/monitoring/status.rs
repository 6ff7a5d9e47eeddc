//! Derived statuses as pages show them: translated labels, colour classes and the configured colours.

use tiendo_core::monitoring::{DerivedStatus, StatusKind};

use crate::error::AppError;
use crate::state::AppState;
use tiendo_app::i18n::Tr;

/// A status ready for display.
#[derive(Debug, Clone)]
pub struct StatusView {
    /// The code, used as the CSS class suffix (`status-overdue`).
    pub code: &'static str,
    /// The translated label.
    pub label: String,
    /// "12 ngày" late, or empty.
    pub late: String,
    /// The due date, `dd/mm/yyyy`, or empty.
    pub due: String,
    /// Whether at risk.
    pub at_risk: bool,
    /// Whether blocked.
    pub blocked: bool,
}

/// The translated label of a state.
pub fn label(tr: &Tr, kind: StatusKind) -> String {
    tr.t(&format!("status-{}", kind.code()))
}

/// Formats a derived status.
pub fn view(tr: &Tr, status: &DerivedStatus) -> StatusView {
    StatusView {
        code: status.kind.code(),
        label: label(tr, status.kind),
        late: status.days_late.map(|d| tr.t_count("status-days-late", "days", d)).unwrap_or_default(),
        due: super::show_date(status.due_on),
        at_risk: status.at_risk,
        blocked: status.blocked,
    }
}

/// The configured colour of each state (defaults for those not configured).
pub async fn colors(state: &AppState) -> Result<Vec<(StatusKind, String)>, AppError> {
    Ok(tiendo_app::monitoring::status_colors::colors(state.app()).await?)
}

/// The colour of a state as a chart colour.
pub fn chart_color(hex: &str) -> tiendo_export::chart::Color {
    tiendo_app::monitoring::official_documents::chart_color(hex)
}
