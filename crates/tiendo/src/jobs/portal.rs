//! Scheduled publishing: articles whose publication time has come are published by the portal's use case
//! (`tiendo_app::portal::articles::publish_scheduled`), each in its own transaction with its audit event
//! and the stamp that makes every instance drop its cached pages.

use serde::Deserialize;
use tiendo_app::Session;
use tiendo_core::authz::{Actor, Grant, Role, Scope};

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
        // The system carries out the decision an editor took when scheduling: it acts with an editor's grant.
        let system = Session::system(Actor {
            user_id: None,
            grants: vec![Grant { role: Role::Editor, scope: Scope::Province }],
        });
        tiendo_app::portal::articles::publish_scheduled(&ctx.app, &system).await?;
        Ok(())
    }
}
