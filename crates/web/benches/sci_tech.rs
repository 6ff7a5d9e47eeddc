//! Benchmark of issue 16's two budgets: a council of 9 members scoring 40 proposals, whose score summary
//! recomputes in under 50 ms; and the proposals list of a call with 2,000 proposals, rendered in under
//! 100 ms at p95.
//!
//! Run: `cargo bench -p tiendo-web --bench sci_tech` (release build, SQLite in a temporary directory; set
//! `TEST_DATABASE_URL` to measure on PostgreSQL, in a database of its own that is dropped afterwards).
//! `BENCH_SIZE=tiny` sends 200 proposals instead of 2,000 (a quick check that the benchmark works; the
//! council is the same).
//!
//! Every record is written by the use cases of `tiendo_app` (validation, audit, search index), as the
//! pages write them: the call opened and published by the officer, the proposals sent by twenty communes'
//! officers (each with its host institute, principal investigator and team of three; a third of them
//! screened), the council formed from the directory (each expert working somewhere, one at an institute
//! hosting ten of the forty proposals, so flagged and barred on them), its members present, and every
//! sheet a member may send (350). Measured:
//!
//! - the score summary: the council opened and its board computed (`open_council` + `board`: members,
//!   conflicts of interest from history, the 350 sheets, the outcomes by the council's rules and the
//!   ranking), as the secretary's page and the API compute it after every sheet; then the aggregation
//!   alone (`tiendo_core::sci_tech::scoring`), without the database;
//! - `GET /councils/{id}` (the whole page with the board) as the officer;
//! - `GET /calls/{id}`, its first page of 50 proposals with the count of the 2,000, as the officer; then the
//!   last page and a page filtered by state. The time is taken until the whole body has been read, in
//!   process through the real router (network excluded). Baseline in the same run: a signed-in
//!   `GET /healthz`.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Duration as Days, Utc};
use http_body_util::BodyExt;
use tiendo_app::sci_tech::councils::{self, CouncilDraft, MemberDraft};
use tiendo_app::sci_tech::{self as st, ProposalSave, TransitionRequest, scoring};
use tiendo_app::{App, Session, SessionUser};
use tiendo_core::authz::{Actor, Role, Scope};
use tiendo_core::sci_tech::scoring::{Sheet, SheetDraft};
use tiendo_core::sci_tech::{
    BudgetLineDraft, CallDraft, DecisionDraft, ProductDraft, ProposalDraft, TeamMemberDraft, TransitionDraft,
};
use tiendo_db::testing::TestDb;
use tiendo_db::testing::fixtures::PASSWORD;
use tiendo_db::{Backend, Exec, Query, identity};
use tiendo_web::{AppState, Settings};
use tower::ServiceExt;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Prints p50 and p95 against the budget (both must be under it) and returns p50.
fn report(name: &str, mut samples: Vec<Duration>, budget: Option<Duration>, baseline: Option<Duration>) -> Duration {
    samples.sort_unstable();
    let p50 = percentile(&samples, 0.50);
    let p95 = percentile(&samples, 0.95);
    let verdict = match budget {
        Some(b) if p95 < b => format!("within budget ({:.0} ms)", ms(b)),
        Some(b) if p50 < b => format!("p50 within budget ({:.0} ms), p95 over", ms(b)),
        Some(b) => format!("OVER BUDGET ({:.0} ms)", ms(b)),
        None => String::new(),
    };
    let ratio = baseline.map(|b| format!("{:>6.0}× baseline", p50.as_secs_f64() / b.as_secs_f64())).unwrap_or_default();
    println!("{name:<48} n={:<4} p50 {:>8.2} ms  p95 {:>8.2} ms  {ratio}  {verdict}", samples.len(), ms(p50), ms(p95));
    p50
}

/// The load average of the machine (Linux), to tell a busy machine from a slow page.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// CPU time used so far by a process (user + system, Linux `/proc/<pid>/stat`, in clock ticks of 10 ms).
fn cpu_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// The processes that serve this database: this one, and on PostgreSQL the server backends of its
/// connections (same machine).
async fn server_processes(db: &tiendo_db::Db) -> Vec<String> {
    let mut pids = vec!["self".to_owned()];
    if db.backend() == Backend::Postgres {
        let rows: Vec<(i32,)> = db
            .fetch_all(Query::new("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"))
            .await
            .expect("backends");
        pids.extend(rows.into_iter().map(|(pid,)| pid.to_string()));
    }
    pids
}

