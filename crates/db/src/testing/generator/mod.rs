//! A province's monitoring data at any size, for benchmarks and tests (issue 6): organisations, plans in
//! resolution → programme → plan chains, tasks, assignments with every deadline kind and every derived
//! status, and progress updates in every workflow state.
//!
//! The rows are made by a seeded generator, so the same seed and `today` give the same database. They are
//! written in one transaction with multi-row INSERTs and explicit ids (no `RETURNING` round trip per row),
//! sized per backend by [`dialect::rows_per_insert`]. The columns that the storage keeps from the accepted
//! updates (`completed_on`, `percent`, `has_updates`, `last_update_at`) are set as the application would set
//! them, so the derived statuses are those a real history would give.

pub mod reports;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use tiendo_core::monitoring::Deadline;

use crate::dialect;
use crate::error::DbError;
use crate::monitoring::legal_documents::{self, LegalDocumentInput};
use crate::pool::{Db, Tx};
use crate::query::{Exec, Query, Value};

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Organisations (departments and institutes first, then communes and wards).
    pub organizations: usize,
    /// Plans, resolutions and programmes included.
    pub plans: usize,
    /// Tasks of each plan.
    pub tasks_per_plan: usize,
    /// Assignments, spread over the tasks (some tasks go to many communes at once).
    pub assignments: usize,
    /// Progress updates, spread over the assignments that have started.
    pub updates: usize,
}

impl Size {
    /// The province of issue 6's performance bar: 200 plans, 2,000 tasks, 20,000 assignments across 150
    /// organisations, 200,000 updates.
    pub const PROVINCE: Size =
        Size { organizations: 150, plans: 200, tasks_per_plan: 10, assignments: 20_000, updates: 200_000 };

    /// The same mix at a size a test can afford.
    pub const TINY: Size = Size { organizations: 30, plans: 14, tasks_per_plan: 4, assignments: 600, updates: 2_400 };
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The organisations' ids.
    pub organizations: Vec<i64>,
    /// The plans' ids.
    pub plans: Vec<i64>,
    /// How many tasks.
    pub tasks: usize,
    /// How many assignments.
    pub assignments: usize,
    /// How many coordinator links.
    pub coordinators: usize,
    /// How many progress updates.
    pub updates: usize,
}

/// SplitMix64: a tiny, well-mixed deterministic generator (no dependency needed for benchmark data).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo { lo } else { lo + (self.next() % (hi - lo + 1) as u64) as i64 }
    }

    /// True with `percent` % probability.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `k` distinct items of `0..n`, in random order.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k);
        all
    }

    /// Splits `total` over items by weight: every item of non-zero weight gets at least one, the rest is
    /// drawn in proportion to the weights.
    fn spread(&mut self, total: usize, weights: &[u32]) -> Vec<usize> {
        let mut counts: Vec<usize> = weights.iter().map(|w| usize::from(*w > 0)).collect();
        let mut cumulative = Vec::with_capacity(weights.len());
        let mut sum = 0_u64;
        for w in weights {
            sum += u64::from(*w);
            cumulative.push(sum);
        }
        if sum == 0 {
            return counts;
        }
        let given: usize = counts.iter().sum();
        for _ in given..total {
            let r = self.next() % sum;
            let i = cumulative.partition_point(|c| *c <= r);
            counts[i] += 1;
        }
        counts
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// An instant on a day, in office hours in Vietnam (UTC+7), `seconds` after 08:00.
fn at(day: NaiveDate, seconds: i64) -> DateTime<Utc> {
    let start = day.and_time(NaiveTime::from_hms_opt(1, 0, 0).unwrap_or_default()).and_utc();
    start + Duration::seconds(seconds.clamp(0, 9 * 3600))
}

/// Multi-row INSERTs into one table, flushed every [`dialect::rows_per_insert`] rows.
struct Batch<'a> {
    tx: &'a Tx,
    head: String,
    columns: usize,
    per_statement: usize,
    full_sql: String,
    values: Vec<Value>,
    rows: usize,
    written: usize,
}

