//! The demo's S&T enterprise certificates (issue 18 item 7), checked on the demo loaded by
//! `demo_sci_tech` (loading it is slow; both stories are read from the same load): Minh Hàn applied after
//! the 2020 visit, was asked for a supplement (the clock paused three days) and was certified; Hoàng Tân's
//! certificate was revoked after its yearly report; Agritech's application is open with five days left.

use chrono::NaiveDate;
use tiendo::demo::certificates::{HOANG_TAN_NUMBER, MINH_HAN_NUMBER};
use tiendo_db::{Exec, Query};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The certificates' stories on the demo loaded into `app` (whose clock is the moment of loading).
pub(crate) async fn the_certificates(app: &tiendo_app::App) {
    let db = app.db();
    let (minh_han, state, basis, received, decided, late): (i64, String, String, NaiveDate, NaiveDate, bool) = db
        .fetch_one(Query::new(
            "SELECT id, state, basis, received_on, decided_on, decided_late FROM cert_applications WHERE tax_code = '5799990005'",
        ))
        .await
        .unwrap();
    assert_eq!((state.as_str(), basis.as_str()), ("issued", "nd13_2019"), "decided under the decree in force in 2020");
    assert_eq!((received, decided, late), (day(2020, 9, 15), day(2020, 9, 30), false));
    let events = tiendo_db::certificates::events(db, minh_han).await.unwrap();
    let application = tiendo_db::certificates::application(db, minh_han).await.unwrap().unwrap();
    let clock = tiendo_app::certificates::clock_of(&application, &events, app.today()).unwrap();
    assert_eq!(clock.paused_days, 3, "the supplement paused the clock three days");
    assert!(clock.days_left >= 0);
    let (number, status): (String, String) = db
        .fetch_one(Query::new("SELECT number, status FROM certificates WHERE application_id = $1").bind(minh_han))
        .await
        .unwrap();
    assert_eq!((number.as_str(), status.as_str()), (MINH_HAN_NUMBER, "in_force"));
    let (status, holds): (String, bool) = db
        .fetch_one(
            Query::new(
                "SELECT c.status, r.holds FROM certificates c JOIN cert_reports r ON r.certificate_id = c.id WHERE c.number = $1",
            )
            .bind(HOANG_TAN_NUMBER),
        )
        .await
        .unwrap();
    assert_eq!((status.as_str(), holds), ("revoked", false));
    // Agritech's application is being checked with five days left today.
    let (agritech, state): (i64, String) = db
        .fetch_one(Query::new("SELECT id, state FROM cert_applications WHERE tax_code = '5799990012'"))
        .await
        .unwrap();
    assert_eq!(state, "checking");
    let events = tiendo_db::certificates::events(db, agritech).await.unwrap();
    let application = tiendo_db::certificates::application(db, agritech).await.unwrap().unwrap();
    let clock = tiendo_app::certificates::clock_of(&application, &events, app.today()).unwrap();
    assert_eq!(clock.days_left, 5);
}
