//! Administrative geography (địa giới hành chính): units with their history, the successions that link
//! them across map changes, the built-in data format, and address resolution.
//!
//! Vietnam redrew its map on 1/7/2025 (63 provinces became 34, the district level was abolished, about 10,000
//! communes became 3,321). Records span both maps, so a unit is always taken together with a date: its
//! identity is its code and its validity period, never the code alone.

pub mod address;
pub mod change;
pub mod code;
pub mod dataset;
pub mod gazetteer;
pub mod kind;
pub mod lineage;
pub mod unit;

pub use change::{ChangeError, MapChange, NewSuccession, NewUnit, PlannedChange};
pub use code::{AdminUnitCode, CodeError, UnitLevel};
pub use gazetteer::{Gazetteer, UnitId};
pub use kind::UnitKind;
pub use unit::{AdminUnit, Succession, SuccessionKind, Validity};
