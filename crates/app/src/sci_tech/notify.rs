//! Telling the proposing side of every decision: a notification in the application and, when mail is on
//! and the account has an address, an e-mail in Vietnamese and English (sent by the job queue).

use tiendo_core::lang::Lang;
use tiendo_db::Tx;

use crate::{App, Error, Result, Tr};

/// Notifies one account (and mails it when mail is on).
#[expect(clippy::too_many_arguments, reason = "one notification's parts, each distinct")]
pub(crate) async fn send(
    app: &App,
    tx: &Tx,
    user: i64,
    email: Option<String>,
    kind: &str,
    title: &str,
    body: &str,
    link: &str,
) -> Result<()> {
    tiendo_db::notifications::notify(tx, user, kind, title, body, Some(link), app.now()).await?;
    let Some(to) = email.filter(|_| app.settings().mail_enabled) else { return Ok(()) };
    let base = app.settings().public_url.clone().unwrap_or_default();
    let address = format!("{}{link}", base.trim_end_matches('/'));
    let (vi, en) = (Tr::new(Lang::Vi), Tr::new(Lang::En));
    let args = [("title", title), ("body", body), ("link", address.as_str())];
    let payload = tiendo_db::jobs::EmailPayload {
        to,
        subject: format!("{title} / {}", en.t("mail-st-subject")),
        body: format!("{}\n\n----------\n\n{}", vi.t_with("mail-st-body", &args), en.t_with("mail-st-body", &args)),
    };
    let job = tiendo_db::jobs::NewJob::new(
        tiendo_db::jobs::kinds::SEND_EMAIL,
        serde_json::to_value(&payload).map_err(Error::internal)?,
    );
    tiendo_db::jobs::enqueue(tx, &job).await?;
    Ok(())
}
