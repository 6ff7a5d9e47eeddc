//! Resolution monitoring (theo dõi thực hiện nghị quyết): document symbols, deadlines and how they are
//! typed, the derived status of an assignment, weighted progress, who may do what with an assignment, and
//! the workflow of a progress update. Pure rules; the database and the pages build on them.

pub mod assignment;
pub mod colors;
pub mod deadline;
pub mod deadline_input;
pub mod reminder;
pub mod summary;
pub mod symbol;
pub mod update;

pub use assignment::{AssignmentAccess, AssignmentAction};
pub use deadline::{AssignmentFacts, Deadline, DerivedStatus, GovernmentCategory, StatusKind, derive_status, rollup};
pub use deadline_input::{DeadlineFields, DeadlineIssue};
pub use reminder::{Reminder, ReminderKind, reminders_due};
pub use summary::{Summary, Tally, TargetFigures, TargetGoal};
pub use symbol::{DocSystem, DocType, DocumentSymbol, SymbolError};
pub use update::{UpdateAction, UpdateSide, UpdateStatus};