/// CPU used so far by the processes, in milliseconds.
fn cpu_ms(pids: &[String]) -> Vec<f64> {
    #[expect(clippy::cast_precision_loss, reason = "clock ticks of a benchmark")]
    pids.iter().map(|p| cpu_ticks(p).unwrap_or(0) as f64 * 10.0).collect()
}

/// Prints the CPU each of `rounds` operations used between `before` and now, which does not depend on what
/// else runs on the machine, unlike the latency: in this process, and in PostgreSQL's backends.
fn report_cpu(pids: &[String], before: &[f64], rounds: usize) {
    let after = cpu_ms(pids);
    #[expect(clippy::cast_precision_loss, reason = "a count of rounds")]
    let per =
        |range: std::ops::Range<usize>| -> f64 { range.map(|i| after[i] - before[i]).sum::<f64>() / rounds as f64 };
    if pids.len() > 1 {
        println!("{:<48} CPU per operation: {:.1} ms here + {:.1} ms in PostgreSQL", "", per(0..1), per(1..pids.len()));
    } else {
        println!("{:<48} CPU per operation: {:.1} ms", "", per(0..1));
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(run());
}

/// A signed-in GET, timed until the whole body is read.
async fn get(router: &axum::Router, uri: &str, cookie: &str) -> (Duration, usize) {
    let request = Request::get(uri).header("cookie", cookie).body(Body::empty()).expect("request");
    let started = Instant::now();
    let res = router.clone().oneshot(request).await.expect("response");
    let status = res.status();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    let elapsed = started.elapsed();
    assert_eq!(status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&body));
    (elapsed, body.len())
}

/// The session of an account, as the use cases take it.
async fn session(db: &tiendo_db::Db, username: &str) -> Session {
    let (user, _) = identity::user_for_login(db, username).await.expect("read").expect("the account");
    let grants = identity::grants(db, user.id).await.expect("grants").iter().filter_map(|g| g.grant()).collect();
    let who = SessionUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        organization_id: user.organization_id,
    };
    Session::as_user(who, Actor::user(user.id, grants))
}