impl<'a> Batch<'a> {
    fn new(tx: &'a Tx, table: &str, columns: &[&str]) -> Batch<'a> {
        let per_statement = dialect::rows_per_insert(tx.backend());
        let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut batch = Batch {
            tx,
            head,
            columns: columns.len(),
            per_statement,
            full_sql: String::new(),
            values: Vec::with_capacity(per_statement * columns.len()),
            rows: 0,
            written: 0,
        };
        batch.full_sql = batch.sql(per_statement);
        batch
    }

    fn sql(&self, rows: usize) -> String {
        let mut sql = self.head.clone();
        let mut n = 0;
        for r in 0..rows {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..self.columns {
                n += 1;
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push('$');
                sql.push_str(&n.to_string());
            }
            sql.push(')');
        }
        sql
    }

    async fn row(&mut self, values: Vec<Value>) -> Result<(), DbError> {
        debug_assert_eq!(values.len(), self.columns);
        self.values.extend(values);
        self.rows += 1;
        if self.rows == self.per_statement { self.flush().await } else { Ok(()) }
    }

    async fn flush(&mut self) -> Result<(), DbError> {
        if self.rows == 0 {
            return Ok(());
        }
        let sql = if self.rows == self.per_statement { self.full_sql.clone() } else { self.sql(self.rows) };
        let mut q = Query::new(sql);
        for v in self.values.drain(..) {
            q = q.bind(v);
        }
        self.tx.execute(q).await?;
        self.written += self.rows;
        self.rows = 0;
        Ok(())
    }

    async fn finish(mut self) -> Result<usize, DbError> {
        self.flush().await?;
        Ok(self.written)
    }
}

const DEPARTMENTS: &[&str] = &[
    "Sở Khoa học và Công nghệ",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Văn phòng UBND tỉnh",
    "Thanh tra tỉnh",
    "Ban Quản lý Khu kinh tế",
    "Công an tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Trường Đại học Hạ Long",
    "Viện Nghiên cứu và Phát triển Vùng",
    "Trung tâm Phục vụ hành chính công tỉnh",
];

const SYLLABLES: &[&str] = &[
    "An", "Bình", "Cẩm", "Đông", "Hà", "Hải", "Hòa", "Hoành", "Hồng", "Kim", "Lạc", "Long", "Minh", "Nam", "Phong",
    "Quang", "Tân", "Thanh", "Thịnh", "Tiên", "Trung", "Tuần", "Vân", "Yên",
];

const TOPICS: &[&str] = &[
    "phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    "chuyển đổi số trong cơ quan nhà nước",
    "phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo",
    "ứng dụng công nghệ cao trong nông nghiệp",
    "phát triển nguồn nhân lực chất lượng cao",
    "xây dựng chính quyền số và đô thị thông minh",
    "bảo hộ và phát triển tài sản trí tuệ",
    "nâng cao năng suất và chất lượng sản phẩm hàng hóa",
    "phát triển kinh tế số và xã hội số",
    "tiêu chuẩn, đo lường, chất lượng",
    "đổi mới công nghệ trong doanh nghiệp",
    "bảo vệ môi trường và ứng phó với biến đổi khí hậu",
];

const ACTIONS: &[&str] = &[
    "Xây dựng và triển khai đề án",
    "Rà soát, hoàn thiện cơ chế, chính sách về",
    "Tổ chức tập huấn, bồi dưỡng về",
    "Đầu tư hạ tầng phục vụ",
    "Tuyên truyền, nâng cao nhận thức về",
    "Hỗ trợ doanh nghiệp trong",
    "Đánh giá kết quả thực hiện",
    "Số hóa dữ liệu phục vụ",
];

const NARRATIVES: &[&str] = &[
    "Đơn vị đã ban hành kế hoạch triển khai, phân công cán bộ phụ trách và tổ chức họp triển khai với các phòng chuyên môn.",
    "Đã hoàn thành khảo sát hiện trạng, tổng hợp số liệu và xây dựng dự thảo báo cáo gửi xin ý kiến các đơn vị liên quan.",
    "Tổ chức 02 lớp tập huấn cho 120 lượt cán bộ, công chức; biên soạn tài liệu hướng dẫn và đăng tải trên cổng thông tin.",
    "Đã lựa chọn đơn vị tư vấn, ký hợp đồng và triển khai các hạng mục theo tiến độ; khối lượng thực hiện đạt theo kế hoạch.",
    "Hoàn thiện dự thảo đề án sau khi tiếp thu ý kiến góp ý, trình cấp có thẩm quyền xem xét phê duyệt.",
    "Đã nghiệm thu giai đoạn 1, đưa vào vận hành thử nghiệm; tiếp tục hoàn thiện các chức năng còn lại.",
];

const DIFFICULTIES: &[&str] = &[
    "Kinh phí được giao chậm so với kế hoạch.",
    "Thiếu nhân lực có chuyên môn về công nghệ thông tin.",
    "Chờ hướng dẫn của bộ, ngành Trung ương.",
];

/// What happens to an assignment, decided before its updates are written.
struct Outcome {
    cancelled: bool,
    /// The accepted completion.
    completed_on: Option<NaiveDate>,
    /// The percent of the latest update, when not completed.
    open_percent: i64,
    /// Whether the unit has reported at all.
    started: bool,
}

/// A random day in `from..=to` (`from` when the range is empty).
fn day_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    if to <= from { from } else { from + Duration::days(rng.between(0, (to - from).num_days())) }
}

