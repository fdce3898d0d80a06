//! The supervisor's dashboard at city size, through HTTP like the browser:
//!
//!     cargo bench -p server --bench dashboard                # both engines
//!     cargo bench -p server --bench dashboard -- sqlite      # one engine
//!
//! The demo city grows to Shenzhen's shape: 10 districts, 74 streets and 28,800 grassroots
//! unions with 5,700,000 members' cards over every state (as kept counts: the dashboard reads
//! no member or card row), the members' answers and the hand-outs judged on time or late, and
//! 6,000 signed-for deliveries with cards still to hand out, half of them overdue, and the
//! tallies (applications and activations in some of the last 30 weeks, rejection reasons,
//! import errors). Then a day
//! of moves goes through the card writer without a fold, so the figures are read both folded
//! and as the writer leaves them. Each figure is the median of 15 requests.

use std::time::{Duration, Instant};

use app::{
    domain::{card::CardState, ids::UnionId, tally::Tally},
    server::{db::bump_kept, subtree, Db},
};
use leptos::config::LeptosOptions;
use rand::{rngs::StdRng, Rng, SeedableRng};
use sqlx::{any::install_default_drivers, AnyConnection, Connection, Executor};
use unioncard_server::{seed, serve, Settings};

const DISTRICTS: usize = 10;
const STREETS: usize = 74;
const GRASSROOTS: usize = 28_800;
const MEMBERS: i64 = 5_700_000;
const DELIVERIES: usize = 6_000;
const MOVES: usize = 5_000;

