//! Test harness: the real server on port 0 with a fresh database per test, on SQLite or
//! PostgreSQL, a client that keeps its cookies like a browser, and typed server-function calls.

#![allow(dead_code)]

pub mod workbook;

use std::net::SocketAddr;

use app::{
    api::{accounts::CreateAccount, auth::Login, imports::ImportPreview, members::ListMembers},
    domain::{card::CardState, ids::UnionId},
    error::AppError,
    server::Db,
};
use leptos::{config::LeptosOptions, server_fn::ServerFn};
use reqwest::{header::HeaderMap, redirect::Policy, StatusCode};
use serde_json::Value;
use sqlx::{any::install_default_drivers, AnyConnection, Connection, Executor};
use unioncard_server::{seed, serve, Settings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
    /// PostgreSQL in a database created with the glibc collation `zh_CN.UTF-8`, which orders
    /// text ignoring punctuation such as `/` (a common production default).
    PostgresZhCn,
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

fn admin_url() -> String {
    std::env::var("UNIONCARD_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A new, empty database URL for one test.
pub async fn fresh_database(engine: Engine) -> (String, Option<tempfile::TempDir>) {
    match engine {
        Engine::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}/test.db", dir.path().display());
            (url, Some(dir))
        }
        Engine::Postgres | Engine::PostgresZhCn => {
            install_default_drivers();
            let admin = admin_url();
            let name = format!("unioncard_test_{:016x}", rand::random::<u64>());
            let mut conn = AnyConnection::connect(&admin)
                .await
                .expect("PostgreSQL must run at 127.0.0.1:5432 (scripts/test.sh starts it)");
            let create = match engine {
                Engine::PostgresZhCn => format!(
                    "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' \
                     LC_COLLATE 'zh_CN.UTF-8' LC_CTYPE 'zh_CN.UTF-8'"
                ),
                _ => format!("CREATE DATABASE {name}"),
            };
            conn.execute(create.as_str()).await.expect(
                "create test database (the zh_CN.UTF-8 one needs the locale generated before PostgreSQL \
                 started: scripts/test.sh sets it up)",
            );
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            (format!("{base}/{name}"), None)
        }
    }
}

/// Starts a server on an existing database (migrating it).
pub async fn start_on(url: &str) -> (String, Db) {
    start_with(url, None).await
}

/// Starts a server on an existing database, its SMS codes POSTed to `sms_url`.
pub async fn start_with(url: &str, sms_url: Option<String>) -> (String, Db) {
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr: SocketAddr = listener.local_addr().unwrap();
    let options = LeptosOptions::builder().output_name("unioncard").site_addr(addr).build();
    let settings = Settings { sms_url, ..Settings::new(options) };
    tokio::spawn(serve(listener, db.clone(), settings));
    (format!("http://{addr}"), db)
}

/// A server on a fresh database with the demo city loaded.
pub async fn spawn(engine: Engine) -> TestApp {
    let (url, dir) = fresh_database(engine).await;
    let (base, db) = start_on(&url).await;
    seed::seed_demo(&db).await.expect("seed");
    TestApp { base, db, url, _dir: dir }
}

/// A server on a fresh database with the demo city loaded, its SMS codes POSTed to `sms_url`.
pub async fn spawn_with_sms(engine: Engine, sms_url: String) -> TestApp {
    let (url, dir) = fresh_database(engine).await;
    let (base, db) = start_with(&url, Some(sms_url)).await;
    seed::seed_demo(&db).await.expect("seed");
    TestApp { base, db, url, _dir: dir }
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        // an answer that never comes fails its test instead of holding the whole run
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap()
}

pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The error kind of a failed call (`unauthenticated`, `forbidden`, …).
    pub fn kind(&self) -> Option<&str> {
        self.body.get("kind").and_then(Value::as_str)
    }
    pub fn field_message(&self, field: &str) -> Option<String> {
        self.body["errors"]
            .as_array()?
            .iter()
            .find(|e| e["field"] == field)
            .map(|e| e["message"].as_str().unwrap_or("").to_string())
    }
}

