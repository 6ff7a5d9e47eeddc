//! Who is acting: the only context a use case takes besides the [`crate::App`].

use tiendo_core::authz::{AccessScope, Actor};
use tiendo_db::audit::Who;
use tokio::sync::OnceCell;

use crate::{App, Error, Result};

/// The signed-in account behind a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    /// Account id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// The account's organisation.
    pub organization_id: Option<i64>,
}

/// The actor of a use case: a signed-in user (through a page or an API token), the public, the command
/// line or the system (jobs, the demo loader). Carries what the audit trail records (the label, the client
/// address, the request id) and, computed on first use and kept, the actor's [`AccessScope`].
#[derive(Debug)]
pub struct Session {
    /// The actor for authorization (the account and its grants).
    pub actor: Actor,
    /// The signed-in account, if any.
    pub user: Option<SessionUser>,
    /// The actor's identity in the audit trail.
    pub who: Who,
    scope: OnceCell<AccessScope>,
    /// Whether this actor wrote within the replica's allowed lag (its reads then go to the primary).
    wrote_recently: bool,
}

impl Clone for Session {
    fn clone(&self) -> Self {
        let scope = OnceCell::new_with(self.scope.get().cloned());
        Session {
            actor: self.actor.clone(),
            user: self.user.clone(),
            who: self.who.clone(),
            scope,
            wrote_recently: self.wrote_recently,
        }
    }
}

impl Session {
    /// A signed-in user with their grants.
    pub fn user(user: SessionUser, actor: Actor, ip: Option<String>, request_id: Option<String>) -> Session {
        let who = Who { user_id: Some(user.id), label: user.username.clone(), ip, request_id };
        Session { actor, user: Some(user), who, scope: OnceCell::new(), wrote_recently: false }
    }

    /// The public: no account, no grants.
    pub fn public(ip: Option<String>, request_id: Option<String>) -> Session {
        let who = Who { user_id: None, label: "public".to_owned(), ip, request_id };
        Session { actor: Actor::public(), user: None, who, scope: OnceCell::new(), wrote_recently: false }
    }

    /// The system itself (jobs, the demo loader, migrations), acting with the given grants. The audit trail
    /// labels its changes `system`.
    pub fn system(actor: Actor) -> Session {
        Session { actor, user: None, who: Who::system(), scope: OnceCell::new(), wrote_recently: false }
    }

    /// An operator at the command line, with the given grants. The audit trail labels its changes `cli`.
    pub fn cli(actor: Actor) -> Session {
        Session { actor, user: None, who: Who::cli(), scope: OnceCell::new(), wrote_recently: false }
    }

    /// Acts as `user` (whose account it is) for the system: the demo records each step of its story as
    /// the person who took it.
    pub fn as_user(user: SessionUser, actor: Actor) -> Session {
        Session::user(user, actor, None, None)
    }

    /// The same actor, marked as having written recently: its dashboards and lists read the primary database
    /// rather than a replica that may lag (see [`crate::App::reads`]).
    #[must_use]
    pub fn after_recent_write(mut self) -> Session {
        self.wrote_recently = true;
        self
    }

    /// Whether the actor wrote recently.
    pub fn wrote_recently(&self) -> bool {
        self.wrote_recently
    }

    /// The signed-in account, or `Unauthorized`.
    pub fn require_user(&self) -> Result<&SessionUser> {
        self.user.as_ref().ok_or(Error::Unauthorized)
    }

    /// The account id, if any.
    pub fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|u| u.id)
    }

    /// The organisations each of the actor's roles covers, computed once per session.
    pub async fn scope(&self, app: &App) -> Result<&AccessScope> {
        self.scope
            .get_or_try_init(|| async {
                let mut subtrees = std::collections::HashMap::new();
                for root in AccessScope::subtree_roots(&self.actor) {
                    subtrees.insert(root, tiendo_db::orgtree::subtree(app.db(), root).await?);
                }
                Ok::<_, Error>(AccessScope::of(&self.actor, |root| subtrees.remove(&root).unwrap_or_default()))
            })
            .await
    }
}
