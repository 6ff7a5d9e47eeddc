use chrono::Utc;
use tiendo_db::testing::TestDb;
use tiendo_db::{Exec, Query, orgtree};

async fn org(db: &tiendo_db::Db, name: &str, parent: Option<i64>) -> i64 {
    let (id,): (i64,) = db
        .fetch_one(
            Query::new(
                "INSERT INTO organizations (kind, name, name_folded, sort_key, parent_id, created_at, updated_at) \
                 VALUES ('other', $1, $2, $3, $4, $5, $5) RETURNING id",
            )
            .bind(name)
            .bind(tiendo_core::text::fold(name))
            .bind(tiendo_core::text::sort_key(name))
            .bind(parent)
            .bind(Utc::now()),
        )
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn paths_and_subtrees_follow_the_parent_links() {
    let t = TestDb::new().await;
    let db = t.db();
    let province = org(db, "UBND tỉnh Quảng Ninh", None).await;
    let dept = org(db, "Sở Khoa học và Công nghệ", Some(province)).await;
    let division = org(db, "Phòng Quản lý khoa học", Some(dept)).await;
    let ward = org(db, "UBND phường Hà An", Some(province)).await;
    assert_eq!(orgtree::path(db, division).await.unwrap(), vec![province, dept, division]);
    assert_eq!(orgtree::path(db, 9999).await.unwrap(), Vec::<i64>::new());
    let mut under_dept = orgtree::subtree(db, dept).await.unwrap();
    under_dept.sort_unstable();
    assert_eq!(under_dept, vec![dept, division]);
    assert_eq!(orgtree::subtree(db, province).await.unwrap().len(), 4);
    let names: Vec<String> = orgtree::options(db).await.unwrap().into_iter().map(|o| o.name).collect();
    assert_eq!(names[0], "Phòng Quản lý khoa học");
    assert!(names.contains(&"UBND phường Hà An".to_owned()));
    let _ = ward;
}