impl TestApp {
    /// Calls a server function the way its form does: its own argument struct, encoded as
    /// server_fn's `PostUrl` encodes it, posted to its own path. A renamed argument or endpoint
    /// fails to compile here.
    ///
    /// The answer is read the way the browser reads it (postcard, `app::wire`: the answer type,
    /// or `AppError` for a refusal) and turned into JSON for the assertions (an error as
    /// `AppError::to_json` writes it, `{"kind": …}`). A redirect or anything else unreadable
    /// (an HTML page, a plain route's text) stays as its text.
    pub async fn call_fn<F>(&self, client: &reqwest::Client, args: F) -> Reply
    where
        F: ServerFn + serde::Serialize,
        F::Output: serde::de::DeserializeOwned + serde::Serialize,
    {
        let body = serde_qs::to_string(&args).expect("encode the arguments");
        let res = client
            .post(format!("{}{}", self.base, F::PATH))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let location = headers.get("location").and_then(|v| v.to_str().ok()).map(String::from);
        let postcard = headers.get("content-type").is_some_and(|t| t == "application/x-postcard");
        let bytes = res.bytes().await.unwrap();
        let body = match postcard {
            true if status.is_success() => {
                let answer: F::Output = postcard::from_bytes(&bytes).expect("the answer reads as its type");
                serde_json::to_value(answer).expect("the answer as JSON")
            }
            true => postcard::from_bytes::<AppError>(&bytes).expect("the refusal reads as AppError").to_json(),
            false => Value::String(String::from_utf8_lossy(&bytes).into_owned()),
        };
        Reply { status, location, headers, body }
    }

    pub async fn login(&self, username: &str, password: &str) -> (reqwest::Client, Reply) {
        let c = client();
        let r = self.call_fn(&c, Login { username: username.into(), password: password.into() }).await;
        (c, r)
    }

    /// Logs in, asserting success.
    pub async fn login_ok(&self, username: &str, password: &str) -> reqwest::Client {
        let (c, r) = self.login(username, password).await;
        assert!(r.status.is_success() && r.kind().is_none(), "login {username}: {:?}", r.body);
        c
    }

    pub async fn get_page(&self, client: &reqwest::Client, path: &str) -> (StatusCode, String) {
        let res = client.get(format!("{}{path}", self.base)).send().await.expect("request");
        (res.status(), res.text().await.unwrap())
    }

    /// A second server on the same database, as a second instance behind a load balancer.
    pub async fn another_instance(&self) -> TestApp {
        let (base, db) = start_on(&self.url).await;
        TestApp { base, db, url: self.url.clone(), _dir: None }
    }

