use tiendo_db::orgtree;
use tiendo_db::testing::TestDb;

async fn org(db: &TestDb, name: &str, parent: Option<i64>) -> i64 {
    let builder = db.fixtures().organization(name);
    match parent {
        Some(parent) => builder.parent(parent).create().await,
        None => builder.create().await,
    }
}

#[tokio::test]
async fn paths_and_subtrees_follow_the_parent_links() {
    let t = TestDb::new().await;
    let db = t.db();
    let province = org(&t, "UBND tỉnh Quảng Ninh", None).await;
    let dept = org(&t, "Sở Khoa học và Công nghệ", Some(province)).await;
    let division = org(&t, "Phòng Quản lý khoa học", Some(dept)).await;
    let ward = org(&t, "UBND phường Hà An", Some(province)).await;
    assert_eq!(orgtree::path(db, division).await.unwrap(), vec![province, dept, division]);
    assert_eq!(orgtree::path(db, 9999).await.unwrap(), Vec::<i64>::new());
    let mut under_dept = orgtree::subtree(db, dept).await.unwrap();
    under_dept.sort_unstable();
    assert_eq!(under_dept, vec![dept, division]);
    assert_eq!(orgtree::subtree(db, province).await.unwrap().len(), 4);
    let names: Vec<String> = orgtree::options(db).await.unwrap().into_iter().map(|o| o.name).collect();
    assert_eq!(names[0], "Phòng Quản lý khoa học");
    assert!(names.contains(&"UBND phường Hà An".to_owned()));
    let paths = orgtree::paths(db, &[division, ward, 9999]).await.unwrap();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert_eq!(paths[&division], vec![province, dept, division]);
    assert_eq!(paths[&ward], vec![province, ward]);
    assert!(orgtree::paths(db, &[]).await.unwrap().is_empty());
}
