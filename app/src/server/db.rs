//! One database handle for both engines: SQLite (embedded default) and PostgreSQL (production).
//! Queries are written once, with `$1` placeholders, and checked at run time.

use std::{
    str::FromStr,
    sync::{Arc, Weak},
    time::Duration,
};

use sqlx::{
    any::{install_default_drivers, AnyConnectOptions, AnyPoolOptions},
    migrate::{MigrateError, Migrator},
    Any, AnyConnection, AnyPool, Connection, Executor, Transaction,
};

use crate::error::{AppError, AppResult};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

pub const DEFAULT_URL: &str = "sqlite://data/unioncard.db";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `clause` (`" FOR UPDATE"`, `" FOR UPDATE OF c"`) to lock the rows a write transaction reads
    /// on PostgreSQL, where two transactions at once would otherwise both read them as they were;
    /// nothing on SQLite, whose write transaction (`Db::begin_write`, BEGIN IMMEDIATE) holds the
    /// database's one write lock from its start (and which has no such clause).
    pub fn row_lock(self, clause: &'static str) -> &'static str {
        match self {
            Backend::Postgres => clause,
            Backend::Sqlite => "",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// While any clone of this handle lives, SQLite's checkpointer runs (`checkpoint_in_background`).
    _alive: Arc<()>,
}

pub type Tx = Transaction<'static, Any>;

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`); a SQLite file and its folder are
    /// created on first start.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(sqlx::Error::Configuration("DATABASE_URL must start with sqlite: or postgres:".into()));
        };
        let mut url = url.to_string();
        if backend == Backend::Sqlite {
            let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
            let path = path.split('?').next().unwrap_or_default().to_string();
            if let Some(dir) = std::path::Path::new(&path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
                }
            }
            if !url.contains("mode=") {
                url.push_str(if url.contains('?') { "&mode=rwc" } else { "?mode=rwc" });
            }
        }
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(15))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(sqlx::raw_sql(
                            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                             PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                             PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY; \
                             PRAGMA wal_autocheckpoint = 65536; PRAGMA journal_size_limit = 67108864;",
                        ))
                        .await?;
                    } else {
                        // Queries here are short: compiling one with LLVM (past jit_above_cost, as
                        // a count over a 100,000-member union is) costs more than it saves.
                        conn.execute("SET jit = off").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let alive = Arc::new(());
        // (an in-memory database is a different one on every connection: nothing to copy)
        if backend == Backend::Sqlite && !url.contains(":memory:") && !url.contains("mode=memory") {
            tokio::spawn(checkpoint_in_background(url, Arc::downgrade(&alive)));
        }
        Ok(Db { pool, backend, _alive: alive })
    }

    pub async fn migrate(&self) -> Result<(), MigrateError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await,
        }?;
        // the State Council's published calendar years the table lacks (never one already there)
        super::calendar::seed_if_missing(self).await.map(drop).map_err(MigrateError::Execute)
    }

    /// Before a command-line run exits: SQLite's log copied into the database file and emptied
    /// (a backup of the file alone then holds everything), and the connections closed.
    pub async fn close(&self) {
        if self.backend == Backend::Sqlite {
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await {
                tracing::warn!(error = %e, "SQLite checkpoint at exit failed");
            }
        }
        self.pool.close().await;
    }

    /// A transaction that will write. SQLite takes the write lock up front (BEGIN IMMEDIATE), so
    /// two writers queue on the busy timeout instead of failing when a read turns into a write.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }
}

/// Copies SQLite's write-ahead log back into the database file once a second, on a connection of
/// its own, for as long as the `Db` lives. SQLite's default is that the connection whose commit
/// takes the log past 1,000 pages does it, inside that commit: committing a 100,000-member import
/// spent 0.32 s of its 1.8 s copying the log (and a preview's stored upload about as much), while
/// the clerk waited. A passive checkpoint waits for no reader or writer. The pool's connections
/// leave the copy to this task up to 65,536 pages (256 MB) of log: past that, should this task
/// be failing (it reconnects every second) or behind, a commit copies it, as SQLite does by
/// default but in one larger copy. The log file is cut back to 64 MB after a checkpoint
/// (`journal_size_limit`). The work is moved off the request, not removed: it runs a second
/// later on the same cores. `Db::close` copies the rest before a command-line run exits.
async fn checkpoint_in_background(url: String, alive: Weak<()>) {
    let mut conn: Option<AnyConnection> = None;
    // one log line when checkpoints start failing and one when they work again, not one a second
    let mut failing = false;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if alive.strong_count() == 0 {
            break;
        }
        if conn.is_none() {
            match AnyConnection::connect(&url).await {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    if !failing {
                        tracing::error!(error = %e, "the SQLite checkpointer cannot connect; retrying every second");
                        failing = true;
                    }
                    continue;
                }
            }
        }
        let Some(c) = conn.as_mut() else { continue };
        match c.execute("PRAGMA wal_checkpoint(PASSIVE)").await {
            Ok(_) if failing => {
                tracing::info!("SQLite checkpoints work again");
                failing = false;
            }
            Ok(_) => {}
            Err(e) => {
                if !failing {
                    tracing::warn!(error = %e, "SQLite checkpoint failed; reconnecting");
                    failing = true;
                }
                conn = None;
            }
        }
    }
    if let Some(c) = conn {
        let _ = c.close().await;
    }
}

/// Seconds since the Unix epoch: how every timestamp is stored.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Whether an error is a unique-constraint violation (an id or a name already taken).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

/// A unique violation turned into the answer the user should read (mostly a field error:
/// "this name is taken"); any other database error stays an internal one. The one place where a
/// constraint becomes a message.
pub trait OnUnique<T> {
    fn on_unique(self, answer: impl FnOnce() -> AppError) -> AppResult<T>;
}

impl<T> OnUnique<T> for Result<T, sqlx::Error> {
    #[track_caller]
    fn on_unique(self, answer: impl FnOnce() -> AppError) -> AppResult<T> {
        match self {
            Ok(v) => Ok(v),
            Err(e) if is_unique_violation(&e) => Err(answer()),
            Err(e) => Err(AppError::from(e)),
        }
    }
}

/// `%text%` for `LIKE … ESCAPE '\\'`, with the user's `%`, `_` and `\\` taken literally.
pub fn like_contains(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// A kept count per union and key: `table(union_id, <column>, n)` with `CHECK (n >= 0)`.
#[derive(Debug, Clone, Copy)]
pub struct KeptCount {
    pub table: &'static str,
    pub column: &'static str,
}

/// Moves the kept count of `union` for `key` by `delta`, in the caller's transaction, and the
/// same figure of the union and every union above it (`subtree_counts`, see
/// [`super::subtree`]). A count that would go below zero, or a decrement of a count never kept,
/// is refused by the database (the table's CHECK, or no row to update): the transaction fails
/// rather than keep a wrong figure.
pub async fn bump_kept(
    tx: &mut Tx,
    kept: KeptCount,
    union: crate::domain::ids::UnionId,
    key: &str,
    delta: i64,
) -> Result<(), sqlx::Error> {
    let KeptCount { table, column } = kept;
    if delta > 0 {
        sqlx::query(&format!(
            "INSERT INTO {table} (union_id, {column}, n) VALUES ($1, $2, $3) \
             ON CONFLICT (union_id, {column}) DO UPDATE SET n = {table}.n + excluded.n"
        ))
        .bind(union)
        .bind(key)
        .bind(delta)
        .execute(&mut **tx)
        .await?;
    } else if delta < 0 {
        // an upsert's proposed row (n < 0) would fail the CHECK before its conflict is seen
        let done = sqlx::query(&format!("UPDATE {table} SET n = n + $3 WHERE union_id = $1 AND {column} = $2"))
            .bind(union)
            .bind(key)
            .bind(delta)
            .execute(&mut **tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(sqlx::Error::Protocol(format!("no kept count in {table} of union {union} for {key}")));
        }
    }
    if delta != 0 {
        super::subtree::record(tx, table, union, key, delta).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With the commits no longer copying the log back, the background task must: the database
    /// file grows to hold what was written without anyone committing again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_checkpointer_copies_the_log_into_the_database_file() {
        let dir = std::env::temp_dir().join(format!("unioncard-checkpoint-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let file = dir.join("db.sqlite");
        let db = Db::connect(&format!("sqlite://{}", file.display())).await.unwrap();
        let pages: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint").fetch_one(&db.pool).await.unwrap();
        assert_eq!(pages, 65_536, "commits leave the log to the checkpointer up to 256 MB");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&db.pool).await.unwrap();
        assert_eq!(mode, "wal", "the log is a write-ahead log (else commits write the file directly)");

        let before = std::fs::metadata(&file).unwrap().len();
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("CREATE TABLE filler (t TEXT)").execute(&mut *tx).await.unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) \
             INSERT INTO filler SELECT printf('%0200d', i) FROM n",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let mut grown = 0;
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            grown = std::fs::metadata(&file).unwrap().len();
            if grown > before + 4_000_000 {
                break;
            }
        }
        assert!(grown > before + 4_000_000, "4 MB written reached the database file: {before} → {grown} bytes");
        drop(db);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
