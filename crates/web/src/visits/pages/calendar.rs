//! `/visits`: the visits the user may see, as a list (upcoming, then past) or a month calendar, filtered
//! by locality, organisation or leader. The filters stay in the address, so a view can be shared.

use askama::Template;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use tiendo_core::visits::{Month, Phase};
use tiendo_db::visits::{self, Stop, VisitFilter, VisitSummary};

use crate::error::AppError;
use crate::forms::fields::Choice;
use crate::forms::url_encode;
use crate::layout::{Ctx, Layout, render};

/// The filters, as in the address.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CalendarQuery {
    /// `list` (the default) or `month`.
    #[serde(default)]
    pub view: String,
    /// The month shown (`2020-02`); by default this month if it has visits, else the month of the latest.
    #[serde(default)]
    pub month: String,
    /// An administrative unit (its id).
    #[serde(default)]
    pub locality: String,
    /// An organisation (organiser, host or member's).
    #[serde(default)]
    pub org: String,
    /// A leader (a person's id).
    #[serde(default)]
    pub leader: String,
}

impl CalendarQuery {
    /// The filters (without the view and the month) as a query string.
    fn filters(&self) -> String {
        [("locality", &self.locality), ("org", &self.org), ("leader", &self.leader)]
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("&{k}={}", url_encode(v.trim())))
            .collect()
    }

    fn filter(&self) -> VisitFilter {
        VisitFilter {
            locality: self.locality.trim().parse().ok(),
            org: self.org.trim().parse().ok(),
            leader: self.leader.trim().parse().ok(),
            ..VisitFilter::default()
        }
    }
}

/// A visit as the list and the calendar show it.
#[derive(Debug, Clone)]
pub struct VisitLine {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// "27/02/2020" or "27/02/2020 – 28/02/2020".
    pub dates: String,
    /// The organiser.
    pub organizer: String,
    /// The leader's name.
    pub leader: String,
    /// The hosts of the stops, in order.
    pub hosts: Vec<String>,
    /// `upcoming`, `ongoing` or `past`.
    pub phase: &'static str,
    /// Its label.
    pub phase_label: String,
    /// Sample data.
    pub is_sample: bool,
    first: NaiveDate,
    last: NaiveDate,
}

use crate::extract::Query;
pub use tiendo_core::visits::dates_text;

fn lines(ctx: &Ctx, rows: &[VisitSummary], stops: &[Stop], now: NaiveDate) -> Vec<VisitLine> {
    rows.iter()
        .map(|v| {
            let phase = Phase::of(v.starts_on, v.ends_on, now);
            let mut hosts: Vec<String> = Vec::new();
            for s in stops.iter().filter(|s| s.visit_id == v.id) {
                if !hosts.contains(&s.host_name) {
                    hosts.push(s.host_name.clone());
                }
            }
            VisitLine {
                id: v.id,
                title: v.title.clone(),
                dates: dates_text(v.starts_on, v.ends_on),
                organizer: v.organizer_name.clone(),
                leader: v.leader_name.clone().unwrap_or_default(),
                hosts,
                phase: phase.code(),
                phase_label: ctx.tr.t(&format!("visit-phase-{}", phase.code())),
                is_sample: v.is_sample,
                first: v.starts_on,
                last: v.ends_on,
            }
        })
        .collect()
}

/// A day of the month grid.
#[derive(Debug, Clone)]
pub struct DayCell {
    /// The day of the month.
    pub day: u32,
    /// `dd/mm/yyyy`, for screen readers.
    pub date: String,
    /// Whether the day belongs to the month shown.
    pub in_month: bool,
    /// Whether it is today.
    pub today: bool,
    /// The visits under way that day: (id, title).
    pub visits: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "visits/calendar.html")]
struct CalendarPage {
    layout: Layout,
    q: CalendarQuery,
    month_view: bool,
    month_label: String,
    month_code: String,
    previous: String,
    next: String,
    weekdays: Vec<String>,
    weeks: Vec<Vec<DayCell>>,
    upcoming: Vec<VisitLine>,
    past: Vec<VisitLine>,
    total: usize,
    localities: Vec<Choice>,
    orgs: Vec<Choice>,
    leaders: Vec<Choice>,
    filters: String,
    can_create: bool,
}

/// `GET /visits`.
pub async fn list(ctx: Ctx, Query(q): Query<CalendarQuery>) -> Result<Response, AppError> {
    let db = ctx.state.db();
    let scope = ctx.auth.session().scope(ctx.state.app()).await?;
    let now = ctx.state.app().today();
    let month_view = q.view == "month";
    let mut filter = q.filter();
    // Every visit of the filters, for the list and for the month to open on when none is asked for (the
    // month of the latest visits rather than an empty one).
    let asked = Month::parse(&q.month);
    let everything = match (month_view, asked) {
        (true, Some(_)) => None,
        _ => Some(visits::list(db, &filter, scope).await?),
    };
    let month =
        asked.unwrap_or_else(|| Month::to_open(everything.iter().flatten().map(|v| (v.starts_on, v.ends_on)), now));
    // The grid lists a visit on the days of the month shown only: the greyed days of the neighbouring
    // months stay empty, so a visit appears in one month's view (or in each month it spans).
    let rows = if month_view {
        filter.from = Some(month.first());
        filter.to = Some(month.last());
        visits::list(db, &filter, scope).await?
    } else {
        everything.unwrap_or_default()
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let stops = visits::stops_of(db, &ids).await?;
    let all = lines(&ctx, &rows, &stops, now);
    let weeks = if month_view {
        month
            .weeks()
            .iter()
            .map(|week| {
                week.iter()
                    .map(|day| DayCell {
                        day: chrono::Datelike::day(day),
                        date: tiendo_core::fmt::date(*day),
                        in_month: Month::of(*day) == month,
                        today: *day == now,
                        visits: all
                            .iter()
                            .filter(|v| Month::of(*day) == month && v.first <= *day && *day <= v.last)
                            .map(|v| (v.id, v.title.clone()))
                            .collect(),
                    })
                    .collect()
            })
            .collect()
    } else {
        Vec::new()
    };
    let (past, mut upcoming): (Vec<VisitLine>, Vec<VisitLine>) = all.into_iter().partition(|v| v.phase == "past");
    upcoming.sort_by_key(|v| (v.first, v.id));
    let mut past = past;
    past.sort_by_key(|v| std::cmp::Reverse((v.first, v.id)));
    let choice = |(id, name): (i64, String)| Choice::data(id, name);
    let page = CalendarPage {
        layout: ctx.layout("visits-title"),
        month_view,
        month_label: ctx
            .tr
            .t_with("visits-month", &[("month", &month.month().to_string()), ("year", &month.year().to_string())]),
        month_code: month.code(),
        previous: month.previous().code(),
        next: month.next().code(),
        weekdays: (1..=7).map(|d| ctx.tr.t(&format!("weekday-{d}"))).collect(),
        weeks,
        total: upcoming.len() + past.len(),
        upcoming,
        past,
        localities: visits::locality_options(db).await?.into_iter().map(choice).collect(),
        orgs: super::org_choices(&ctx).await?,
        leaders: visits::leader_options(db).await?.into_iter().map(choice).collect(),
        filters: q.filters(),
        can_create: tiendo_app::visits::may_create(ctx.auth.session()),
        q,
    };
    render(&page)
}
