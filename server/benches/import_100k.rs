//! Benchmark: a 100,000-member file through the whole import (read, check, commit) and the
//! member list of a 100,000-member union, on SQLite and PostgreSQL.
//!
//!     cargo bench -p server --bench import_100k              # both engines
//!     cargo bench -p server --bench import_100k -- sqlite    # one engine
//!     cargo bench -p server --bench import_100k -- --city    # in a city-sized database
//!     cargo bench -p server --bench import_100k -- --simple  # the earlier, kind file
//!     cargo bench -p server --bench import_100k -- --import-only  # the import and its floor only
//!
//! The file is as a union's HR system exports it (every column filled, names and ID numbers at
//! random, rows in random order, 300 departments); `--simple` is the earlier one (four columns,
//! eight names, ID numbers rising). Beside the import each run measures its floor: calamine's
//! streaming reader over the same file, and a prepared multi-row insert of the same rows into the
//! same engine, with the ratios.
//!
//! Each engine runs in its own process so its peak memory (VmHWM) is its own. With `--city` the
//! database first holds the whole city besides the demo: 28,800 grassroots unions with
//! 5,600,000 members, so every ID check, insert and list query works against city-sized indexes.

use std::time::{Duration, Instant};

use app::server::{cards, imports, members, Db};
use leptos::config::LeptosOptions;
use sqlx::{any::install_default_drivers, AnyConnection, Connection, Executor};
use unioncard_server::{seed, serve, Settings};

const MEMBERS: u32 = 100_000;
/// The city of `--city`: Shenzhen's grassroots unions and (with the import) its members.
const CITY_UNIONS: u64 = 28_800;
const CITY_MEMBERS: u64 = 5_600_000;

// the tests' template writer; the benchmark uses only part of it
#[allow(dead_code)]
#[path = "../tests/it/common/workbook.rs"]
mod workbook;

/// The earlier, kind file (`--simple`): four columns filled, eight names, ID numbers rising in
/// order. Answers the workbook and its rows.
fn simple_file(n: u32) -> (Vec<u8>, Vec<[String; 13]>) {
    let rows: Vec<[String; 13]> = (0..n)
        .map(|i| {
            // distinct: birth dates over 1970–1999 and a sequence number
            let day = i % 28 + 1;
            let month = (i / 28) % 12 + 1;
            let year = 1970 + (i / 336) % 30;
            let seq = 100 + (i / 10_080) % 900;
            let mut r: [String; 13] = Default::default();
            r[1] = ["王伟", "李芳", "张敏", "刘洋", "陈静", "杨磊", "赵军", "吴艳"][(i % 8) as usize].to_string();
            r[3] = workbook::resident_id(&format!("440305{year:04}{month:02}{day:02}{seq:03}"));
            r[7] = format!("139{i:08}");
            r[11] = ["生产部", "行政部", "仓储部"][(i % 3) as usize].to_string();
            r
        })
        .collect();
    (workbook::full_workbook(seed::UNION_A, &rows), rows)
}

/// The file of a run: as users make it (the default), or the earlier kind one.
fn file_of(simple: bool) -> (Vec<u8>, Vec<[String; 13]>) {
    if simple {
        simple_file(MEMBERS)
    } else {
        realistic_file(MEMBERS)
    }
}

/// The file as a union's HR system exports it: all thirteen columns filled with plausible values,
/// names and ID numbers drawn at random (many address codes, birth years and sequence numbers),
/// rows in random order, a few hundred departments. Answers the workbook and its rows.
fn realistic_file(n: u32) -> (Vec<u8>, Vec<[String; 13]>) {
    let rows = realistic_rows(n);
    (workbook::full_workbook(seed::UNION_A, &rows), rows)
}

