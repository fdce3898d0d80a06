//! Upgrades of a database that already holds data: the migrations run over rows written in the
//! shape the earlier migrations left, and nothing a union or the bank recorded is lost.

use std::borrow::Cow;

use app::{
    domain::card::CardState,
    server::{cards::check_counts, Db},
};
use sqlx::migrate::Migrator;

use crate::common::{fresh_database, Engine};

/// The database at `engine` migrated up to (not including) migration `version`.
async fn migrated_before(engine: Engine, version: i64) -> (Db, Option<tempfile::TempDir>) {
    let (url, dir) = fresh_database(engine).await;
    let db = Db::connect(&url).await.unwrap();
    let folder = match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres | Engine::PostgresZhCn => "postgres",
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(folder);
    let mut old = Migrator::new(path).await.unwrap();
    old.migrations = Cow::Owned(old.migrations.iter().filter(|m| m.version < version).cloned().collect());
    old.run(&db.pool).await.unwrap();
    (db, dir)
}

/// Migration 0015 moves each member's card (state, batch, delivery, card number's last four
/// digits) to the cards table: every card keeps what it had, its history stays, the kept counts
/// still agree, and the members table no longer has the columns.
async fn cards_move_to_their_own_table_with_what_they_had(engine: Engine) {
    let (db, _dir) = migrated_before(engine, 15).await;
    for sql in [
        "INSERT INTO unions (id, level, name, path, created_at) VALUES (1, 'grassroots', '迁移测试工会', '/1/', 0)",
        "INSERT INTO members (id, union_id, name, id_type, id_number, phone, card_state, card_tail, created_at, updated_at) \
         VALUES (11, 1, '甲', '01', 'A1', '13900000001', 'pending', NULL, 0, 5), \
                (12, 1, '乙', '01', 'A2', '13900000002', 'distributed', '4321', 0, 6), \
                (13, 1, '丙', '01', 'A3', '13900000003', 'rejected', NULL, 0, 7)",
        "INSERT INTO card_events (member_id, from_state, to_state, at) VALUES (12, 'awaiting_distribution', 'distributed', 6)",
        "INSERT INTO card_counts (union_id, state, n) VALUES (1, 'pending', 1), (1, 'distributed', 1), (1, 'rejected', 1)",
    ] {
        sqlx::query(sql).execute(&db.pool).await.unwrap();
    }
    db.migrate().await.unwrap();

    let cards: Vec<(i64, CardState, Option<String>, i64)> = sqlx::query_as(
        "SELECT member_id, state, card_tail, updated_at FROM cards WHERE union_id = 1 ORDER BY member_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        cards,
        vec![
            (11, CardState::Pending, None, 5),
            (12, CardState::Distributed, Some("4321".into()), 6),
            (13, CardState::Rejected, None, 7)
        ]
    );
    let events: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM card_events WHERE member_id = 12").fetch_one(&db.pool).await.unwrap();
    assert_eq!(events, 1, "the card's history stays");
    assert_eq!(check_counts(&db).await.unwrap(), vec![], "the kept counts agree with the cards");
    assert_eq!(app::server::subtree::check(&db).await.unwrap(), vec![], "subtree figures differ from their unions");
    assert_eq!(app::server::unions::check_progress(&db).await.unwrap(), vec![], "unions' set-up differs");
    let gone = sqlx::query("SELECT card_state FROM members").execute(&db.pool).await;
    assert!(gone.is_err(), "members.card_state is gone");
    assert_eq!(app::server::cards::unpaired(&db, 10).await.unwrap(), (vec![], vec![]), "every member has its card");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cards_move_to_their_own_table_on_sqlite() {
    cards_move_to_their_own_table_with_what_they_had(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cards_move_to_their_own_table_on_postgres() {
    cards_move_to_their_own_table_with_what_they_had(Engine::Postgres).await
}
