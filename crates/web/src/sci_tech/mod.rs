//! S&T tasks, part 1 (issue 16): calls, proposals and dossiers with their typed form, files, the
//! timeline of their transitions and the buttons of the machine. The pages are [`pages`], the JSON API
//! [`api`]; both call the use cases of `tiendo_app::sci_tech`, whose rules are `tiendo_core::sci_tech` and
//! storage `tiendo_db::sci_tech`.

pub mod api;
pub mod pages;

use crate::auth::Auth;
use crate::auth::policy::{Policy, Routes};
use crate::error::AppError;
use crate::state::AppState;

/// The pages of calls and proposals. Every use case checks the record against the actor's grants; the
/// policies here keep anonymous visitors out.
pub fn routes() -> Routes {
    use pages::{
        acceptance, calls, contract_form, contracts, council_settings, councils, proposal, proposal_form, register,
        task_reports,
    };
    const S: Policy = Policy::SignedIn;
    const P: Policy = Policy::Public;
    Routes::new()
        .get("/registers/tasks", register::tasks, P)
        .get("/registers/tasks.xlsx", register::tasks_xlsx, P)
        .get("/registers/tasks/{id}", register::task, P)
        .get("/registers/contracts", register::contracts, P)
        .get("/registers/contracts/{id}", register::contract, P)
        .get("/registers/calls", register::calls, P)
        .get("/registers/calls/{id}", register::call, P)
        .get("/calls", calls::list, S)
        .get("/calls/new", calls::new_form, S)
        .post("/calls/new", calls::create, S)
        .get("/calls/{id}", calls::show, S)
        .get("/calls/{id}/edit", calls::edit_form, S)
        .post("/calls/{id}/edit", calls::update, S)
        .post("/calls/{id}/publish", calls::publish, S)
        .get("/calls/{id}/proposals/new", proposal_form::new_form, S)
        .post("/calls/{id}/proposals/new", proposal_form::create, S)
        .get("/proposals", proposal::list, S)
        .get("/proposals/similar", proposal_form::similar, S)
        .get("/proposals/{id}", proposal::show, S)
        .get("/proposals/{id}/edit", proposal_form::edit_form, S)
        .post("/proposals/{id}/edit", proposal_form::update, S)
        .post("/proposals/{id}/delete", proposal::delete, S)
        .post("/proposals/{id}/transition", proposal::transition, S)
        .post("/proposals/{id}/files", proposal::upload, S)
        .post("/proposals/{id}/files/{file}/delete", proposal::remove_file, S)
        .get("/proposals/{id}/contract", contract_form::sign_form, S)
        .post("/proposals/{id}/contract", contract_form::sign, S)
        .get("/contracts", contracts::portfolio, S)
        .get("/contracts/form1.xlsx", contracts::form1_xlsx, S)
        .get("/contracts/form12.xlsx", contracts::form12_xlsx, S)
        .get("/contracts/{id}", contracts::show, S)
        .get("/contracts/{id}/contract.docx", contracts::contract_docx, S)
        .get("/contracts/{id}/contract.pdf", contracts::contract_pdf, S)
        .get("/contracts/{id}/change", contract_form::change_form, S)
        .post("/contracts/{id}/change", contract_form::change, S)
        .post("/contracts/{id}/payments", contracts::pay, S)
        .post("/contracts/{id}/milestones/{seq}", contracts::reach, S)
        .post("/contracts/{id}/inspections", contracts::inspect, S)
        .post("/contracts/{id}/steps/{action}", contracts::step, S)
        .post("/contracts/{id}/dossier", acceptance::dossier, S)
        .post("/contracts/{id}/evaluation", acceptance::evaluation, S)
        .post("/contracts/{id}/closing", acceptance::closing, S)
        .post("/contracts/{id}/results", acceptance::results, S)
        .post("/contracts/{id}/results/uses", acceptance::add_use, S)
        .get("/contracts/{id}/reports/{kind}/{seq}", task_reports::show, S)
        .post("/contracts/{id}/reports/{kind}/{seq}", task_reports::save, S)
        .post("/contracts/{id}/reports/{kind}/{seq}/decision", task_reports::decide, S)
        .get("/councils", councils::list, S)
        .get("/councils/new", councils::new_form, S)
        .post("/councils/new", councils::create, S)
        .get("/councils/{id}", councils::show, S)
        .get("/councils/{id}/edit", councils::edit_form, S)
        .post("/councils/{id}/edit", councils::update, S)
        .get("/councils/{id}/settings", council_settings::form, S)
        .post("/councils/{id}/settings", council_settings::save, S)
        .post("/councils/{id}/members", councils::set_members, S)
        .post("/councils/{id}/items", councils::add_items, S)
        .post("/councils/{id}/declare", councils::declare, S)
        .post("/councils/{id}/override", councils::override_flag, S)
        .post("/councils/{id}/meeting", councils::meeting, S)
        .post("/councils/{id}/scores/{proposal}", councils::score, S)
        .post("/councils/{id}/close", councils::close, S)
        .get("/councils/{id}/minutes.docx", councils::minutes_docx, S)
        .get("/councils/{id}/minutes.pdf", councils::minutes_pdf, S)
        .get("/councils/{id}/summary.docx", councils::summary_docx, S)
        .get("/councils/{id}/summary.pdf", councils::summary_pdf, S)
}

/// Whether the caller may download a stored file because it belongs to a proposal they may see.
pub async fn may_read_file(state: &AppState, auth: &Auth, attachment_id: i64) -> Result<bool, AppError> {
    Ok(tiendo_app::sci_tech::may_read_file(state.app(), auth.session(), attachment_id).await?)
}