/// The mix of derived statuses: most past deadlines completed (some late), about one in five overdue,
/// future ones in progress, not started or completed early; yearly ones completed this year, last year or
/// not at all; continuous ones never completed.
fn outcome(rng: &mut Rng, deadline: Deadline, assigned_on: NaiveDate, today: NaiveDate) -> Outcome {
    let mut o = Outcome { cancelled: rng.chance(1), completed_on: None, open_percent: 0, started: true };
    match deadline {
        Deadline::Fixed { date: due } | Deadline::Period { to: due, .. } => {
            let r = rng.below(100);
            if due < today {
                if r < 55 {
                    o.completed_on = Some(day_between(rng, (due - Duration::days(60)).max(assigned_on), due));
                } else if r < 82 {
                    o.completed_on = Some((due + Duration::days(rng.between(1, 240))).min(today));
                } else {
                    o.started = rng.chance(70);
                }
            } else if r < 20 {
                o.completed_on = Some(day_between(rng, assigned_on, today));
            } else {
                o.started = r < 75;
            }
        }
        Deadline::Yearly { .. } => {
            let r = rng.below(100);
            let this_year = deadline.due_for(today);
            let last_year = deadline.due_for(date(today.year() - 1, 1, 1));
            match (this_year, last_year) {
                (Some(due), _) if r < 45 => {
                    let from = (due - Duration::days(45)).max(assigned_on);
                    o.completed_on = Some(day_between(rng, from, (due + Duration::days(20)).min(today)).min(today));
                }
                (_, Some(due)) if r < 80 && assigned_on < due => {
                    let from = (due - Duration::days(40)).max(assigned_on);
                    o.completed_on = Some(day_between(rng, from, (due + Duration::days(30)).min(today)).min(today));
                }
                _ => o.started = rng.chance(75),
            }
        }
        Deadline::Continuous => o.started = rng.chance(85),
    }
    if o.completed_on.is_some() {
        o.started = true;
    }
    o.open_percent = if o.started { rng.between(5, 95) } else { 0 };
    o
}

/// A progress update to write.
struct UpdateSpec {
    status: &'static str,
    percent: i64,
    narrative: &'static str,
    difficulties: Option<&'static str>,
    claimed: Option<NaiveDate>,
    created: DateTime<Utc>,
    submitted: Option<DateTime<Utc>>,
    decided: Option<DateTime<Utc>>,
}

/// The history of `n` updates of an assignment, from its assignment to its completion (or today): the
/// percent grows, a few are returned, the latest may still be a draft or wait for a decision, and a
/// completion is the accepted last one.
fn history(rng: &mut Rng, n: usize, assigned_on: NaiveDate, o: &Outcome, today: NaiveDate) -> Vec<UpdateSpec> {
    let end = o.completed_on.unwrap_or(today).max(assigned_on);
    let span = (end - assigned_on).num_days().max(1);
    let final_percent = if o.completed_on.is_some() { 100 } else { o.open_percent };
    let now = at(today, 9 * 3600);
    (0..n)
        .map(|j| {
            let last = j + 1 == n;
            let day = (assigned_on + Duration::days(span * (j as i64 + 1) / (n as i64 + 1))).min(end);
            let created = at(day, rng.between(0, 6 * 3600));
            let status = match (last, o.completed_on.is_some(), rng.below(100)) {
                (true, true, _) => "accepted",
                (true, false, 0..12) => "submitted",
                (true, false, 12..18) => "draft",
                (false, _, 0..6) => "returned",
                _ => "accepted",
            };
            let submitted = (status != "draft").then(|| created + Duration::minutes(rng.between(5, 180)));
            let decided = match (status, submitted) {
                ("accepted" | "returned", Some(s)) => Some((s + Duration::days(rng.between(0, 10))).min(now).max(s)),
                _ => None,
            };
            UpdateSpec {
                status,
                percent: if last { final_percent } else { final_percent * (j as i64 + 1) / n as i64 },
                narrative: rng.pick(NARRATIVES),
                difficulties: rng.chance(20).then(|| rng.pick(DIFFICULTIES)),
                claimed: if last { o.completed_on } else { None },
                created,
                submitted,
                decided,
            }
        })
        .collect()
}

