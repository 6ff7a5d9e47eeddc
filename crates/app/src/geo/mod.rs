//! Geography: the administrative units of any date and their history, the address resolver built from
//! them, and the one write of the feature, recording a later change of the map.

mod index;
pub mod map_changes;

use std::sync::Arc;

use chrono::NaiveDate;
use tiendo_core::geo::AdminUnitCode;
use tiendo_core::geo::address::{AddressIndex, Resolution, ResolveOptions};

use crate::{App, Result};

pub use index::GeoIndex;

/// Resolves an address written for `as_of` with the application's index; `province` is the province
/// assumed when the text names none (default: the deployment's own, from the settings). Returns the index
/// too, so that the caller can name the candidates.
pub async fn resolve(
    app: &App,
    text: &str,
    as_of: NaiveDate,
    province: Option<AdminUnitCode>,
) -> Result<(Arc<AddressIndex>, Resolution)> {
    let index = app.address_index().get(app.db()).await?;
    let mut options = ResolveOptions::new(as_of, app.today());
    options.default_province = province.or_else(|| app.settings().default_province.clone());
    let resolution = index.resolve(text, &options);
    Ok((index, resolution))
}
