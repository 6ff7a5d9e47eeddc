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
