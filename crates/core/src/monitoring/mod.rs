//! Resolution monitoring (theo dõi thực hiện nghị quyết): document symbols, deadlines, the derived status
//! of an assignment, weighted progress, and the workflow of a progress update. Pure rules; the database
//! and the pages build on them.

pub mod deadline;
pub mod reminder;
pub mod symbol;
pub mod update;

pub use deadline::{AssignmentFacts, Deadline, DerivedStatus, GovernmentCategory, StatusKind, derive_status, rollup};
pub use reminder::{Reminder, ReminderKind, reminders_due};
pub use symbol::{DocSystem, DocType, DocumentSymbol, SymbolError};
pub use update::{UpdateAction, UpdateSide, UpdateStatus};
