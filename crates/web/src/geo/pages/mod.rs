//! The geography pages.

pub mod map_changes;
pub mod units;
pub mod views;
