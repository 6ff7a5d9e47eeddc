//! The test fixtures build what they say.

use tiendo_core::authz::{Role, Scope};
use tiendo_db::testing::TestDb;

#[tokio::test]
async fn fixtures_build_an_organisation_tree_and_an_account_with_its_role() {
    let db = TestDb::new().await;
    let f = db.fixtures();
    let province = f.organization("UBND tỉnh Quảng Ninh").create().await;
    let ward = f.organization("UBND phường Hà An").parent(province).create().await;
    let account =
        f.account("hien").organization(ward).role(Role::LocalityOfficer, Scope::Organization(ward)).create().await;
    assert_eq!(tiendo_db::orgtree::path(db.db(), ward).await.unwrap(), vec![province, ward]);
    let grants = tiendo_db::identity::grants(db.db(), account).await.unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(
        grants[0].grant(),
        Some(tiendo_core::authz::Grant { role: Role::LocalityOfficer, scope: Scope::Organization(ward) })
    );
    let person = f.person("Hoàng Bá Nam").create().await;
    assert!(tiendo_db::directory::person(db.db(), person).await.unwrap().is_some());
}

#[tokio::test]
async fn fixtures_build_a_published_article_with_a_waiting_and_a_hidden_comment() {
    use tiendo_core::portal::{ArticleState, CommentStatus};
    let db = TestDb::new().await;
    let f = db.fixtures();
    let article = f.article("Tin thử nghiệm").state(ArticleState::Published).create().await;
    let a = tiendo_db::portal::articles::get(db.db(), article).await.unwrap().unwrap();
    assert_eq!((a.slug.as_str(), a.state()), ("tin-thu-nghiem", ArticleState::Published));
    assert!(a.published_at.is_some());
    let waiting = f.comment(article).create().await;
    let hidden = f.comment(article).hidden_by_reports().create().await;
    let waiting = tiendo_db::portal::comments::get(db.db(), waiting).await.unwrap().unwrap();
    let hidden = tiendo_db::portal::comments::get(db.db(), hidden).await.unwrap().unwrap();
    assert_eq!((waiting.status(), waiting.hidden), (CommentStatus::Pending, false));
    assert_eq!((hidden.status(), hidden.hidden), (CommentStatus::Approved, true));
    let later = chrono::Utc::now() + chrono::Duration::days(1);
    let scheduled = f.article("Tin hẹn giờ").scheduled(later).create().await;
    let s = tiendo_db::portal::articles::get(db.db(), scheduled).await.unwrap().unwrap();
    assert_eq!((s.state(), s.publish_at.is_some(), s.published_at), (ArticleState::Scheduled, true, None));
}