/// Signs in through the router; the session cookie.
async fn sign_in(router: &axum::Router, username: &str) -> String {
    let body = format!("username={username}&password={}", tiendo_web::forms::url_encode(PASSWORD));
    let res = router
        .clone()
        .oneshot(
            Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in failed");
    res.headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

fn text(s: &str) -> String {
    s.to_owned()
}

/// The institutes that host the proposals (in the directory, so that conflicts look them up).
const HOSTS: [&str; 4] = [
    "Viện Nghiên cứu và Phát triển Vùng",
    "Trường Đại học Hạ Long",
    "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Quảng Ninh",
    "Viện Nuôi trồng thủy sản I",
];

/// The `k`-th researcher's name (400 distinct names, none an expert's).
fn researcher(k: usize) -> String {
    const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
    const MIDDLE: [&str; 5] = ["Văn", "Thị", "Đức", "Minh", "Thu"];
    const GIVEN: [&str; 10] = ["An", "Bình", "Cường", "Dung", "Giang", "Hải", "Lan", "Nam", "Phúc", "Quân"];
    format!("{} {} {}", FAMILY[k % 8], MIDDLE[k / 8 % 5], GIVEN[k / 40 % 10])
}

/// The `n`-th proposal of commune `c`: complete, its budget adding up, with its host, its principal
/// investigator and a team of three (what conflicts of interest are computed from).
fn proposal(n: usize, commune: &str) -> ProposalDraft {
    const TOPICS: [&str; 8] = [
        "Ứng dụng công nghệ nuôi tôm tuần hoàn",
        "Xây dựng thương hiệu sản phẩm OCOP",
        "Chuyển đổi số trong quản lý hộ tịch",
        "Đánh giá chất lượng nước vùng nuôi",
        "Phục hồi rừng ngập mặn ven biển",
        "Sản xuất rau an toàn trong nhà màng",
        "Bảo tồn và phát triển giống gà Tiên Yên",
        "Quản lý rác thải nhựa tại khu du lịch",
    ];
    ProposalDraft {
        title: format!("{} tại {commune} (đề xuất số {n})", TOPICS[n % TOPICS.len()]),
        field: text("Nông nghiệp, thủy sản"),
        urgency: text("Nhu cầu thực tiễn của địa phương, chưa có giải pháp khoa học và công nghệ phù hợp."),
        objectives: text("Xây dựng quy trình, mô hình trình diễn và chuyển giao cho người dân."),
        content: text("Khảo sát; xây dựng quy trình; mô hình trình diễn; tập huấn; tổng kết."),
        products: vec![ProductDraft {
            name: text("Quy trình kỹ thuật"),
            unit: text("quy trình"),
            quantity: text("1"),
            requirements: text("Được hội đồng cơ sở công nhận"),
        }],
        duration_months: text("24"),
        budget_total: text("1.500.000.000"),
        budget: vec![
            BudgetLineDraft { source: text("state_budget"), amount: text("1.200.000.000") },
            BudgetLineDraft { source: text("counterpart"), amount: text("300.000.000") },
        ],
        proposer_kind: text("commune"),
        proposer_name: text(commune),
        contact_name: text("Nguyễn Văn An"),
        contact_phone: text("0203 3875 123"),
        host_name: text(HOSTS[n % HOSTS.len()]),
        pi_name: format!("TS. {}", researcher(n)),
        team: (0..3)
            .map(|i| TeamMemberDraft {
                name: researcher(n + i * 7),
                role: text(if i == 0 { "Chủ nhiệm" } else { "Thành viên" }),
            })
            .collect(),
        ..ProposalDraft::default()
    }
}

fn step(action: &str) -> TransitionRequest {
    TransitionRequest { draft: TransitionDraft { action: text(action), ..TransitionDraft::default() }, file: None }
}

async fn run() {
    println!("load average before: {}", load_average());
    let tiny = std::env::var("BENCH_SIZE").is_ok_and(|s| s == "tiny");
    let proposals = if tiny { 200 } else { 2_000 };
    let t = TestDb::new().await;
    let db = t.db();
    println!(
        "machine: {} cores; backend: {}; a call with {proposals} proposals; a council of 9 scoring 40",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        db.backend().name(),
    );
    let state = AppState::new(db.clone(), Settings::default());
    let app: App = state.app().clone();
    let fx = t.fixtures();
    let province = fx.organization("UBND tỉnh Quảng Ninh").kind("province").create().await;
    let so = fx.organization("Sở Khoa học và Công nghệ tỉnh Quảng Ninh").parent(province).create().await;
    fx.account("chuyenvien").organization(so).role(Role::DepartmentOfficer, Scope::Province).create().await;
    let officer = session(db, "chuyenvien").await;
    let mut hosts = Vec::new();
    for name in HOSTS {
        hosts.push(fx.organization(name).kind("institute").parent(province).create().await);
    }
    let university = fx.organization("Trường Đại học Thủy lợi").kind("university").create().await;
    let mut communes = Vec::new();
    for i in 0..20 {
        let name = format!("UBND phường Số {}", i + 1);
        let org = fx.organization(&name).kind("commune").parent(province).create().await;
        let username = format!("xa{i:02}");
        fx.account(&username).organization(org).role(Role::LocalityOfficer, Scope::Organization(org)).create().await;
        communes.push((name, session(db, &username).await));
    }

    // The call, open since yesterday for a month, and its proposals, a third of them screened.
    let today = tiendo_core::time::vietnam_date(Utc::now());
    let call = CallDraft {
        title: text("Thông báo đề xuất đặt hàng nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2027"),
        year: text("2027"),
        regime: text("2025"),
        route: text("order"),
        opens_on: tiendo_core::fmt::date(today - Days::days(1)),
        opens_time: text("08:00"),
        closes_on: tiendo_core::fmt::date(today + Days::days(30)),
        closes_time: text("17:00"),
        fields: text("Nông nghiệp, thủy sản\nMôi trường\nChuyển đổi số"),
        eligibility: text("Tổ chức, doanh nghiệp, UBND cấp xã và cá nhân"),
        forms: text("Phiếu đề xuất đặt hàng (mẫu A1)"),
        ..CallDraft::default()
    };
    let call = st::create_call(&app, &officer, &call).await.expect("the call");
    st::publish_call(&app, &officer, call).await.expect("published");
    let started = Instant::now();
    let mut valid = Vec::new();
    for n in 0..proposals {
        let (name, commune) = &communes[n % communes.len()];
        let id =
            st::create_proposal(&app, commune, call, &proposal(n, name), ProposalSave::Send).await.expect("a proposal");
        match n % 6 {
            0 | 3 => {
                st::transition(&app, &officer, id, step("screen_valid")).await.expect("screened");
                valid.push(id);
            }
            1 => {
                let mut invalid = step("screen_invalid");
                invalid.draft.reasons = vec![text("incomplete")];
                st::transition(&app, &officer, id, invalid).await.expect("screened");
            }
            _ => {}
        }
    }
    println!(
        "{:<48} {:.1} s ({proposals} proposals sent, {} found valid)",
        "the proposals, by the use cases",
        started.elapsed().as_secs_f64(),
        valid.len()
    );

    // The council: nine experts of the directory with accounts, each working somewhere, forty proposals,
    // everyone present. The last member works at the fourth host: flagged (and barred) on the ten
    // proposals it hosts; every other sheet is sent.
    let roles =
        ["chair", "vice_chair", "reviewer_1", "reviewer_2", "secretary", "member", "member", "member", "member"];
    let mut members = Vec::new();
    let mut experts = Vec::new();
    for (i, role) in roles.iter().enumerate() {
        let name = format!("Chuyên gia Số {}", i + 1);
        let works_at = if i == roles.len() - 1 { hosts[3] } else { university };
        let person = fx.person(&name).title("TS.").affiliation(works_at, "Giảng viên").create().await;
        let username = format!("cg{i}");
        fx.account(&username).person(person).role(Role::Expert, Scope::Province).create().await;
        members.push(MemberDraft { name: name.clone(), role: text(role) });
        experts.push(session(db, &username).await);
    }
    let council = CouncilDraft {
        kind: text("identification"),
        name: text("Hội đồng tư vấn xác định nhiệm vụ KH&CN năm 2027"),
        call_id: call.to_string(),
        meeting_on: tiendo_core::fmt::date(today),
        meeting_time: text("08:30"),
        place: text("Phòng họp Sở KH&CN"),
        decision: DecisionDraft {
            symbol: text("215/QĐ-SKHCN"),
            date: tiendo_core::fmt::date(today - Days::days(7)),
            signer: text("Hoàng Bá Nam, Giám đốc"),
        },
    };
    let council = councils::create_council(&app, &officer, &council).await.expect("the council");
    councils::set_members(&app, &officer, council, &members).await.expect("its members");
    let items: Vec<i64> = valid.iter().copied().take(40).collect();
    assert_eq!(items.len(), 40, "forty proposals found valid");
    councils::add_items(&app, &officer, council, &items).await.expect("its proposals");
    let seats: Vec<i64> =
        tiendo_db::sci_tech::members(db, council).await.expect("seats").iter().map(|m| m.id).collect();
    councils::open_meeting(&app, &officer, council, &seats).await.expect("the meeting");
    let started = Instant::now();
    let mut sent = 0;
    for (i, expert) in experts.iter().enumerate() {
        for (j, proposal) in items.iter().enumerate() {
            let score = |max: usize| ((i * 7 + j * 3) % (max / 2) + max / 2).to_string();
            let sheet = SheetDraft {
                scores: vec![
                    (text("urgency"), score(25)),
                    (text("objectives"), score(25)),
                    (text("products"), score(30)),
                    (text("feasibility"), score(20)),
                ],
                comment: String::new(),
            };
            match scoring::score(&app, expert, council, *proposal, &sheet).await {
                Ok(()) => sent += 1,
                Err(tiendo_app::Error::Conflict { code: "member_conflicted", .. }) => {}
                Err(e) => panic!("a sheet: {e:?}"),
            }
        }
    }
    assert_eq!(sent, 350, "every member scores, but the flagged one on the ten proposals of its institute");
    println!("{:<48} {:.1} s ({sent} sheets)", "the sheets, by the use cases", started.elapsed().as_secs_f64());
    if db.backend() == Backend::Postgres {
        db.execute(Query::new("ANALYZE")).await.expect("analyze");
    }

    let router = tiendo_web::router(state.clone());
    let cookie = sign_in(&router, "chuyenvien").await;
    let secretary = &experts[4];
    // Warm up: connections, caches, the first statements prepared.
    for _ in 0..3 {
        let opened = councils::open_council(&app, secretary, council).await.expect("opened");
        scoring::board(&app, secretary, &opened).await.expect("board");
        get(&router, &format!("/councils/{council}"), &cookie).await;
        get(&router, &format!("/calls/{call}"), &cookie).await;
    }
    let mut baseline = Vec::new();
    for _ in 0..200 {
        baseline.push(get(&router, "/healthz", &cookie).await.0);
    }
    let base = report("GET /healthz signed in (baseline)", baseline, None, None);

    // The score summary, as the secretary reads it: complete, every score, outcomes and ranks.
    let pids = server_processes(db).await;
    let mut samples = Vec::new();
    let mut ranked = 0;
    let before = cpu_ms(&pids);
    for _ in 0..100 {
        let started = Instant::now();
        let opened = councils::open_council(&app, secretary, council).await.expect("opened");
        let board = scoring::board(&app, secretary, &opened).await.expect("board");
        samples.push(started.elapsed());
        assert!(board.complete, "every sheet is in");
        ranked = board.items.iter().filter(|i| i.outcome.is_some()).count();
    }
    report("score summary (open_council + board)", samples, Some(Duration::from_millis(50)), Some(base));
    report_cpu(&pids, &before, 100);
    assert_eq!(ranked, 40);

    // The aggregation alone, on the sheets read once.
    let opened = councils::open_council(&app, secretary, council).await.expect("opened");
    let stored = tiendo_db::sci_tech::sheets(db, council).await.expect("sheets");
    let settings = &opened.council.settings;
    let mut samples = Vec::new();
    for _ in 0..1_000 {
        let started = Instant::now();
        let outcomes: Vec<_> = items
            .iter()
            .map(|p| {
                let of: Vec<Sheet> = stored.iter().filter(|s| s.proposal_id == *p).map(|s| s.sheet.clone()).collect();
                tiendo_core::sci_tech::scoring::aggregate(&settings.criteria, &settings.rules, &of)
            })
            .collect();
        std::hint::black_box(tiendo_core::sci_tech::scoring::ranks(&outcomes));
        samples.push(started.elapsed());
    }
    report("  aggregate + ranks alone (350 sheets)", samples, None, Some(base));

    let mut samples = Vec::new();
    let mut bytes = 0;
    let before = cpu_ms(&pids);
    for _ in 0..60 {
        let (elapsed, len) = get(&router, &format!("/councils/{council}"), &cookie).await;
        samples.push(elapsed);
        bytes = len;
    }
    report(&format!("GET /councils/{{id}} ({} KiB)", bytes / 1024), samples, None, Some(base));
    report_cpu(&pids, &before, 60);

    // The proposals list of the call.
    let last = proposals.div_ceil(50);
    let pages = [
        (format!("/calls/{call}"), "GET /calls/{id}"),
        (format!("/calls/{call}?page={last}"), "GET /calls/{id}?page=<last>"),
        (format!("/calls/{call}?state=submitted&page=2"), "GET /calls/{id}?state=submitted&page=2"),
    ];
    for (uri, name) in &pages {
        let mut samples = Vec::new();
        let mut bytes = 0;
        let before = cpu_ms(&pids);
        for _ in 0..100 {
            let (elapsed, len) = get(&router, uri, &cookie).await;
            samples.push(elapsed);
            bytes = len;
        }
        report(&format!("{name} ({} KiB)", bytes / 1024), samples, Some(Duration::from_millis(100)), Some(base));
        report_cpu(&pids, &before, 100);
    }
    println!("load average after: {}", load_average());
}
