//! Search at scale (issue 15 item 8): a generated corpus of Vietnamese records (1,000,000 by default),
//! indexing throughput, query latency (p50, p99) for one-word, multi-word, symbol and typo queries as a
//! department officer sees them (hits, total, facets and snippets), index size and memory; SQLite FTS5
//! (`unicode61 remove_diacritics 2`) over the same records and queries in the same run as the baseline.
//!
//! Run with `cargo bench -p tiendo-search --bench search`. `BENCH_RECORDS=100000` for a quicker run;
//! `BENCH_SKIP_FTS5=1` to skip the baseline; `BENCH_THREADS` indexing threads (default 2);
//! `BENCH_PROFILE=1` runs only the one-word queries, ten times, for a profiler (`perf record`).
//! Budgets (issue 15): p50 < 10 ms and p99 < 50 ms at 1,000,000 records on 2 cores; indexing ≥ 5,000
//! records/s.

use std::path::Path;
use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};
use tiendo_core::authz::{AccessScope, Actor, Grant, Role, Scope};
use tiendo_core::geo::AdminUnitCode;
use tiendo_search::{Access, DocKind, Reader, SearchDoc, SearchIndex, SearchRequest, Visibility};
use unicode_normalization::UnicodeNormalization;

/// A small deterministic generator (xorshift64*), so that every run indexes the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The names of every administrative unit of the built-in data (some 11,000 distinct names, old and new),
/// so that place names are as many and as unevenly frequent as in real records.
fn place_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = include_str!("../../db/data/admin_units.tsv")
        .lines()
        .filter_map(|l| l.strip_prefix("U\t"))
        .filter_map(|l| l.split('\t').nth(2))
        .filter(|n| !n.chars().all(|c| c.is_ascii_digit()))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