/// An assignment planned before it is written.
struct Planned {
    id: i64,
    task_id: i64,
    lead: i64,
    deadline: Deadline,
    priority: &'static str,
    assigned_on: NaiveDate,
    document: Option<i64>,
    at_risk: bool,
    blocked: bool,
    outcome: Outcome,
}

/// A plan planned before it is written.
struct PlanSpec {
    id: i64,
    kind: &'static str,
    parent: Option<i64>,
    /// The index of its document in the list of documents to create.
    document: Option<usize>,
    start: NaiveDate,
    end: NaiveDate,
    owner: i64,
    topic: &'static str,
}

/// Generates a province's monitoring data into `db` in one transaction, as it would stand on `today`.
pub async fn province(db: &Db, size: &Size, seed: u64, today: NaiveDate) -> Result<Generated, DbError> {
    let mut rng = Rng(seed);
    let now = at(today, 9 * 3600);
    let tx = db.begin().await?;
    let next_id = |table: &'static str| Query::new(format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"));

    // Organisations: departments and institutes, then communes and wards.
    let (first_org,): (i64,) = tx.fetch_one(next_id("organizations")).await?;
    let departments = DEPARTMENTS.len().min(size.organizations);
    let org_ids: Vec<i64> = (0..size.organizations as i64).map(|i| first_org + i).collect();
    let mut batch = Batch::new(
        &tx,
        "organizations",
        &["id", "kind", "name", "name_folded", "sort_key", "is_sample", "created_at", "updated_at"],
    );
    for (i, id) in org_ids.iter().enumerate() {
        let (kind, name) = if i < departments {
            ("department", DEPARTMENTS[i].to_owned())
        } else {
            let n = i - departments;
            let unit = ["xã", "phường", "xã", "xã"][n % 4];
            let first = SYLLABLES[n % SYLLABLES.len()];
            let second = SYLLABLES[(n / SYLLABLES.len() + n + 1) % SYLLABLES.len()];
            let round = n / (SYLLABLES.len() * SYLLABLES.len());
            let suffix = if round > 0 { format!(" {}", round + 1) } else { String::new() };
            ("commune_committee", format!("UBND {unit} {first} {second}{suffix}"))
        };
        let (folded, key) = (tiendo_core::text::fold(&name), tiendo_core::text::sort_key(&name));
        batch
            .row(vec![
                (*id).into(),
                kind.into(),
                name.into(),
                folded.into(),
                key.into(),
                false.into(),
                now.into(),
                now.into(),
            ])
            .await?;
    }
    batch.finish().await?;

    // Plans: resolutions with two programmes of four plans each, then stand-alone plans.
    let (first_plan,): (i64,) = tx.fetch_one(next_id("plans")).await?;
    let mut specs: Vec<PlanSpec> = Vec::with_capacity(size.plans);
    let mut documents: Vec<(String, String, NaiveDate)> = Vec::new();
    let resolutions = (size.plans / 20).max(1);
    let last_year = today.year().clamp(2017, 2026);
    let department = |rng: &mut Rng| org_ids[rng.below(departments)];
    while specs.len() < size.plans {
        let id = first_plan + specs.len() as i64;
        let topic = rng.pick(TOPICS);
        let year = rng.between(2017, i64::from(last_year)) as i32;
        let start = date(year, 1 + rng.below(6) as u32, 1);
        let end = date((year + 1 + rng.below(5) as i32).min(2026), 12, 31);
        let owner = department(&mut rng);
        let chains = specs.iter().filter(|p| p.kind == "resolution").count();
        if chains >= resolutions || size.plans - specs.len() < 11 {
            specs.push(PlanSpec { id, kind: "plan", parent: None, document: None, start, end, owner, topic });
            continue;
        }
        let number = 900 + documents.len();
        documents.push((format!("{number}-NQ/TU"), format!("Nghị quyết về {topic}"), start - Duration::days(30)));
        specs.push(PlanSpec {
            id,
            kind: "resolution",
            parent: None,
            document: Some(documents.len() - 1),
            start,
            end,
            owner,
            topic,
        });
        for _ in 0..2 {
            let programme = first_plan + specs.len() as i64;
            let own = 900 + documents.len();
            documents.push((
                format!("{own}-CTr/TU"),
                format!("Chương trình hành động thực hiện Nghị quyết số {number}-NQ/TU về {topic}"),
                start,
            ));
            specs.push(PlanSpec {
                id: programme,
                kind: "programme",
                parent: Some(id),
                document: Some(documents.len() - 1),
                start,
                end,
                owner,
                topic,
            });
            for _ in 0..4 {
                specs.push(PlanSpec {
                    id: first_plan + specs.len() as i64,
                    kind: "plan",
                    parent: Some(programme),
                    document: None,
                    start: day_between(&mut rng, start, end.min(start + Duration::days(400))),
                    end,
                    owner: department(&mut rng),
                    topic,
                });
            }
        }
    }
    // The documents of resolutions and programmes, through the register's own function.
    let mut document_ids = Vec::with_capacity(documents.len());
    for (symbol, summary, issued) in &documents {
        let symbol = tiendo_core::monitoring::DocumentSymbol::parse(symbol).expect("a generated symbol parses");
        let input = LegalDocumentInput {
            doc_type: symbol.doc_type.map(|t| t.code().to_owned()).unwrap_or_default(),
            symbol,
            party_term: None,
            issuer_org_id: None,
            issued_on: Some(*issued),
            effective_on: Some(*issued),
            signer: None,
            summary: summary.clone(),
            is_sample: false,
        };
        document_ids.push(legal_documents::create(&tx, &input, None, now).await?);
    }
    let plan_document = |p: &PlanSpec| p.document.map(|i| document_ids[i]);
    let mut batch = Batch::new(
        &tx,
        "plans",
        &[
            "id",
            "kind",
            "title",
            "title_folded",
            "document_id",
            "parent_id",
            "owner_org_id",
            "period_start",
            "period_end",
            "is_sample",
            "created_at",
            "updated_at",
        ],
    );
    for (i, p) in specs.iter().enumerate() {
        let title = match p.kind {
            "resolution" => format!("Nghị quyết về {}", p.topic),
            "programme" => format!("Chương trình hành động số {} về {}", i + 1, p.topic),
            _ => format!("Kế hoạch {} về {} giai đoạn {}–{}", i + 1, p.topic, p.start.year(), p.end.year()),
        };
        let folded = tiendo_core::text::fold(&title);
        batch
            .row(vec![
                p.id.into(),
                p.kind.into(),
                title.into(),
                folded.into(),
                plan_document(p).into(),
                p.parent.into(),
                Some(p.owner).into(),
                Some(p.start).into(),
                Some(p.end).into(),
                false.into(),
                now.into(),
                now.into(),
            ])
            .await?;
    }
    batch.finish().await?;

    // Tasks: the first half of each plan's tasks at the top, the others under them.
    let (first_task,): (i64,) = tx.fetch_one(next_id("tasks")).await?;
    let mut batch = Batch::new(
        &tx,
        "tasks",
        &["id", "plan_id", "parent_id", "code", "title", "title_folded", "expected_product", "weight", "sort_order"],
    );
    let mut tasks: Vec<(i64, usize)> = Vec::with_capacity(specs.len() * size.tasks_per_plan);
    for (plan_index, p) in specs.iter().enumerate() {
        let top = size.tasks_per_plan.div_ceil(2).max(1);
        let first = first_task + tasks.len() as i64;
        for t in 0..size.tasks_per_plan {
            let id = first + t as i64;
            let (parent, code) = if t < top {
                (None, format!("{}", t + 1))
            } else {
                let under = rng.below(top);
                (Some(first + under as i64), format!("{}.{}", under + 1, t - top + 1))
            };
            let title = format!("{} {}", rng.pick(ACTIONS), p.topic);
            let folded = tiendo_core::text::fold(&title);
            batch
                .row(vec![
                    id.into(),
                    p.id.into(),
                    parent.into(),
                    code.into(),
                    title.into(),
                    folded.into(),
                    "Báo cáo kết quả thực hiện".into(),
                    (rng.between(1, 3) as f64).into(),
                    (t as i64).into(),
                ])
                .await?;
            tasks.push((id, plan_index));
        }
    }
    let task_count = batch.finish().await?;

    // Assignments: a task goes to a few units at once, or (one task in twenty) to many communes.
    let wide: Vec<bool> = tasks.iter().map(|_| rng.chance(5)).collect();
    let weights: Vec<u32> = wide.iter().map(|w| if *w { 12 } else { 1 }).collect();
    let mut per_task = rng.spread(size.assignments, &weights);
    let (first_assignment,): (i64,) = tx.fetch_one(next_id("assignments")).await?;
    let localities = size.organizations - departments;
    // A task goes to each unit at most once: what a task cannot take goes to others that can.
    let caps: Vec<usize> =
        wide.iter().map(|w| if *w && localities > 0 { localities } else { size.organizations }).collect();
    let mut excess = 0;
    for (count, cap) in per_task.iter_mut().zip(&caps) {
        excess += count.saturating_sub(*cap);
        *count = (*count).min(*cap);
    }
    let room: usize = per_task.iter().zip(&caps).map(|(count, cap)| cap - count).sum();
    excess = excess.min(room);
    while excess > 0 {
        let i = rng.below(per_task.len());
        if per_task[i] < caps[i] {
            per_task[i] += 1;
            excess -= 1;
        }
    }
    let mut planned: Vec<Planned> = Vec::with_capacity(size.assignments);
    let mut coordinators: Vec<(i64, i64)> = Vec::new();
    for (t, &(task_id, plan_index)) in tasks.iter().enumerate() {
        let p = &specs[plan_index];
        let latest = p.end.min(today);
        let assigned_on = day_between(&mut rng, p.start, latest.min(p.start + Duration::days(300))).min(today);
        let last_day = date(2026, 12, 31).max(assigned_on);
        let deadline = match rng.below(100) {
            0..75 => Deadline::Fixed { date: (assigned_on + Duration::days(rng.between(30, 720))).min(last_day) },
            75..85 => {
                let (month, day) = rng.pick(&[(12, 15), (6, 30), (11, 30), (3, 31), (9, 15), (2, 29)]);
                Deadline::Yearly { month, day }
            }
            85..93 => Deadline::Continuous,
            _ => Deadline::Period {
                from: assigned_on,
                to: (assigned_on + Duration::days(rng.between(90, 720))).min(last_day),
            },
        };
        let leads: Vec<i64> = if wide[t] && localities > 0 {
            rng.distinct(localities, per_task[t]).into_iter().map(|i| org_ids[departments + i]).collect()
        } else {
            rng.distinct(org_ids.len(), per_task[t]).into_iter().map(|i| org_ids[i]).collect()
        };
        let priority = rng.pick(&["normal", "normal", "normal", "high", "low"]);
        for lead in leads {
            let id = first_assignment + planned.len() as i64;
            if rng.chance(25) {
                let how_many = rng.between(1, 3) as usize;
                for c in rng.distinct(departments, how_many) {
                    if org_ids[c] != lead {
                        coordinators.push((id, org_ids[c]));
                    }
                }
            }
            planned.push(Planned {
                id,
                task_id,
                lead,
                deadline,
                priority,
                assigned_on,
                document: plan_document(p),
                at_risk: rng.chance(3),
                blocked: rng.chance(2),
                outcome: outcome(&mut rng, deadline, assigned_on, today),
            });
        }
    }

    // Updates are spread over the assignments that started; their histories decide the columns the
    // storage keeps on the assignment, so they are made before the assignments are written.
    let weights: Vec<u32> = planned
        .iter()
        .map(|a| match (a.outcome.started, a.deadline) {
            (false, _) => 0,
            (true, Deadline::Yearly { .. } | Deadline::Continuous) => 2,
            (true, _) => 1,
        })
        .collect();
    let per_assignment = rng.spread(size.updates, &weights);
    let histories: Vec<Vec<UpdateSpec>> = planned
        .iter()
        .zip(&per_assignment)
        .map(|(a, n)| history(&mut rng, *n, a.assigned_on, &a.outcome, today))
        .collect();

    let mut batch = Batch::new(
        &tx,
        "assignments",
        &[
            "id",
            "task_id",
            "lead_org_id",
            "deadline_kind",
            "due_on",
            "period_start",
            "yearly_month",
            "yearly_day",
            "priority",
            "assigned_on",
            "source_document_id",
            "flagged_at_risk",
            "blocked",
            "blocked_reason",
            "cancelled",
            "is_sample",
            "completed_on",
            "percent",
            "has_updates",
            "last_update_at",
            "created_at",
            "updated_at",
        ],
    );
    for (a, history) in planned.iter().zip(&histories) {
        let (due_on, period_start, month, day) = match a.deadline {
            Deadline::Fixed { date } => (Some(date), None, None, None),
            Deadline::Period { from, to } => (Some(to), Some(from), None, None),
            Deadline::Yearly { month, day } => (None, None, Some(i64::from(month)), Some(i64::from(day))),
            Deadline::Continuous => (None, None, None, None),
        };
        // As the application keeps them: a completion is the claimed date of an accepted update.
        let completed_on = history.iter().rev().find(|u| u.status == "accepted").and_then(|u| u.claimed);
        let percent = history.iter().rev().find(|u| u.status == "accepted").map_or(0, |u| u.percent);
        let reported: Vec<&UpdateSpec> = history.iter().filter(|u| u.status != "draft").collect();
        let last_update_at = reported.iter().filter_map(|u| u.decided.or(u.submitted)).max();
        batch
            .row(vec![
                a.id.into(),
                a.task_id.into(),
                a.lead.into(),
                a.deadline.kind_code().into(),
                due_on.into(),
                period_start.into(),
                month.into(),
                day.into(),
                a.priority.into(),
                a.assigned_on.into(),
                a.document.into(),
                a.at_risk.into(),
                a.blocked.into(),
                a.blocked.then_some("Chờ hướng dẫn của bộ, ngành Trung ương").into(),
                a.outcome.cancelled.into(),
                false.into(),
                completed_on.into(),
                percent.into(),
                (!reported.is_empty()).into(),
                last_update_at.into(),
                now.into(),
                now.into(),
            ])
            .await?;
    }
    let assignment_count = batch.finish().await?;

    let mut batch = Batch::new(&tx, "assignment_coordinators", &["assignment_id", "org_id"]);
    for (assignment, org) in &coordinators {
        batch.row(vec![(*assignment).into(), (*org).into()]).await?;
    }
    let coordinator_count = batch.finish().await?;

    let (first_update,): (i64,) = tx.fetch_one(next_id("progress_updates")).await?;
    let mut batch = Batch::new(
        &tx,
        "progress_updates",
        &[
            "id",
            "assignment_id",
            "org_id",
            "status",
            "narrative",
            "percent",
            "difficulties",
            "completion_claimed_on",
            "submitted_at",
            "decided_at",
            "decision_comment",
            "version",
            "is_sample",
            "created_at",
            "updated_at",
        ],
    );
    let mut id = first_update;
    for (a, history) in planned.iter().zip(&histories) {
        for u in history {
            batch
                .row(vec![
                    id.into(),
                    a.id.into(),
                    a.lead.into(),
                    u.status.into(),
                    u.narrative.into(),
                    u.percent.into(),
                    u.difficulties.into(),
                    u.claimed.into(),
                    u.submitted.into(),
                    u.decided.into(),
                    (u.status == "returned").then_some("Đề nghị bổ sung minh chứng").into(),
                    i64::from(u.status != "draft").saturating_add(1).into(),
                    false.into(),
                    u.created.into(),
                    u.decided.or(u.submitted).unwrap_or(u.created).into(),
                ])
                .await?;
            id += 1;
        }
    }
    let update_count = batch.finish().await?;

    for table in ["organizations", "plans", "tasks", "assignments", "progress_updates"] {
        if let Some(q) = dialect::sync_identity(tx.backend(), table) {
            tx.execute(q).await?;
        }
    }
    tx.commit().await?;
    Ok(Generated {
        organizations: org_ids,
        plans: specs.iter().map(|p| p.id).collect(),
        tasks: task_count,
        assignments: assignment_count,
        coordinators: coordinator_count,
        updates: update_count,
    })
}
