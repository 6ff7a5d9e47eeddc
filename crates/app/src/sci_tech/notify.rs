//! Telling the proposing side of every decision: a notification in the application (a notice, read in each
//! reader's language) and, when mail is on and the account has an address, an e-mail in Vietnamese and
//! English (sent by the job queue).

use tiendo_core::lang::Lang;
use tiendo_db::Tx;

use crate::message::Notice;
use crate::{App, Error, Result, Tr};

/// Notifies one account of `notice` (and mails it when mail is on).
pub(crate) async fn send(
    app: &App,
    tx: &Tx,
    user: i64,
    email: Option<String>,
    kind: &str,
    notice: &Notice,
    link: &str,
) -> Result<()> {
    crate::notifications::send(tx, user, kind, notice, Some(link), app.now()).await?;
    let Some(to) = email.filter(|_| app.settings().mail_enabled) else { return Ok(()) };
    let base = app.settings().public_url.clone().unwrap_or_default();
    let address = format!("{}{link}", base.trim_end_matches('/'));
    let (vi, en) = (Tr::new(Lang::Vi), Tr::new(Lang::En));
    let body = |tr: &Tr| {
        let (title, body) = (notice.title.render(tr), notice.body.render(tr));
        tr.t_with("mail-st-body", &[("title", title.as_str()), ("body", body.as_str()), ("link", address.as_str())])
    };
    let payload = tiendo_db::jobs::EmailPayload {
        to,
        subject: format!("{} / {}", notice.title.render(&vi), en.t("mail-st-subject")),
        body: format!("{}\n\n----------\n\n{}", body(&vi), body(&en)),
    };
    let job = tiendo_db::jobs::NewJob::new(
        tiendo_db::jobs::kinds::SEND_EMAIL,
        serde_json::to_value(&payload).map_err(Error::internal)?,
    );
    tiendo_db::jobs::enqueue(tx, &job).await?;
    Ok(())
}