/// The rows of [`realistic_file`] (the same every time: a fixed seed).
fn realistic_rows(n: u32) -> Vec<[String; 13]> {
    use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(20261203);
    const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
    const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍鹏辉建华红梅飞鑫波宇浩然子涵欣怡雨轩梓萱思远嘉豪晓东海燕文博俊杰佳琪婷婷志强国庆春梅冬梅晨曦";
    // address codes of Shenzhen's districts and of the provinces its workers come from
    const AREAS: [&str; 40] = [
        "440303", "440304", "440305", "440306", "440307", "440308", "440309", "440310", "440311", "440301", "440103",
        "440104", "440106", "440111", "440281", "440402", "440604", "440781", "441302", "441581", "441622", "441802",
        "445102", "445202", "450102", "450305", "360102", "360731", "430104", "430521", "431102", "421002", "420106",
        "510104", "511321", "520102", "350102", "350583", "410102", "412726",
    ];
    const NATIONS: [&str; 6] = ["汉族", "汉族", "汉族", "汉族", "壮族", "土家族"];
    const SCHOOLING: [&str; 6] = ["初中", "高中", "中专", "大专", "本科", "硕士研究生"];
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let given: Vec<char> = GIVEN.chars().collect();
    let departments: Vec<String> = (0..300)
        .map(|i| {
            let kind = ["生产", "装配", "品质", "仓储", "物流", "行政", "财务", "研发", "采购", "销售"][i % 10];
            format!("{kind}{}部{}组", i / 10 + 1, i % 7 + 1)
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::with_capacity(n as usize);
    while rows.len() < n as usize {
        let year = rng.gen_range(1962..=2006);
        let month = rng.gen_range(1..=12);
        let day = rng.gen_range(1..=28);
        let seq: u32 = rng.gen_range(1..=999);
        let area = AREAS[rng.gen_range(0..AREAS.len())];
        let id = workbook::resident_id(&format!("{area}{year:04}{month:02}{day:02}{seq:03}"));
        if !seen.insert(id.clone()) {
            continue;
        }
        let mut name: String = surnames[rng.gen_range(0..surnames.len())].to_string();
        for _ in 0..rng.gen_range(1..=2) {
            name.push(given[rng.gen_range(0..given.len())]);
        }
        let sex = if seq % 2 == 1 { "男" } else { "女" };
        let id_type = if rng.gen_bool(0.7) { "居民身份证" } else { "" };
        let phone = format!("1{}{:09}", rng.gen_range(3..=9), rng.gen_range(0..1_000_000_000u32));
        let note = if rng.gen_bool(0.1) { format!("{year}年入职") } else { String::new() };
        rows.push([
            String::new(),
            name,
            id_type.to_string(),
            id,
            "中国".to_string(),
            sex.to_string(),
            format!("{year:04}-{month:02}-{day:02}"),
            phone,
            NATIONS[rng.gen_range(0..NATIONS.len())].to_string(),
            SCHOOLING[rng.gen_range(0..SCHOOLING.len())].to_string(),
            if rng.gen_bool(0.4) { "是" } else { "否" }.to_string(),
            departments[rng.gen_range(0..departments.len())].clone(),
            note,
        ]);
    }
    rows.shuffle(&mut rng);
    rows
}

/// The floor: the same work done by the bare libraries, on the same machine in the same run.
/// calamine's streaming reader over the file (every cell visited), and a prepared multi-row
/// insert of the same rows into a table of the same engine with a unique index on the ID.
async fn floor(engine: &str, db: &Db, file: &[u8], rows: &[[String; 13]]) -> (Duration, Duration) {
    use calamine::{Reader, Xlsx};
    let t = Instant::now();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(file)).unwrap();
    let name = wb.sheet_names()[0].clone();
    let mut cells = wb.worksheet_cells_reader(&name).unwrap();
    let mut filled = 0usize;
    while let Some(cell) = cells.next_cell().unwrap() {
        if !matches!(cell.get_value(), calamine::DataRef::Empty) {
            filled += 1;
        }
    }
    let read = t.elapsed();
    // every filled cell of the rows, and each row's 序号
    let written: usize = rows.iter().map(|r| r.iter().skip(1).filter(|v| !v.is_empty()).count() + 1).sum();
    assert!(filled >= written, "calamine read the cells: {filled} of at least {written}");
    drop(cells);

    let columns =
        "no, name, id_type, id_number, country, sex, birth_date, phone, nation, schooling, migrant, department, note";
    sqlx::query(&format!(
        "CREATE TABLE floor_members ({})",
        columns.split(", ").map(|c| format!("{c} TEXT")).collect::<Vec<_>>().join(", ")
    ))
    .execute(&db.pool)
    .await
    .unwrap();
    sqlx::query("CREATE UNIQUE INDEX floor_members_id ON floor_members(id_number)").execute(&db.pool).await.unwrap();
    // the best of a few statement sizes: SQLite binds slowly past a few hundred parameters
    let mut best: Option<(Duration, usize)> = None;
    for per_statement in [25, 100, 500] {
        sqlx::query("DELETE FROM floor_members").execute(&db.pool).await.unwrap();
        let took = floor_insert(db, columns, rows, per_statement).await;
        if best.is_none_or(|(b, _)| took < b) {
            best = Some((took, per_statement));
        }
    }
    let (bound, per_statement) = best.unwrap();
    // and the rows as one JSON parameter a statement, parsed by the engine (5,000 rows each)
    sqlx::query("DELETE FROM floor_members").execute(&db.pool).await.unwrap();
    let values = |r: &str| (0..13).map(|i| format!("{r}->>{i}")).collect::<Vec<_>>().join(", ");
    let sql = if engine == "sqlite" {
        format!("INSERT INTO floor_members ({columns}) SELECT {} FROM json_each($1)", values("value"))
    } else {
        format!(
            "INSERT INTO floor_members ({columns}) SELECT {} FROM jsonb_array_elements($1::jsonb) AS t(r)",
            values("r")
        )
    };
    let t = Instant::now();
    let mut tx = db.pool.begin().await.unwrap();
    for chunk in rows.chunks(5_000) {
        sqlx::query(&sql).bind(serde_json::to_string(chunk).unwrap()).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    let json = t.elapsed();
    let insert = bound.min(json);
    println!(
        "{engine}: floor: calamine streaming over the file {:.2}s; inserting the {} rows {:.2}s (the best of: prepared {per_statement}-row statements {:.2}s, the best of 25, 100, 500 a statement; one JSON parameter a 5,000 rows {:.2}s); together {:.2}s",
        read.as_secs_f64(),
        rows.len(),
        insert.as_secs_f64(),
        bound.as_secs_f64(),
        json.as_secs_f64(),
        (read + insert).as_secs_f64()
    );
    (read, insert)
}

/// The parameters of a multi-row VALUES list: `rows` rows of `width`. SQLite looks a numbered
/// parameter up by a scan of every name, so there each is a plain `?`, bound by place.
fn placeholders(sqlite: bool, rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            let row: Vec<String> =
                (1..=width).map(|c| if sqlite { "?".to_string() } else { format!("${}", r * width + c) }).collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The floor of the same rows on the product's own tables: bare multi-row INSERTs (500 rows a
/// statement) into `members`, with its indexes, then one set-based INSERT of their cards, in a
/// transaction that is rolled back. What the engine itself needs to store these members as the
/// product keeps them; the import's own work is everything above it.
async fn floor_schema(db: &Db, union_id: app::domain::ids::UnionId, rows: &[[String; 13]]) -> Duration {
    let sqlite = db.backend == app::server::Backend::Sqlite;
    let columns = "union_id, created_at, updated_at, name, id_type, id_number, country, sex, birth_date, phone, \
                   ethnicity, education, migrant_worker, department, remark, id_rev, phone_rev";
    let statement = |n: usize| format!("INSERT INTO members ({columns}) VALUES {}", placeholders(sqlite, n, 17));
    let full = statement(500);
    let reversed = |s: &str| s.chars().rev().collect::<String>();
    let t = Instant::now();
    let mut tx = db.pool.begin().await.unwrap();
    for chunk in rows.chunks(500) {
        let short;
        let sql = if chunk.len() == 500 {
            &full
        } else {
            short = statement(chunk.len());
            &short
        };
        let mut q = sqlx::query(sql);
        for r in chunk {
            let opt = |v: &String| if v.is_empty() { None } else { Some(v.clone()) };
            q = q.bind(union_id).bind(1_i64).bind(1_i64);
            for v in &r[1..4] {
                q = q.bind(v.clone());
            }
            for v in &r[4..7] {
                q = q.bind(opt(v));
            }
            q = q.bind(r[7].clone());
            for v in &r[8..13] {
                q = q.bind(opt(v));
            }
            q = q.bind(reversed(&r[3])).bind(reversed(&r[7]));
        }
        q.execute(&mut *tx).await.unwrap();
    }
    sqlx::query(
        "INSERT INTO cards (union_id, member_id, state, updated_at) SELECT union_id, id, 'pending', 1 FROM members \
         WHERE union_id = $1 AND created_at = 1",
    )
    .bind(union_id)
    .execute(&mut *tx)
    .await
    .unwrap();
    let took = t.elapsed();
    tx.rollback().await.unwrap();
    took
}

/// Inserts `rows` into `floor_members` in one transaction, `per_statement` rows a statement (one
/// prepared statement, reused for every full chunk).
async fn floor_insert(db: &Db, columns: &str, rows: &[[String; 13]], per_statement: usize) -> Duration {
    let sqlite = db.backend == app::server::Backend::Sqlite;
    let values = |n: usize| placeholders(sqlite, n, 13);
    let full = format!("INSERT INTO floor_members ({columns}) VALUES {}", values(per_statement));
    let t = Instant::now();
    let mut tx = db.pool.begin().await.unwrap();
    for chunk in rows.chunks(per_statement) {
        let sql = if chunk.len() == per_statement {
            full.clone()
        } else {
            format!("INSERT INTO floor_members ({columns}) VALUES {}", values(chunk.len()))
        };
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = q.bind(v.as_str());
            }
        }
        q.execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    t.elapsed()
}

/// Starts a new peak-memory measurement (Linux: writing 5 to clear_refs resets VmHWM).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory since the last `reset_peak`, in MB.
fn peak_rss_mb() -> f64 {
    status_mb("VmHWM:")
}

/// Resident memory now, in MB.
fn rss_mb() -> f64 {
    status_mb("VmRSS:")
}

fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Where the bench creates and drops its PostgreSQL databases.
fn admin_url() -> String {
    std::env::var("UNIONCARD_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

async fn fresh(engine: &str) -> (String, Option<tempfile::TempDir>) {
    if engine == "sqlite" {
        let dir = tempfile::tempdir().unwrap();
        (format!("sqlite://{}/bench.db", dir.path().display()), Some(dir))
    } else {
        install_default_drivers();
        let admin = admin_url();
        let name = format!("unioncard_test_bench_{:08x}", rand::random::<u32>());
        let mut c = AnyConnection::connect(&admin).await.unwrap();
        c.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
        (format!("{}/{name}", admin.rsplit_once('/').unwrap().0), None)
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Fills the database with the city: `CITY_UNIONS` grassroots unions under the demo city union
/// and `CITY_MEMBERS` members spread over them and over every card state. Their ID numbers
/// interleave with the imported file's (same regions and birth years), so the import's ID
/// checks and inserts land all over city-sized indexes rather than after them.
async fn fill_city(db: &Db, postgres: bool) {
    let t = Instant::now();
    let city: i64 = sqlx::query_scalar("SELECT id FROM unions WHERE level = 'city'").fetch_one(&db.pool).await.unwrap();
    let now = 1_790_000_000_i64;
    let unions: Vec<String> = (0..CITY_UNIONS).map(|i| format!("深圳市城市规模第{i:05}号企业工会委员会")).collect();
    for chunk in unions.chunks(5_000) {
        let sql = if postgres {
            "INSERT INTO unions (parent_id, level, name, path, created_at) \
             SELECT $1, 'grassroots', value #>> '{}', '', $2 FROM jsonb_array_elements($3::jsonb)"
        } else {
            "INSERT INTO unions (parent_id, level, name, path, created_at) \
             SELECT $1, 'grassroots', value, '', $2 FROM json_each($3)"
        };
        sqlx::query(sql)
            .bind(city)
            .bind(now)
            .bind(serde_json::to_string(chunk).unwrap())
            .execute(&db.pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE unions SET path = '/' || CAST($1 AS TEXT) || '/' || CAST(id AS TEXT) || '/' WHERE path = ''")
        .bind(city)
        .execute(&db.pool)
        .await
        .unwrap();
    let first: i64 = sqlx::query_scalar("SELECT MIN(id) FROM unions WHERE name LIKE '深圳市城市规模%'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let states = app::domain::card::CardState::ALL.map(|c| c.as_str());
    let names = ["王伟", "李芳", "张敏", "刘洋", "陈静", "杨磊", "赵军", "吴艳", "黄丽", "周强"];
    let departments = ["生产部", "行政部", "仓储部", "财务部", "销售部"];
    let batch = 10_000u64;
    for start in (0..CITY_MEMBERS).step_by(batch as usize) {
        let rows: Vec<serde_json::Value> = (start..(start + batch).min(CITY_MEMBERS))
            .map(|i| {
                // region 440300–440309, born 1960–2004 on a 29th or 30th (never February): real
                // IDs, never one of the file's (born on the 1st to the 28th)
                const MONTHS: [u64; 11] = [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
                let first17 = format!(
                    "4403{:02}{:04}{:02}{:02}{:03}",
                    i % 10,
                    1960 + (i / 10) % 45,
                    MONTHS[((i / 450) % 11) as usize],
                    29 + (i / 4_950) % 2,
                    (i / 9_900) % 1_000
                );
                let id = workbook::resident_id(&first17);
                let phone = format!("13{:09}", i);
                serde_json::json!([
                    first + (i % CITY_UNIONS) as i64,
                    names[(i % 10) as usize],
                    id,
                    phone,
                    departments[(i % 5) as usize],
                    members::reversed(&id),
                    members::reversed(&phone),
                ])
            })
            .collect();
        let sql = if postgres {
            "INSERT INTO members (union_id, name, id_type, id_number, phone, department, id_rev, phone_rev, created_at, updated_at) \
             SELECT (r->>0)::bigint, r->>1, '01', r->>2, r->>3, r->>4, r->>5, r->>6, $1, $1 FROM jsonb_array_elements($2::jsonb) AS r"
        } else {
            "INSERT INTO members (union_id, name, id_type, id_number, phone, department, id_rev, phone_rev, created_at, updated_at) \
             SELECT value->>0, value->>1, '01', value->>2, value->>3, value->>4, value->>5, value->>6, $1, $1 FROM json_each($2)"
        };
        sqlx::query(sql).bind(now).bind(serde_json::Value::Array(rows).to_string()).execute(&db.pool).await.unwrap();
    }
    // their cards, every state in turn
    let by_id: Vec<String> = states.iter().enumerate().map(|(i, s)| format!("WHEN {i} THEN '{s}'")).collect();
    sqlx::query(&format!(
        "INSERT INTO cards (union_id, member_id, state, updated_at) \
         SELECT union_id, id, CASE id % {} {} END, created_at FROM members WHERE union_id >= $1",
        states.len(),
        by_id.join(" ")
    ))
    .bind(first)
    .execute(&db.pool)
    .await
    .unwrap();
    // loaded in bulk, past the card writer: its counts are taken from a recount
    cards::recount(db).await.unwrap();
    if postgres {
        sqlx::query("VACUUM ANALYZE").execute(&db.pool).await.unwrap();
    } else {
        sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
    }
    println!("city: {CITY_UNIONS} unions and {CITY_MEMBERS} members loaded in {:.0} s", t.elapsed().as_secs_f64());
}

/// `file` was written by the parent process, so this process's peak memory is the import's.
async fn run(engine: &str, path: &std::path::Path, city: bool, simple: bool, import_only: bool) {
    let (url, _dir) = fresh(engine).await;
    measure(engine, &url, path, city, simple, import_only).await;
    if engine == "postgres" {
        // the bench's database goes with it (a city-sized one holds gigabytes)
        let name = url.rsplit_once('/').unwrap().1;
        let mut c = AnyConnection::connect(&admin_url()).await.unwrap();
        c.execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str()).await.unwrap();
    }
}

async fn measure(engine: &str, url: &str, path: &std::path::Path, city: bool, simple: bool, import_only: bool) {
    let file = std::fs::read(path).unwrap();
    let db = Db::connect(url).await.unwrap();
    db.migrate().await.unwrap();
    seed::seed_demo(&db).await.unwrap();
    if city {
        fill_city(&db, engine == "postgres").await;
    }
    let union_id: app::domain::ids::UnionId = sqlx::query_scalar("SELECT id FROM unions WHERE name = $1")
        .bind(seed::UNION_A)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    reset_peak();
    let before_mb = rss_mb();

    let t = Instant::now();
    let checked =
        imports::check(&db, union_id, std::sync::Arc::new(file.clone())).await.map_err(|e| format!("{e:?}")).unwrap();
    let check_time = t.elapsed();
    let check_peak = peak_rss_mb();
    assert!(
        checked.issues.is_empty(),
        "the generated file is clean: {:?}",
        &checked.issues[..checked.issues.len().min(3)]
    );
    drop(checked);
    reset_peak();

    let t = Instant::now();
    let p = imports::preview(&db, union_id, None, "bench.xlsx", file).await.map_err(|e| format!("{e:?}")).unwrap();
    let preview_time = t.elapsed();
    let preview_peak = peak_rss_mb();
    reset_peak();
    let t = Instant::now();
    let done = imports::commit_as(&db, union_id, None, &p.import_id).await.unwrap();
    let commit_time = t.elapsed();
    let commit_peak = peak_rss_mb();
    // as the web commit does after replying
    imports::refresh_statistics(&db, MEMBERS as usize).await;
    assert_eq!(done.imported, Some(MEMBERS as usize));
    let peak = check_peak.max(preview_peak).max(commit_peak);
    println!("{engine}: peak RSS while checking {check_peak:.0} MB, previewing {preview_peak:.0} MB, committing {commit_peak:.0} MB");

    // the files handed back: an error report marking every tenth row, and the template
    reset_peak();
    let sheet = app::server::xlsx::read_first_sheet(&std::fs::read(path).unwrap(), &Default::default()).unwrap();
    let issues: Vec<app::domain::sheet::ImportIssue> = (5..MEMBERS + 5)
        .step_by(10)
        .map(|row| app::domain::sheet::ImportIssue {
            row: Some(row),
            column: Some("D".into()),
            field: "证件号码".into(),
            code: "id_number_invalid".into(),
            message: "身份证号码无效".into(),
            hint: String::new(),
        })
        .collect();
    let t = Instant::now();
    let report = app::server::xlsx::error_report(&sheet, &issues).unwrap();
    let report_time = t.elapsed();
    let report_peak = peak_rss_mb();
    drop(sheet);
    let branches = vec![("104584000101".to_string(), "中国银行深圳福田支行".to_string())];
    let t = Instant::now();
    let template = app::server::xlsx::template(seed::UNION_A, &branches).unwrap();
    println!(
        "{engine}: error report of 100k rows with {} marked cells {:.2}s ({} KB, peak RSS {report_peak:.0} MB); template {:.1} ms ({} KB)",
        issues.len(),
        report_time.as_secs_f64(),
        report.len() / 1024,
        t.elapsed().as_secs_f64() * 1000.0,
        template.len() / 1024
    );

    // the member list of a union with 100,000+ members, through HTTP like the browser
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = LeptosOptions::builder().output_name("unioncard").site_addr(addr).build();
    tokio::spawn(serve(listener, db.clone(), Settings::new(options)));
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    client
        .post(format!("http://{addr}/api/login"))
        .form(&[("username", "shili"), ("password", seed::DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    let cases: [(&str, &[(&str, &str)]); 6] = [
        ("first page", &[("query", ""), ("department", ""), ("page", "1")]),
        ("last page", &[("query", ""), ("department", ""), ("page", "5000")]),
        ("name search", &[("query", "陈静"), ("department", ""), ("page", "1")]),
        ("ID tail search", &[("query", "1234"), ("department", ""), ("page", "1")]),
        ("state filter", &[("query", ""), ("state", "pending"), ("department", ""), ("page", "3")]),
        ("department filter", &[("query", ""), ("department", "仓储部"), ("page", "2")]),
    ];
    println!(
        "{engine}: read+check 100k rows {:.2}s; preview (check, store) {:.2}s + commit {:.2}s = {:.2}s; peak RSS {:.0} MB (before the import {:.0} MB)",
        check_time.as_secs_f64(),
        preview_time.as_secs_f64(),
        commit_time.as_secs_f64(),
        (preview_time + commit_time).as_secs_f64(),
        peak,
        before_mb
    );
    let rows = if simple { simple_file(MEMBERS).1 } else { realistic_rows(MEMBERS) };
    let (floor_read, floor_insert) = floor(engine, &db, &std::fs::read(path).unwrap(), &rows).await;
    // the same rows under ID numbers of their own (the imported members hold theirs)
    let own: Vec<[String; 13]> = rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r[3] = format!("F{}", r[3]);
            r
        })
        .collect();
    let schema_floor = floor_schema(&db, union_id, &own).await;
    let floor_total = floor_read + floor_insert;
    println!(
        "{engine}: floor on the product's own schema: the rows into members (its indexes) and their cards by bare SQL {:.2}s; with calamine {:.2}s",
        schema_floor.as_secs_f64(),
        (floor_read + schema_floor).as_secs_f64()
    );
    println!(
        "{engine}: import / floor: read+check {:.2}× calamine alone; preview + commit {:.2}× calamine + insert; {:.2}× calamine + insert on the product's schema",
        check_time.as_secs_f64() / floor_read.as_secs_f64(),
        (preview_time + commit_time).as_secs_f64() / floor_total.as_secs_f64(),
        (preview_time + commit_time).as_secs_f64() / (floor_read + schema_floor).as_secs_f64()
    );
    if import_only {
        return;
    }
    for (label, form) in cases {
        let mut times = Vec::new();
        for _ in 0..15 {
            let t = Instant::now();
            let r = client.post(format!("http://{addr}/api/members/list")).form(form).send().await.unwrap();
            assert!(r.status().is_success());
            r.bytes().await.unwrap();
            times.push(t.elapsed());
        }
        println!("{engine}: member list, {label}: median {:.1} ms", median(times).as_secs_f64() * 1000.0);
    }
    cards(engine, &db, union_id, &client, addr).await;
}

/// A read through HTTP: (label, server-function path, form).
type Read<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// The median of 15 requests of each read, printed.
async fn time_reads(engine: &str, client: &reqwest::Client, addr: std::net::SocketAddr, reads: &[Read<'_>]) {
    for (label, endpoint, form) in reads {
        let mut times = Vec::new();
        for _ in 0..15 {
            let t = Instant::now();
            let r = client.post(format!("http://{addr}/api/{endpoint}")).form(form).send().await.unwrap();
            assert!(r.status().is_success(), "{endpoint}: {}", r.status());
            r.bytes().await.unwrap();
            times.push(t.elapsed());
        }
        println!("{engine}: {label}: median {:.1} ms", median(times).as_secs_f64() * 1000.0);
    }
}

/// The card lifecycle at 100,000 cards: 全部批量办卡 of every pending member, the card tabs and the
/// union's home read from the kept counts, and the bank approving the whole batch; beside each
/// move, the floor: the same UPDATE and event rows as bare SQL, in a transaction rolled back.
async fn cards(
    engine: &str,
    db: &Db,
    union_id: app::domain::ids::UnionId,
    client: &reqwest::Client,
    addr: std::net::SocketAddr,
) {
    use app::{
        domain::ids::{BankId, UserId},
        server::{batches, cards::Selection},
    };
    let pending: i64 = sqlx::query_scalar("SELECT n FROM card_counts WHERE union_id = $1 AND state = 'pending'")
        .bind(union_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let floor = |to: &'static str, from: &'static str| {
        let db = db.clone();
        async move {
            let t = Instant::now();
            let mut tx = db.begin_write().await.unwrap();
            let ids: Vec<i64> = sqlx::query_scalar(&format!(
                "UPDATE cards SET state = '{to}' WHERE union_id = $1 AND state = '{from}' RETURNING member_id"
            ))
            .bind(union_id)
            .fetch_all(&mut *tx)
            .await
            .unwrap();
            sqlx::query(&format!(
                "INSERT INTO card_events (member_id, from_state, to_state, at) SELECT member_id, '{from}', '{to}', 0 \
                 FROM cards WHERE union_id = $1 AND state = '{to}'"
            ))
            .bind(union_id)
            .execute(&mut *tx)
            .await
            .unwrap();
            tx.rollback().await.unwrap();
            (ids.len(), t.elapsed())
        }
    };
    let clerk: UserId =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'shili'").fetch_one(&db.pool).await.unwrap();
    let (officer, bank): (UserId, BankId) =
        sqlx::query_as("SELECT id, bank_id FROM users WHERE username = 'boc'").fetch_one(&db.pool).await.unwrap();

    let (n, floor_submit) = floor("submitted", "pending").await;
    assert_eq!(n as i64, pending);
    let t = Instant::now();
    let sent = batches::submit(db, union_id, clerk, "bench-all", Selection::All).await.unwrap();
    let submit = t.elapsed();
    assert_eq!(sent.batch.members, pending);
    println!(
        "{engine}: 全部批量办卡 of {pending} pending cards (state, events, counts, batch) {:.0} ms; floor (bare UPDATE + event INSERT) {:.0} ms",
        submit.as_secs_f64() * 1000.0,
        floor_submit.as_secs_f64() * 1000.0
    );

    let reads: [Read; 4] = [
        ("union home", "overview/union", &[]),
        (
            "card tab 办卡中 page 1",
            "members/list",
            &[("query", ""), ("state", "submitted"), ("department", ""), ("page", "1")],
        ),
        (
            "card tab 办卡中 last page",
            "members/list",
            &[("query", ""), ("state", "submitted"), ("department", ""), ("page", "5000")],
        ),
        ("card tab 待处理", "cards/rejected", &[("page", "1")]),
    ];
    time_reads(engine, client, addr, &reads).await;

    let (n, floor_review) = floor("in_production", "submitted").await;
    assert!(n as i64 >= pending);
    let t = Instant::now();
    let done = batches::review(db, bank, officer, sent.batch.id, &[], &[], true).await.unwrap();
    let review = t.elapsed();
    assert_eq!(done.approved as i64, pending);
    println!(
        "{engine}: the bank approves the {pending}-card batch {:.0} ms; floor {:.0} ms",
        review.as_secs_f64() * 1000.0,
        floor_review.as_secs_f64() * 1000.0
    );
    deliveries(engine, db, union_id, bank, pending, client, addr).await;
}

/// The delivery of 100,000 made cards: a delivery opened (every made card assigned to it), the
/// union's signature (every card to 待发放), its due list, all of it handed out (every card to
/// 已发放), the bank's activation list. The cards are recorded made by bare SQL first (a bank
/// records made cards a page at a time; that is not the step measured here).
async fn deliveries(
    engine: &str,
    db: &Db,
    union_id: app::domain::ids::UnionId,
    bank: app::domain::ids::BankId,
    cards: i64,
    client: &reqwest::Client,
    addr: std::net::SocketAddr,
) {
    use app::domain::card::DeliveryAction;
    use app::server::deliveries::{self, HandOut, Seen, Side, Step};
    sqlx::query("UPDATE cards SET state = 'awaiting_delivery', card_tail = '0000' WHERE union_id = $1 AND state = 'in_production'")
        .bind(union_id)
        .execute(&db.pool)
        .await
        .unwrap();
    cards::recount(db).await.unwrap();
    let at = app::server::db::now() + 86_400;
    let t = Instant::now();
    let d = deliveries::open(db, bank, None, union_id, at, None).await.unwrap();
    let open = t.elapsed();
    assert!(d.cards >= cards);
    let seen = Seen { stage: d.stage().unwrap(), scheduled_at: at };
    let confirm = Step { action: DeliveryAction::ConfirmTime, scheduled_at: None, seen };
    let d = deliveries::step(db, Side::Union(union_id), None, d.id, confirm, None).await.unwrap();
    let seen = Seen { stage: d.stage().unwrap(), scheduled_at: at };
    let deliver = Step { action: DeliveryAction::RecordDelivered, scheduled_at: None, seen };
    let d = deliveries::step(db, Side::Bank(bank), None, d.id, deliver, None).await.unwrap();

    // the floor of a move of every card of the delivery: the bare UPDATE and event rows, rolled back
    let floor = |to: &'static str, from: &'static str| {
        let db = db.clone();
        async move {
            let t = Instant::now();
            let mut tx = db.begin_write().await.unwrap();
            sqlx::query(&format!(
                "UPDATE cards SET state = '{to}' WHERE union_id = $1 AND delivery_id = $2 AND state = '{from}'"
            ))
            .bind(union_id)
            .bind(d.id)
            .execute(&mut *tx)
            .await
            .unwrap();
            sqlx::query(&format!(
                "INSERT INTO card_events (member_id, from_state, to_state, at) SELECT member_id, '{from}', '{to}', 0 \
                 FROM cards WHERE union_id = $1 AND delivery_id = $2 AND state = '{to}'"
            ))
            .bind(union_id)
            .bind(d.id)
            .execute(&mut *tx)
            .await
            .unwrap();
            tx.rollback().await.unwrap();
            t.elapsed()
        }
    };
    let floor_sign = floor("awaiting_distribution", "awaiting_delivery").await;
    let t = Instant::now();
    let signed = deliveries::sign(db, union_id, None, d.id, d.cards, None).await.unwrap();
    let sign = t.elapsed();
    assert_eq!(signed.outstanding, d.cards);
    println!(
        "{engine}: a delivery of {} cards opened {:.0} ms; signed for (every card to 待发放) {:.0} ms; floor {:.0} ms",
        d.cards,
        open.as_secs_f64() * 1000.0,
        sign.as_secs_f64() * 1000.0,
        floor_sign.as_secs_f64() * 1000.0
    );
    let reads: [Read; 2] = [
        ("union's deliveries and due list", "union/deliveries", &[]),
        (
            "card tab 待发放 page 1",
            "members/list",
            &[("query", ""), ("state", "awaiting_distribution"), ("department", ""), ("page", "1")],
        ),
    ];
    time_reads(engine, client, addr, &reads).await;
    let floor_hand_out = floor("distributed", "awaiting_distribution").await;
    let t = Instant::now();
    let n = deliveries::hand_out(db, union_id, None, HandOut::Delivery(d.id), None).await.unwrap();
    let hand_out = t.elapsed();
    assert_eq!(n as i64, d.cards);
    println!(
        "{engine}: all {n} cards of the delivery handed out {:.0} ms; floor {:.0} ms",
        hand_out.as_secs_f64() * 1000.0,
        floor_hand_out.as_secs_f64() * 1000.0
    );
    assert_eq!(cards::check_counts(db).await.unwrap(), vec![], "kept counts agree after the deliveries");
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let city = std::env::args().any(|a| a == "--city");
    let simple = std::env::args().any(|a| a == "--simple");
    let import_only = std::env::args().any(|a| a == "--import-only");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    match (args.first().map(String::as_str), args.get(1)) {
        (Some(engine @ ("sqlite" | "postgres")), Some(file)) => {
            rt.block_on(run(engine, std::path::Path::new(file), city, simple, import_only))
        }
        (only, _) => {
            // one process per engine, so each peak-memory figure is the import's own
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("members-100k.xlsx");
            std::fs::write(&file, file_of(simple).0).unwrap();
            let exe = std::env::current_exe().unwrap();
            for engine in ["sqlite", "postgres"].into_iter().filter(|e| only.is_none_or(|o| o == *e)) {
                let mut child = std::process::Command::new(&exe);
                child.arg(engine).arg(&file);
                if city {
                    child.arg("--city");
                }
                if simple {
                    child.arg("--simple");
                }
                if import_only {
                    child.arg("--import-only");
                }
                let status = child.status().unwrap();
                assert!(status.success(), "{engine} bench failed");
            }
        }
    }
}
