//! The demo's S&T enterprise certificates (issue 18 item 7), checked on the demo loaded by
//! `demo_sci_tech` (loading it is slow; both stories are read from the same load): Minh Hàn applied after
//! the 2020 visit, was asked for a supplement (the clock paused three days) and was certified; Hoàng Tân's
//! certificate was revoked after its yearly report; Agritech's application is open with five days left.

use chrono::NaiveDate;
use tiendo::demo::certificates::{APPRAISAL_COUNCIL, APPRAISAL_MINUTES, HOANG_TAN_NUMBER, MINH_HAN_NUMBER};
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
    // Before it was certified, a small council appraised it within the story's days: formed after the
    // dossier was found valid (23/09), closed before the Director's decision (30/09), recommending it.
    let (council, kind, state, minutes, minutes_on, decision_on, passed): (i64, String, String, String, NaiveDate, NaiveDate, bool) = db
        .fetch_one(
            Query::new(
                "SELECT k.id, k.kind, k.state, k.minutes_symbol, k.minutes_date, k.decision_date, i.passed FROM st_councils k \
                 JOIN st_council_items i ON i.council_id = k.id WHERE k.name = $1 AND i.application_id = $2",
            )
            .bind(APPRAISAL_COUNCIL)
            .bind(minh_han),
        )
        .await
        .unwrap();
    assert_eq!(
        (kind.as_str(), state.as_str(), minutes.as_str(), passed),
        ("certificate", "closed", APPRAISAL_MINUTES, true)
    );
    assert!(day(2020, 9, 23) <= decision_on && minutes_on < day(2020, 9, 30), "{decision_on} {minutes_on}");
    let (opinions, issue): (i64, i64) = db
        .fetch_one(
            Query::new(
                "SELECT COUNT(*), SUM(CASE WHEN recommendation = 'issue' THEN 1 ELSE 0 END) FROM cert_opinions \
                 WHERE council_id = $1 AND application_id = $2",
            )
            .bind(council)
            .bind(minh_han),
        )
        .await
        .unwrap();
    assert_eq!((opinions, issue), (3, 3), "three members present, each recommending the certificate");
    // Hoàng Tân's 2023 yearly report went through the reporting engine: approved, it found the condition
    // no longer held, and the certificate was revoked, releasing the enterprise from the yearly form.
    let (status, holds, template, period, report_status): (String, bool, String, String, String) = db
        .fetch_one(
            Query::new(
                "SELECT c.status, r.holds, p.template_code, p.period_code, p.status FROM certificates c \
                 JOIN cert_reports r ON r.certificate_id = c.id JOIN reports p ON p.id = r.report_id WHERE c.number = $1",
            )
            .bind(HOANG_TAN_NUMBER),
        )
        .await
        .unwrap();
    assert_eq!(
        (status.as_str(), holds, template.as_str(), period.as_str(), report_status.as_str()),
        ("revoked", false, "DN-KHCN", "2023", "approved")
    );
    let targets: Vec<(String,)> = db
        .fetch_all(Query::new(
            "SELECT o.name FROM report_targets t JOIN organizations o ON o.id = t.org_id WHERE t.template_code = 'DN-KHCN'",
        ))
        .await
        .unwrap();
    assert_eq!(
        targets,
        [("Công ty TNHH thủy sản Minh Hàn".to_owned(),)],
        "only the enterprise still certified reports"
    );
    // Minh Hàn's reports up to the year before last are approved, each re-check holding; last year's is
    // its own to send.
    let last = chrono::Datelike::year(&app.today()) - 1;
    let rechecks: Vec<(i64, bool)> = db
        .fetch_all(
            Query::new(
                "SELECT r.year, r.holds FROM cert_reports r JOIN certificates c ON c.id = r.certificate_id \
                 WHERE c.number = $1 ORDER BY r.year",
            )
            .bind(MINH_HAN_NUMBER),
        )
        .await
        .unwrap();
    let years: Vec<i64> = (2020..i64::from(last)).collect();
    assert_eq!(rechecks.iter().map(|(y, _)| *y).collect::<Vec<_>>(), years);
    assert!(rechecks.iter().all(|(_, holds)| *holds), "{rechecks:?}");
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