const UNIT_KINDS: &[&str] = &["xã", "phường", "thị xã", "thành phố", "huyện", "đặc khu", "thị trấn"];
const TOPICS: &[&str] = &[
    "giống cây trồng bản địa",
    "bảo quản sau thu hoạch",
    "vật liệu xây dựng không nung",
    "điện mặt trời mái nhà",
    "quản lý chất thải rắn",
    "nước sạch nông thôn",
    "y học cổ truyền",
    "tiêu chuẩn VietGAP",
    "mã số vùng trồng",
    "thương mại điện tử",
    "bản đồ số",
    "hệ thống thông tin địa lý",
    "cảnh báo sớm thiên tai",
    "xâm nhập mặn",
    "phân bón hữu cơ",
    "chế phẩm sinh học",
    "nuôi cá lồng bè",
    "khai thác than hầm lò",
    "an toàn lao động mỏ",
    "nhà kính thông minh",
    "giáo dục STEM",
    "thư viện số",
    "bảo tàng số",
    "du lịch cộng đồng",
    "nấm dược liệu",
    "sâm Việt Nam",
    "mật ong rừng",
    "cây ăn quả có múi",
    "chăn nuôi an toàn sinh học",
    "dịch tả lợn châu Phi",
    "nuôi hàu Thái Bình Dương",
    "nuôi tôm thẻ chân trắng",
    "rau thủy canh",
    "chuyển đổi số",
    "đổi mới sáng tạo",
    "sở hữu trí tuệ",
    "nhãn hiệu chứng nhận",
    "giống lúa chất lượng cao",
    "làng nghề gốm",
    "du lịch thông minh",
    "bảo tồn di tích",
    "năng lượng tái tạo",
    "xử lý rác thải nhựa",
    "nông nghiệp công nghệ cao",
    "truy xuất nguồn gốc",
    "chế biến hải sản",
    "sản phẩm OCOP",
    "cơ sở dữ liệu khoa học",
    "chính quyền số",
    "an toàn thực phẩm",
    "quan trắc môi trường",
    "khởi nghiệp sáng tạo",
    "thị trường công nghệ",
    "tiêu chuẩn đo lường chất lượng",
    "an toàn bức xạ",
    "ứng dụng IoT",
    "trí tuệ nhân tạo",
    "chữ ký số",
    "nuôi ngao",
    "trồng rừng gỗ lớn",
    "dược liệu ba kích",
    "chè hoa vàng",
    "sá sùng",
    "hải sâm",
];
const FRAMES: &[&str] = &[
    "Kế hoạch {topic} {unit} {place} năm {year}",
    "Báo cáo tiến độ {topic} tại {unit} {place}",
    "Giao UBND {unit} {place} triển khai {topic}",
    "Quyết định phê duyệt nhiệm vụ {topic}",
    "Nghị quyết về phát triển {topic} giai đoạn {year}-{year2}",
    "Đoàn công tác kiểm tra mô hình {topic} tại {place}",
    "Kết luận buổi làm việc với {unit} {place} về {topic}",
    "Ứng dụng khoa học và công nghệ trong {topic} ở {place}",
    "Hỗ trợ doanh nghiệp KH&CN về {topic}",
    "Tin: {place} đẩy mạnh {topic}",
];
const SENTENCES: &[&str] = &[
    "Sở KH&CN phối hợp với UBND {unit} {place} tổ chức triển khai {topic}.",
    "Viện Nghiên cứu và Phát triển Vùng hỗ trợ xây dựng thuyết minh và dự toán kinh phí.",
    "Kết quả bước đầu cho thấy năng suất tăng {n}% so với phương thức truyền thống.",
    "Khó khăn, vướng mắc: thiếu kinh phí đối ứng, nguồn nhân lực có trình độ còn hạn chế.",
    "Kiến nghị Ủy ban nhân dân tỉnh bố trí vốn sự nghiệp khoa học và công nghệ năm {year}.",
    "Thực hiện Nghị quyết 07-NQ/TU và Kế hoạch số 128/KH-UBND của tỉnh.",
    "Công ty TNHH {company} chuyển giao quy trình cho {n} hộ dân tại {place}.",
    "Hợp tác xã {company} được cấp giấy chứng nhận nhãn hiệu tập thể.",
    "Đồng chí {person} chủ trì buổi làm việc, yêu cầu hoàn thành trước ngày {day}/{month}/{year}.",
    "Sản phẩm dự kiến: quy trình kỹ thuật, mô hình trình diễn, báo cáo tổng kết.",
    "Từ ngày 01/7/2025, địa bàn {unit} {place} cũ thuộc phường {place2}.",
    "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến đạt {n}%.",
];
const COMPANIES: &[&str] =
    &["thủy sản Minh Hàn", "Agritech", "Gốm sứ Đông Triều", "Hải sản Vân Đồn", "Nông sản sạch Hoành Bồ", "Hoa Vàng"];
const FAMILY: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"];
const MIDDLE: &[&str] = &["Văn", "Thị", "Đức", "Minh", "Quang", "Thanh", "Bá", "Đắc"];
const GIVEN: &[&str] = &["Nam", "Minh", "Hạnh", "Tùng", "Huyền", "Thủy", "Hòa", "Kỳ", "Lý", "Khoa", "Huy", "Tân"];
const DOC_TYPES: &[&str] = &["NQ", "QĐ", "KH", "CT", "TB", "BC", "CV", "KL"];
const ISSUERS: &[&str] = &["UBND", "HĐND", "SKHCN", "BCĐ", "SKHCN-QLKH", "UBND-KT"];

fn fill(template: &str, rng: &mut Rng, places: &[&str]) -> String {
    let year = 2018 + rng.below(9);
    template
        .replace("{topic}", rng.pick(TOPICS))
        .replace("{unit}", rng.pick(UNIT_KINDS))
        .replace("{place2}", rng.pick(places))
        .replace("{place}", rng.pick(places))
        .replace("{year2}", &(year + 5).to_string())
        .replace("{year}", &year.to_string())
        .replace("{company}", rng.pick(COMPANIES))
        .replace("{person}", &format!("{} {} {}", rng.pick(FAMILY), rng.pick(MIDDLE), rng.pick(GIVEN)))
        .replace("{day}", &(1 + rng.below(28)).to_string())
        .replace("{month}", &(1 + rng.below(12)).to_string())
        .replace("{n}", &(5 + rng.below(90)).to_string())
}