    /// Posts a member file to the upload route (a plain route, not a server function).
    pub async fn upload(&self, c: &reqwest::Client, name: &str, bytes: Vec<u8>) -> (u16, Value) {
        let r = c.post(format!("{}/api/import/upload?name={name}", self.base)).body(bytes).send().await.unwrap();
        // answered as server functions answer (postcard), read back into JSON for the assertions
        let status = r.status().as_u16();
        let bytes = r.bytes().await.unwrap();
        let body = match status {
            200 => serde_json::to_value(postcard::from_bytes::<ImportPreview>(&bytes).expect("a preview")).unwrap(),
            _ => postcard::from_bytes::<AppError>(&bytes)
                .map(|e| e.to_json())
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned())),
        };
        (status, body)
    }

    /// Members in the database, all unions.
    pub async fn member_count(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM members").fetch_one(&self.db.pool).await.unwrap()
    }

    /// Rows of `members` of the union named `union_name`.
    pub async fn members_of(&self, union_name: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM members m JOIN unions u ON u.id = m.union_id WHERE u.name = $1")
            .bind(union_name)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    /// The id of the union named `name`.
    pub async fn union_id(&self, name: &str) -> UnionId {
        sqlx::query_scalar("SELECT id FROM unions WHERE name = $1").bind(name).fetch_one(&self.db.pool).await.unwrap()
    }

    /// A second bank, with no branch of its own, and a signed-in officer of it (`otherbank`).
    pub async fn another_bank(&self) -> reqwest::Client {
        use app::server::{
            accounts::{self, NewAccount},
            auth::hash_password,
        };
        let mut tx = self.db.begin_write().await.unwrap();
        let other: i64 = sqlx::query_scalar("INSERT INTO banks (name) VALUES ('另一家银行') RETURNING id")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let hash = hash_password(seed::DEMO_PASSWORD.into()).await.unwrap();
        let account = NewAccount {
            username: "otherbank",
            display_name: "另一家银行",
            role: app::domain::role::Role::Bank,
            union_id: None,
            bank_id: Some(app::domain::ids::BankId(other)),
            member_id: None,
            password_hash: &hash,
            must_change_password: false,
            created_by: None,
        };
        accounts::insert(&mut tx, &account).await.unwrap();
        tx.commit().await.unwrap();
        self.login_ok("otherbank", seed::DEMO_PASSWORD).await
    }

    /// Creates a grassroots account below 福田区总工会 as the supervisor `sup`; returns (username,
    /// initial password).
    pub async fn create_grassroots(&self, sup: &reqwest::Client, username: &str, union_name: &str) -> (String, String) {
        let district_id = self.union_id("福田区总工会").await;
        let r = self
            .call_fn(
                sup,
                CreateAccount {
                    parent_id: district_id,
                    level: "grassroots".into(),
                    union_name: union_name.into(),
                    username: username.into(),
                },
            )
            .await;
        assert!(r.kind().is_none(), "create: {:?}", r.body);
        (r.body["username"].as_str().unwrap().into(), r.body["initial_password"].as_str().unwrap().into())
    }
}

/// The member list's arguments.
pub fn list_members(query: &str, state: Option<CardState>, department: &str, page: i64) -> ListMembers {
    ListMembers { query: query.into(), state, department: department.into(), page }
}

/// Runs each named test body (an `async fn(TestApp)` of the module it is used in) on SQLite and
/// on PostgreSQL; `on_every_collation!` also on PostgreSQL in a `zh_CN.UTF-8` database.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::common::spawn($crate::common::Engine::Sqlite).await).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::common::spawn($crate::common::Engine::Postgres).await).await
                }
            }
        )*
    };
}

macro_rules! on_every_collation {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::common::spawn($crate::common::Engine::Sqlite).await).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::common::spawn($crate::common::Engine::Postgres).await).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres_zh_cn() {
                    super::$name($crate::common::spawn($crate::common::Engine::PostgresZhCn).await).await
                }
            }
        )*
    };
}

/// A form post as a browser sends it without scripts: urlencoded fields, `Accept: text/html`,
/// the page it came from as the Referer. Answers (status, Location).
pub async fn post_form(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    from: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let r = c
        .post(format!("{}/api/{path}", app.base))
        .form(fields)
        .header("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .header("referer", format!("{}{}", app.base, from.strip_prefix(&app.base).unwrap_or(from)))
        .send()
        .await
        .unwrap();
    let to = r.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (r.status().as_u16(), to)
}

/// The page up to `</html>` when it loads no script: no script element in the document, no
/// wasm or JS file named. (The framework appends its empty data stubs after `</html>` on every
/// page; nothing reads them here.) Empty when the page has a script.
pub fn script_free(page: &str) -> &str {
    let doc = page.split("</html>").next().unwrap_or("");
    if doc.contains("<script") || page.contains(".wasm") || page.contains(".js") || page.contains("modulepreload") {
        ""
    } else {
        doc
    }
}

/// Follows a redirect's Location (absolute, or a path) to the page it names.
pub async fn follow(app: &TestApp, c: &reqwest::Client, location: &str) -> String {
    let path = location.strip_prefix(&app.base).unwrap_or(location);
    let (status, html) = app.get_page(c, path).await;
    assert!(status.is_success(), "{path}: {status}");
    html
}
