//! Periodic reporting (issue 7): periods, typed fields and their values, report templates with validation
//! rules, the submission workflow, and how indicator values aggregate.

pub mod aggregate;
pub mod field;
pub mod period;
pub mod reminder;
pub mod rule;
pub mod template;
pub mod workflow;

pub use aggregate::{Aggregation, Cell};
pub use field::{FieldKind, Value, ValueError};
pub use period::{Period, PeriodError, PeriodProblem, Periodicity};
pub use template::{DefinitionProblem, FieldDef, IndicatorDef, SectionDef, TemplateDef, ValueProblem, read_values};
pub use workflow::{ReportAction, ReportStatus};