fn symbol(rng: &mut Rng, year: i32) -> String {
    let n = 1 + rng.below(4000);
    match rng.below(3) {
        0 => format!("{n:02}-{}/TU", rng.pick(&["NQ", "KL", "CTr", "CT"])),
        1 => format!("{n}/{}-{}", rng.pick(DOC_TYPES), rng.pick(ISSUERS)),
        _ => format!("{n}/{year}/{}-UBND", rng.pick(&["QĐ", "NQ"])),
    }
}

/// The `i`-th record of the generated corpus.
fn record(i: usize, rng: &mut Rng, places: &[&str]) -> SearchDoc {
    let kind = DocKind::ALL[rng.below(DocKind::ALL.len())];
    let year = 2018 + rng.below(9) as i32;
    let mut doc = SearchDoc::new(kind, i as i64, fill(rng.pick(FRAMES), rng, places));
    if matches!(kind, DocKind::LegalDocument | DocKind::Plan) || rng.chance(10) {
        doc.symbol = Some(symbol(rng, year));
    }
    let sentences = 2 + rng.below(5);
    let mut body = String::new();
    for _ in 0..sentences {
        if !body.is_empty() {
            body.push(' ');
        }
        body.push_str(&fill(rng.pick(SENTENCES), rng, places));
    }
    // Some text arrives decomposed (NFD), as from some keyboards.
    doc.body = if rng.chance(5) { body.nfd().collect() } else { body };
    doc.places = vec![format!("{} {}", rng.pick(UNIT_KINDS), rng.pick(places))];
    let org = 1 + rng.below(500) as i64;
    doc.organizations = vec![org];
    doc.units = vec![AdminUnitCode::parse(&format!("{:05}", rng.below(30_000))).expect("five digits")];
    doc.year = Some(year);
    doc.status = Some(rng.pick(&["draft", "submitted", "approved", "in_progress", "published", "returned"]).to_owned());
    doc.visibility = match rng.below(10) {
        0..=2 => Visibility::public(),
        3 | 4 => Visibility::signed_in(),
        _ => Visibility::roles_over(
            &[Role::LocalityOfficer, Role::DepartmentOfficer, Role::DepartmentLeader, Role::Administrator],
            &[org],
        )
        .with(Reader::Role(Role::Editor)),
    };
    doc
}

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() { dir_size(&p) } else { e.metadata().map(|m| m.len()).unwrap_or(0) }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// One edit that makes a word unknown: a letter doubled, dropped or two swapped.
fn misspell(word: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = word.chars().collect();
    let at = 1 + rng.below(chars.len().saturating_sub(2).max(1));
    let mut out = chars.clone();
    match rng.below(3) {
        0 => out.insert(at, chars[at.min(chars.len() - 1)]),
        1 if chars.len() > 4 => {
            out.remove(at);
        }
        _ if at + 1 < chars.len() => out.swap(at, at + 1),
        _ => out.push(chars[chars.len() - 1]),
    }
    out.into_iter().collect()
}

