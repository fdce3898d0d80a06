//! Test harness: the real server on port 0 with a fresh database per test, on SQLite or
//! PostgreSQL, and a client that keeps its cookies like a browser.

#![allow(dead_code)]

use std::net::SocketAddr;

use app::server::Db;
use leptos::config::LeptosOptions;
use reqwest::{redirect::Policy, StatusCode};
use serde_json::Value;
use sqlx::{any::install_default_drivers, AnyConnection, Connection, Executor};
use unioncard_server::{seed, serve, Settings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
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
        Engine::Postgres => {
            install_default_drivers();
            let admin = admin_url();
            let name = format!("unioncard_test_{:016x}", rand::random::<u64>());
            let mut conn = AnyConnection::connect(&admin)
                .await
                .expect("PostgreSQL must run at 127.0.0.1:5432 (scripts/test.sh starts it)");
            conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            (format!("{base}/{name}"), None)
        }
    }
}

/// Starts a server on an existing database (migrating it).
pub async fn start_on(url: &str) -> (String, Db) {
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr: SocketAddr = listener.local_addr().unwrap();
    let options = LeptosOptions::builder().output_name("unioncard").site_addr(addr).build();
    let settings = Settings { leptos_options: options, secure_cookies: false };
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

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap()
}

pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
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
    /// Calls a server function the way a form does.
    pub async fn call(&self, client: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        let res = client.post(format!("{}/api/{endpoint}", self.base)).form(form).send().await.expect("request");
        let status = res.status();
        let location = res.headers().get("location").and_then(|v| v.to_str().ok()).map(String::from);
        let text = res.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, location, body }
    }

    pub async fn login(&self, username: &str, password: &str) -> (reqwest::Client, Reply) {
        let c = client();
        let r = self.call(&c, "login", &[("username", username), ("password", password)]).await;
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
}

/// Runs one test body on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(super::common::spawn(super::common::Engine::Sqlite).await).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(super::common::spawn(super::common::Engine::Postgres).await).await
                }
            }
        )*
    };
}
pub mod workbook;