async fn fresh(engine: &str) -> (String, Option<tempfile::TempDir>) {
    if engine == "sqlite" {
        let dir = tempfile::tempdir().unwrap();
        (format!("sqlite://{}/bench.db", dir.path().display()), Some(dir))
    } else {
        install_default_drivers();
        let admin = std::env::var("UNIONCARD_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
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

/// Inserts rows given as JSON arrays through one statement per 5,000.
async fn insert_json(db: &Db, postgres: bool, table: &str, columns: &[&str], rows: Vec<serde_json::Value>) {
    let pick: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, _)| if postgres { format!("r->>{i}") } else { format!("value->>{i}") })
        .collect();
    let casts: Vec<String> = columns
        .iter()
        .zip(&pick)
        .map(|(c, p)| {
            let int = matches!(*c, "id" | "parent_id" | "union_id" | "bank_id" | "n" | "scheduled_at" | "cards")
                || matches!(*c, "outstanding" | "created_at" | "signed_at" | "delivered_at" | "must_change_password");
            if postgres && int {
                format!("({p})::bigint")
            } else {
                p.clone()
            }
        })
        .collect();
    let from = if postgres { "jsonb_array_elements($1::jsonb) AS r" } else { "json_each($1)" };
    let sql = format!("INSERT INTO {table} ({}) SELECT {} FROM {from}", columns.join(", "), casts.join(", "));
    for chunk in rows.chunks(5_000) {
        sqlx::query(&sql).bind(serde_json::Value::Array(chunk.to_vec()).to_string()).execute(&db.pool).await.unwrap();
    }
}

/// The city's tree under the demo city union, its kept counts and deliveries; answers the
/// districts' ids and the grassroots unions' ids.
async fn fill(db: &Db, postgres: bool) -> (Vec<UnionId>, Vec<UnionId>) {
    let t = Instant::now();
    let mut rng = StdRng::seed_from_u64(2026);
    let (city, city_path): (i64, String) =
        sqlx::query_as("SELECT id, path FROM unions WHERE level = 'city'").fetch_one(&db.pool).await.unwrap();
    let bank: i64 = sqlx::query_scalar("SELECT MIN(id) FROM banks").fetch_one(&db.pool).await.unwrap();
    let mut next: i64 =
        sqlx::query_scalar::<_, i64>("SELECT MAX(id) FROM unions").fetch_one(&db.pool).await.unwrap() + 1000;
    let now = app::server::db::now();
    let mut unions = Vec::new();
    let (mut districts, mut grassroots) = (Vec::new(), Vec::new());
    let mut add = |parent: i64, parent_path: &str, level: &str, name: String, unions: &mut Vec<serde_json::Value>| {
        let id = next;
        next += 1;
        let path = format!("{parent_path}{id}/");
        unions.push(serde_json::json!([id, parent, level, name, path, now]));
        (id, path)
    };
    let mut streets = Vec::new();
    for d in 0..DISTRICTS {
        let (id, path) = add(city, &city_path, "district", format!("城市规模第{d:02}区总工会"), &mut unions);
        districts.push(UnionId(id));
        for s in (0..STREETS).filter(|s| s % DISTRICTS == d) {
            streets.push(add(id, &path, "street", format!("城市规模第{s:02}街道总工会"), &mut unions));
        }
    }
    for g in 0..GRASSROOTS {
        let (street, path) = streets[g % streets.len()].clone();
        let (id, _) = add(street, &path, "grassroots", format!("城市规模第{g:05}号基层工会委员会"), &mut unions);
        grassroots.push(UnionId(id));
    }
    insert_json(db, postgres, "unions", &["id", "parent_id", "level", "name", "path", "created_at"], unions).await;
    // every union's cards over the states, about 200 members each, some unions much larger
    let (mut cards, mut receipts, mut handouts, mut deliveries) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let per_union = MEMBERS / GRASSROOTS as i64;
    for (i, u) in grassroots.iter().enumerate() {
        let size = if i % 100 == 0 { per_union * 20 } else { rng.gen_range(per_union / 2..per_union * 3 / 2) };
        let mut left = size;
        for (k, state) in CardState::ALL.iter().enumerate() {
            let n = if k + 1 == CardState::ALL.len() { left } else { rng.gen_range(0..=left / 3) };
            left -= n;
            if n > 0 {
                cards.push(serde_json::json!([u.0, state.as_str(), n]));
            }
            if *state == CardState::Distributed && n > 0 {
                let received = rng.gen_range(0..=n);
                receipts.push(serde_json::json!([u.0, "received", received]));
                receipts.push(serde_json::json!([u.0, "not_received", rng.gen_range(0..=(n - received).min(3))]));
                let late = rng.gen_range(0..=n / 4);
                handouts.push(serde_json::json!([u.0, "on_time", n - late]));
                handouts.push(serde_json::json!([u.0, "late", late]));
            }
        }
    }
    // the tallies: applications and activations in some of the last 30 weeks, rejection reasons
    // given, errors of import previews
    let this_week = app::domain::calendar::Date::of_timestamp(now).unwrap().week_start();
    let reasons = app::domain::card::RejectionReason::ALL;
    let errors = [
        ("证件号码", "id_number_checksum"),
        ("证件号码", "id_number_length"),
        ("手机号码", "phone_invalid"),
        ("表头", "union_name_mismatch"),
        ("姓名", "name_required"),
    ];
    let mut tallies = Vec::new();
    for u in &grassroots {
        for w in 0..30 {
            if rng.gen_range(0..3) == 0 {
                let week = this_week.add_days(-7 * w).unwrap();
                tallies.push(serde_json::json!([u.0, Tally::Applied(week).key(), rng.gen_range(1..60)]));
                tallies.push(serde_json::json!([u.0, Tally::Activated(week).key(), rng.gen_range(1..40)]));
            }
        }
        for r in reasons {
            if rng.gen_range(0..4) == 0 {
                tallies.push(serde_json::json!([u.0, Tally::Rejection(r).key(), rng.gen_range(1..10)]));
            }
        }
        for (field, code) in errors {
            if rng.gen_range(0..3) == 0 {
                let t = Tally::ImportError { field: field.to_string(), code: code.to_string() };
                tallies.push(serde_json::json!([u.0, t.key(), rng.gen_range(1..30)]));
            }
        }
    }
    for i in 0..DELIVERIES {
        let u = grassroots[rng.gen_range(0..grassroots.len())];
        // half signed for within the last week, half 2 to 8 weeks ago (overdue)
        let days = if i % 2 == 0 { rng.gen_range(0..7) } else { rng.gen_range(14..56) };
        let signed = app::domain::calendar::Date::of_timestamp(now - days * 86_400).unwrap().to_string();
        let cards_n = rng.gen_range(20..400);
        deliveries.push(serde_json::json!([
            u.0,
            bank,
            "signed",
            now - days * 86_400,
            cards_n,
            rng.gen_range(1..=cards_n),
            signed,
            now - days * 86_400,
            now
        ]));
    }
    // each grassroots union's account, four in five past their first login; half have completed
    // their information
    let users: Vec<serde_json::Value> = grassroots
        .iter()
        .enumerate()
        .map(|(i, u)| {
            serde_json::json!([
                format!("city{i:05}"),
                format!("city{i:05}"),
                "union",
                u.0,
                "!",
                (i % 5 == 0) as i64,
                now
            ])
        })
        .collect();
    let columns =
        ["username", "display_name", "role", "union_id", "password_hash", "must_change_password", "created_at"];
    insert_json(db, postgres, "users", &columns, users).await;
    sqlx::query(
        "UPDATE unions SET credit_code = '91110000600037341L', pickup_branch = (SELECT MIN(code) FROM bank_branches) \
                 WHERE level = 'grassroots' AND name LIKE '城市规模%' AND id % 2 = 0",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    insert_json(db, postgres, "card_counts", &["union_id", "state", "n"], cards).await;
    insert_json(db, postgres, "receipt_counts", &["union_id", "answer", "n"], receipts).await;
    insert_json(db, postgres, "handout_counts", &["union_id", "timeliness", "n"], handouts).await;
    insert_json(db, postgres, "tallies", &["union_id", "tally", "n"], tallies).await;
    let columns = [
        "union_id",
        "bank_id",
        "stage",
        "scheduled_at",
        "cards",
        "outstanding",
        "signed_on",
        "signed_at",
        "created_at",
    ];
    insert_json(db, postgres, "card_deliveries", &columns, deliveries).await;
    // loaded past the writer: the subtree figures are built from the kept counts
    let mut tx = db.begin_write().await.unwrap();
    subtree::rebuild(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    sqlx::query(if postgres { "VACUUM ANALYZE" } else { "ANALYZE" }).execute(&db.pool).await.unwrap();
    println!(
        "city: {} unions ({DISTRICTS} districts, {STREETS} streets, {GRASSROOTS} grassroots), {MEMBERS} members' cards, \
         {DELIVERIES} deliveries loaded in {:.0} s",
        DISTRICTS + STREETS + GRASSROOTS,
        t.elapsed().as_secs_f64()
    );
    (districts, grassroots)
}

/// A day of the writer's moves, unfolded: `MOVES` transactions in random unions, each moving
/// one card's count from pending to submitted (the kept counts and subtree rows only).
async fn a_day_of_moves(db: &Db, grassroots: &[UnionId]) -> Duration {
    let mut rng = StdRng::seed_from_u64(7);
    let t = Instant::now();
    let mut done = 0;
    while done < MOVES {
        let u = grassroots[rng.gen_range(0..grassroots.len())];
        let pending: Option<i64> =
            sqlx::query_scalar("SELECT n FROM card_counts WHERE union_id = $1 AND state = 'pending'")
                .bind(u)
                .fetch_optional(&db.pool)
                .await
                .unwrap();
        if pending.unwrap_or(0) == 0 {
            continue;
        }
        let mut tx = db.begin_write().await.unwrap();
        bump_kept(&mut tx, app::server::cards::CARD_COUNTS, u, "pending", -1).await.unwrap();
        bump_kept(&mut tx, app::server::cards::CARD_COUNTS, u, "submitted", 1).await.unwrap();
        tx.commit().await.unwrap();
        done += 1;
    }
    t.elapsed()
}

async fn time_overview(
    engine: &str,
    client: &reqwest::Client,
    addr: std::net::SocketAddr,
    label: &str,
    union: Option<UnionId>,
    sort: &str,
) {
    let mut form = vec![("sort".to_string(), sort.to_string())];
    if let Some(u) = union {
        form.push(("union_id".into(), u.to_string()));
    }
    let mut times = Vec::new();
    let mut body = serde_json::Value::Null;
    for _ in 0..15 {
        let t = Instant::now();
        let r = client.post(format!("http://{addr}/api/overview/supervisor")).form(&form).send().await.unwrap();
        assert!(r.status().is_success(), "{label}: {}", r.status());
        // answered in postcard, as the browser reads it (app::wire); JSON for the figures below
        let bytes = r.bytes().await.unwrap();
        let overview: app::api::overview::supervisor::SupervisorOverview = postcard::from_bytes(&bytes).unwrap();
        body = serde_json::to_value(overview).unwrap();
        times.push(t.elapsed());
    }
    println!(
        "{engine}: {label}: median {:.1} ms ({} members, {} unions below, {} overdue distributions)",
        median(times).as_secs_f64() * 1000.0,
        body["members_total"],
        body["children_total"],
        body["overdue_total"]
    );
}

async fn run(engine: &str) {
    let (url, _dir) = fresh(engine).await;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    seed::seed_demo(&db).await.unwrap();
    let (districts, grassroots) = fill(&db, engine == "postgres").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = LeptosOptions::builder().output_name("unioncard").site_addr(addr).build();
    tokio::spawn(serve(listener, db.clone(), Settings::new(options)));
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    client
        .post(format!("http://{addr}/api/login"))
        .form(&[("username", "szzgh"), ("password", seed::DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    let street: UnionId = sqlx::query_scalar("SELECT MIN(id) FROM unions WHERE level = 'street' AND parent_id = $1")
        .bind(districts[0])
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let views = |when: &'static str| {
        [
            (format!("city root, {when}"), None, "name"),
            (format!("city root ordered by on-time rate, {when}"), None, "on_time"),
            (format!("a district, {when}"), Some(districts[0]), "members"),
            (format!("a street (390 grassroots unions), {when}"), Some(street), "rejected"),
        ]
    };
    for (label, union, sort) in views("folded") {
        time_overview(engine, &client, addr, &label, union, sort).await;
    }
    let moves = a_day_of_moves(&db, &grassroots).await;
    println!(
        "{engine}: {MOVES} moves through the writer (kept counts and subtree rows): {:.2} ms each",
        moves.as_secs_f64() * 1000.0 / MOVES as f64
    );
    for (label, union, sort) in views("after a day of moves, unfolded") {
        time_overview(engine, &client, addr, &label, union, sort).await;
    }
    let t = Instant::now();
    let folded = subtree::compact(&db).await.unwrap();
    println!("{engine}: fold of {folded} rows: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    assert_eq!(subtree::check(&db).await.unwrap(), vec![], "the figures agree with the kept counts");
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let only: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    for engine in ["sqlite", "postgres"].into_iter().filter(|e| only.as_deref().is_none_or(|o| o == *e)) {
        rt.block_on(run(engine));
    }
}
