//! API calls with a personal token, for the directory and geography tests.

use axum::body::Body;
use axum::http::{Method, Request};
use tiendo_core::authz::{Role, Scope};
use tiendo_db::identity;

use crate::harness::{TestApp, TestResponse};

impl TestApp {
    /// A personal API token of a new account with these grants.
    pub async fn token(&self, username: &str, org: Option<i64>, grants: &[(Role, Scope)]) -> String {
        let id = self.user(username, org, grants).await;
        self.token_for_user(id).await
    }

    /// A new personal API token of an existing account.
    pub async fn token_of(&self, username: &str) -> String {
        let (user, _) = identity::user_for_login(self.db.db(), username).await.unwrap().unwrap();
        self.token_for_user(user.id).await
    }

    /// A new personal API token of the account `user_id`.
    pub async fn token_for_user(&self, user_id: i64) -> String {
        let token = tiendo_app::secret::new_api_token();
        let digest = tiendo_app::secret::digest(&token);
        identity::create_token(self.db.db(), user_id, "test", &digest, &token[..10], None, chrono::Utc::now())
            .await
            .unwrap();
        token
    }

    /// An API request with an optional bearer token and JSON body.
    pub async fn api(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        let body = match body {
            Some(json) => {
                builder = builder.header("content-type", "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(builder.body(body).unwrap()).await
    }
}
