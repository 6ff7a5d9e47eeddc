//! Scheduled publishing: articles whose publication time has come are published, each in its own
//! transaction with its audit event and the stamp that makes every instance drop its cached pages.

use chrono::Utc;
use serde::Deserialize;
use tiendo_core::portal::ArticleState;
use tiendo_db::audit::{self, Change, NewEvent, Who};
use tiendo_db::portal::{self, articles};

use super::{Job, JobContext};

/// Publishes the scheduled articles that are due.
#[derive(Debug, Clone, Copy)]
pub struct PublishScheduled;

/// No arguments.
#[derive(Debug, Default, Deserialize)]
pub struct NoPayload {}

impl Job for PublishScheduled {
    const NAME: &'static str = "publish_scheduled";
    type Payload = NoPayload;

    async fn run(&self, ctx: &JobContext, _payload: NoPayload) -> anyhow::Result<()> {
        let now = Utc::now();
        for a in articles::due(&ctx.db, now).await? {
            let tx = ctx.db.begin().await?;
            // Another instance may have published it meanwhile: only a still-scheduled article moves.
            let Some(current) = articles::get(&tx, a.id).await?.filter(|c| c.state() == ArticleState::Scheduled) else {
                tx.rollback().await?;
                continue;
            };
            articles::set_state(&tx, current.id, ArticleState::Published, None, now).await?;
            audit::append(
                &tx,
                &Who::system(),
                &NewEvent::new(
                    "article_publish",
                    "article",
                    current.id,
                    format!("Đăng bài «{}» theo lịch", current.title),
                )
                .with_changes(vec![Change::new("state", "scheduled", "published")]),
            )
            .await?;
            portal::bump_stamp(&tx).await?;
            tx.commit().await?;
            tracing::info!(article = current.id, "scheduled article published");
        }
        Ok(())
    }
}
