//! What an organisation's page (`/organizations/{id}`) shows of visits: the visits it received (hosted a
//! stop of) and the directives it owes (leads) or helps with (coordinates), each with its derived status,
//! only those the user may see.

use tiendo_db::monitoring::assignments::{self, AssignmentFilter, AssignmentRow};
use tiendo_db::visits::{self, VisitFilter};

use tiendo_core::visits::dates_text;

use crate::error::AppError;
use crate::layout::Ctx;
use crate::monitoring::dashboard::{AssignmentLine, lines};

/// A visit received.
#[derive(Debug, Clone)]
pub struct ReceivedVisit {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Dates in words.
    pub dates: String,
    /// The organiser.
    pub organizer: String,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// The visits section of an organisation's page.
#[derive(Debug, Clone, Default)]
pub struct OrgSection {
    /// The visits it received, latest first.
    pub received: Vec<ReceivedVisit>,
    /// The directives it leads, most overdue first.
    pub owed: Vec<AssignmentLine>,
    /// The directives it coordinates.
    pub coordinated: Vec<AssignmentLine>,
}

/// The visits section of organisation `org_id`'s page, as the user may see it.
pub async fn organization_section(ctx: &Ctx, org_id: i64) -> Result<OrgSection, AppError> {
    let db = ctx.state.db();
    let scope = ctx.auth.session().scope(ctx.state.app()).await?;
    let filter = VisitFilter { host: Some(org_id), ..VisitFilter::default() };
    let mut received: Vec<ReceivedVisit> = visits::list(db, &filter, scope)
        .await?
        .into_iter()
        .map(|v| ReceivedVisit {
            id: v.id,
            dates: dates_text(v.starts_on, v.ends_on),
            title: v.title,
            organizer: v.organizer_name,
            is_sample: v.is_sample,
        })
        .collect();
    received.reverse();
    let plans = visits::directive_plans(db).await?;
    if plans.is_empty() {
        return Ok(OrgSection { received, ..OrgSection::default() });
    }
    let monitoring = tiendo_app::monitoring::visibility(ctx.state.app(), ctx.auth.session()).await?;
    let filter = AssignmentFilter { plans: Some(plans), involving: Some(org_id), ..AssignmentFilter::default() };
    let (led, coordinated): (Vec<AssignmentRow>, Vec<AssignmentRow>) =
        assignments::list(db, &filter, &monitoring).await?.into_iter().partition(|r| r.lead_org_id == org_id);
    let now = ctx.state.app().today();
    let mut owed = lines(ctx, &led, now);
    owed.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then(a.id.cmp(&b.id)));
    Ok(OrgSection { received, owed, coordinated: lines(ctx, &coordinated, now) })
}
