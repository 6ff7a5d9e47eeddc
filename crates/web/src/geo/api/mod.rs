//! The geography API: `/api/v1/admin-units`, `/api/v1/address/resolve`, `/api/v1/admin-unit-changes`.

pub mod address;
pub mod map_changes;
pub mod units;