fn queries(rng: &mut Rng, symbols: &[String], n: usize, places: &[&str]) -> Vec<(&'static str, Vec<String>)> {
    let one_word: Vec<String> = (0..n)
        .map(|_| {
            let source = if rng.chance(70) { rng.pick(places) } else { rng.pick(TOPICS) };
            let words: Vec<&str> = source.split(' ').collect();
            words[rng.below(words.len())].to_owned()
        })
        .collect();
    let multi_word: Vec<String> = (0..n)
        .map(|_| {
            if rng.chance(50) {
                format!("{} {}", rng.pick(TOPICS), rng.pick(places))
            } else {
                tiendo_core::text::remove_diacritics(&format!("{} {}", rng.pick(UNIT_KINDS), rng.pick(places)))
            }
        })
        .collect();
    let symbol: Vec<String> = (0..n).map(|_| symbols[rng.below(symbols.len())].clone()).collect();
    let typo: Vec<String> = (0..n)
        .map(|_| {
            let place = rng.pick(places);
            let words: Vec<&str> = place.split(' ').collect();
            let longest = words.iter().copied().max_by_key(|w| w.chars().count()).unwrap_or(place);
            place.replacen(longest, &misspell(longest, rng), 1)
        })
        .collect();
    vec![("one word", one_word), ("multi-word", multi_word), ("symbol", symbol), ("typo", typo)]
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

fn fts5_query(query: &str) -> String {
    query
        .split(|c: char| !(c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

async fn fts5_build(path: &Path, records: usize, seed: u64, places: &[&str]) -> (SqlitePool, f64) {
    let options = SqliteConnectOptions::new().filename(path).create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.expect("SQLite");
    sqlx::query(
        "CREATE VIRTUAL TABLE docs USING fts5(kind UNINDEXED, id UNINDEXED, title, symbol, places, body, \
         tokenize = 'unicode61 remove_diacritics 2')",
    )
    .execute(&pool)
    .await
    .expect("FTS5");
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut tx = pool.begin().await.expect("a transaction");
    for i in 0..records {
        let doc = record(i, &mut rng, places);
        sqlx::query("INSERT INTO docs (kind, id, title, symbol, places, body) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(doc.kind.code())
            .bind(doc.id)
            .bind(&doc.title)
            .bind(doc.symbol.clone().unwrap_or_default())
            .bind(doc.places.join("; "))
            .bind(&doc.body)
            .execute(&mut *tx)
            .await
            .expect("inserted");
        if i % 10_000 == 9_999 {
            tx.commit().await.expect("committed");
            tx = pool.begin().await.expect("a transaction");
        }
    }
    tx.commit().await.expect("committed");
    (pool, records as f64 / started.elapsed().as_secs_f64())
}

async fn fts5_search(pool: &SqlitePool, query: &str) -> usize {
    let q = fts5_query(query);
    let hits = sqlx::query(
        "SELECT kind, id, snippet(docs, 5, '<mark>', '</mark>', '…', 20) FROM docs WHERE docs MATCH $1 \
         ORDER BY bm25(docs, 0, 0, 3.0, 4.0, 1.0, 1.0) LIMIT 20",
    )
    .bind(&q)
    .fetch_all(pool)
    .await
    .map(|rows| rows.len())
    .unwrap_or(0);
    let total: i64 = sqlx::query("SELECT count(*) FROM docs WHERE docs MATCH $1")
        .bind(&q)
        .fetch_one(pool)
        .await
        .map(|r| r.get(0))
        .unwrap_or(0);
    hits + total as usize
}

/// CPU time used by this process so far (user + system, Linux), in milliseconds: unlike latency, it does
/// not grow when other programs share the cores.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) * 10.0
}

/// The load average of the machine when the figures were taken.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// `BENCH_INDEX=<dir>`: the queries of `BENCH_QUERIES` (separated by `|`, default the end-to-end bench's
/// broad ones) timed against a kept index (`BENCH_KEEP_INDEX` of `cargo bench -p tiendo-web --bench
/// search`), as a department leader and as the officer of the commune `BENCH_ORG`; `BENCH_PAGE` (default
/// 1), `BENCH_FACETS=0` without facets.
fn kept_index(dir: &str) {
    let index = SearchIndex::open(Path::new(dir)).expect("the kept index");
    let queries = std::env::var("BENCH_QUERIES")
        .unwrap_or_else(|_| "chuyen doi so co quan nha nuoc|khoa|de an|KH&CN|chuyeen doi|tap huan".to_owned());
    let org: i64 = std::env::var("BENCH_ORG").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let leader = Actor::user(1, vec![Grant { role: Role::DepartmentLeader, scope: Scope::Province }]);
    let officer = Actor::user(2, vec![Grant { role: Role::LocalityOfficer, scope: Scope::Organization(org) }]);
    let pages: usize = std::env::var("BENCH_PAGE").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    println!("kept index: {} documents, {} segments; page {pages}", index.num_docs(), index.segment_count());
    for (who, actor) in [("leader", &leader), ("commune officer", &officer)] {
        let access = Access::from_scope(&AccessScope::of(actor, |id| vec![id]));
        for q in queries.split('|') {
            let mut request = SearchRequest::new(q).page(pages);
            request.facets = std::env::var("BENCH_FACETS").map_or(true, |v| v != "0");
            for _ in 0..5 {
                let _ = index.search(&request, &access);
            }
            let mut times = Vec::new();
            let mut total = 0;
            let cpu_before = cpu_ms();
            for _ in 0..100 {
                let started = Instant::now();
                total = index.search(&request, &access).expect("a search").total;
                times.push(started.elapsed());
            }
            let cpu = (cpu_ms() - cpu_before) / 100.0;
            times.sort();
            println!(
                "  {who:<16} {q:<36} {total:>7} hits  p50 {:>6.2} ms  p99 {:>6.2} ms  CPU {cpu:.2} ms",
                percentile(&times, 0.5),
                percentile(&times, 0.99)
            );
        }
    }
}

fn main() {
    if let Ok(dir) = std::env::var("BENCH_INDEX") {
        kept_index(&dir);
        return;
    }
    let records: usize = std::env::var("BENCH_RECORDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let threads: usize = std::env::var("BENCH_THREADS").ok().and_then(|v| v.parse().ok()).unwrap_or(2);
    let skip_fts5 = std::env::var("BENCH_SKIP_FTS5").is_ok();
    let seed = 0x5eed_2025;
    let places = place_names();
    let work = tempfile::tempdir().expect("a temporary directory");
    println!(
        "search benchmark: {records} generated records ({} place names), {threads} indexing threads",
        places.len()
    );

    // Baseline: generating the records alone.
    let started = Instant::now();
    let mut rng = Rng(seed);
    let mut bytes = 0usize;
    for i in 0..records.min(200_000) {
        let doc = record(i, &mut rng, &places);
        bytes += doc.title.len() + doc.body.len();
    }
    let generation_rate = records.min(200_000) as f64 / started.elapsed().as_secs_f64();
    println!(
        "  generating records (baseline): {generation_rate:.0} records/s, {:.0} bytes of text each",
        bytes as f64 / records.min(200_000) as f64
    );

    let rss_before = status_kb("VmRSS:");
    let index_dir = work.path().join("search");
    let index = SearchIndex::create(&index_dir).expect("an index");
    let mut writer = index.writer(threads, 256 * 1024 * 1024).expect("a writer");
    let mut rng = Rng(seed);
    let mut symbols = Vec::new();
    let started = Instant::now();
    for i in 0..records {
        let doc = record(i, &mut rng, &places);
        if let Some(s) = &doc.symbol
            && symbols.len() < 5_000
        {
            symbols.push(s.clone());
        }
        writer.add(&doc).expect("indexed");
    }
    writer.commit().expect("committed");
    let indexing = started.elapsed();
    writer.finish().expect("merges finished");
    let after_merges = started.elapsed();
    let rate = records as f64 / indexing.as_secs_f64();
    println!(
        "  indexing: {rate:.0} records/s ({:.1} s, {:.1} s with merges), {:.2}x the generation cost",
        indexing.as_secs_f64(),
        after_merges.as_secs_f64(),
        generation_rate / rate
    );
    let index = SearchIndex::open(&index_dir).expect("reopened");
    println!(
        "  index size: {:.0} MB on disk ({} documents, {} segments); resident memory {:.0} MB (peak {:.0} MB, \
         {:.0} MB before)",
        dir_size(&index_dir) as f64 / 1e6,
        index.num_docs(),
        index.segment_count(),
        mb(status_kb("VmRSS:")),
        mb(status_kb("VmHWM:")),
        mb(rss_before)
    );

    let officer = Actor::user(7, vec![Grant { role: Role::DepartmentOfficer, scope: Scope::Province }]);
    let access = Access::from_scope(&AccessScope::of(&officer, |id| vec![id]));
    let mut qrng = Rng(seed ^ 0xabcdef);
    let sets = queries(&mut qrng, &symbols, 200, &places);
    if std::env::var("BENCH_PROFILE").is_ok() {
        let started = Instant::now();
        for _ in 0..10 {
            for q in &sets[0].1 {
                let _ = index.search(&SearchRequest::new(q.as_str()), &access);
            }
        }
        println!("PROFILED {:?}", started.elapsed());
        return;
    }
    // Warm the page cache and the caches once.
    for (_, set) in &sets {
        for q in set.iter().take(20) {
            let _ = index.search(&SearchRequest::new(q.as_str()), &access);
        }
    }
    let mut all = Vec::new();
    println!("  queries as a department officer (20 hits, total, facets, snippets), 200 per kind:");
    for (label, set) in &sets {
        let mut times = Vec::with_capacity(set.len());
        let mut found = 0u64;
        let mut zero = 0usize;
        let cpu_before = cpu_ms();
        for q in set {
            let started = Instant::now();
            let results = index.search(&SearchRequest::new(q.as_str()), &access).expect("a search");
            times.push(started.elapsed());
            found += results.total;
            zero += usize::from(results.total == 0);
        }
        let cpu = (cpu_ms() - cpu_before) / set.len() as f64;
        times.sort();
        all.extend(times.iter().copied());
        println!(
            "    {label:<10} p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms  CPU {cpu:.2} ms/query  (mean {:.0} hits, {zero} without hits)",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            percentile(&times, 1.0),
            found as f64 / set.len() as f64
        );
    }
    all.sort();
    println!("    {:<10} p50 {:>6.2} ms  p99 {:>6.2} ms", "all", percentile(&all, 0.5), percentile(&all, 0.99));
    println!("  load average: {}", load_average());
    println!("  the same without facets (the search box: 20 hits, total, snippets):");
    for (label, set) in &sets {
        let mut times = Vec::with_capacity(set.len());
        for q in set {
            let mut request = SearchRequest::new(q.as_str());
            request.facets = false;
            let started = Instant::now();
            std::hint::black_box(index.search(&request, &access).expect("a search"));
            times.push(started.elapsed());
        }
        times.sort();
        println!("    {label:<10} p50 {:>6.2} ms  p99 {:>6.2} ms", percentile(&times, 0.5), percentile(&times, 0.99));
    }
    println!(
        "  resident memory after the queries: {:.0} MB (peak {:.0} MB)",
        mb(status_kb("VmRSS:")),
        mb(status_kb("VmHWM:"))
    );
    drop(index);

    if skip_fts5 {
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let path = work.path().join("fts5.db");
        let (pool, fts_rate) = fts5_build(&path, records, seed, &places).await;
        println!(
            "  FTS5 baseline: {fts_rate:.0} records/s inserted, {:.0} MB on disk",
            std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
        );
        for (label, set) in &sets {
            let mut times = Vec::with_capacity(set.len());
            for q in set {
                let started = Instant::now();
                std::hint::black_box(fts5_search(&pool, q).await);
                times.push(started.elapsed());
            }
            times.sort();
            println!(
                "    FTS5 {label:<10} p50 {:>7.2} ms  p99 {:>7.2} ms (top 20 by bm25 with snippets, and the count)",
                percentile(&times, 0.5),
                percentile(&times, 0.99)
            );
        }
        pool.close().await;
    });
}
