//! The JSON API of certificates (tag `certificates`).

use crate::auth::policy::Routes;

/// The API routes (none yet).
pub fn routes() -> Routes {
    Routes::new()
}
