//! Card state and the kept card counts (`card_counts`, written only by `app::server::cards`):
//! they agree with the members table after every writer, `unioncard counts check` says so or
//! names the difference, the database refuses a state the code does not know, a state read back
//! that the code does not know is an internal error, and a move or a removal applies once.

use app::{
    api::{
        auth::WhoAmI,
        imports::CommitImport,
        member_portal::GetMyCard,
        members::{DeleteMember, GetMember},
        overview::union::GetUnionOverview,
    },
    domain::{
        card::CardState,
        ids::{MemberId, UnionId},
    },
    error::AppError,
    server::{
        cards::{check_counts, move_cards, CardChange, Move, Selection},
        db::Backend,
    },
};
use unioncard_server::seed::{DEMO_PASSWORD, UNION_A, UNION_B};

use crate::common::{
    list_members,
    workbook::{resident_id, workbook},
    TestApp,
};

on_both_engines!(
    the_kept_counts_agree_with_the_members_after_the_seed_an_import_and_a_delete,
    the_counts_check_command_says_they_agree_or_names_each_difference,
    the_database_refuses_a_card_state_the_code_does_not_know,
    a_stored_value_the_code_does_not_know_is_an_internal_error_not_a_default,
    two_deletes_of_the_same_member_at_once_remove_it_once,
    a_card_move_applies_once_and_only_where_the_lifecycle_allows,
);

/// The union's members in `state`, by id.
async fn members_in(app: &TestApp, union: UnionId, state: CardState) -> Vec<MemberId> {
    sqlx::query_scalar("SELECT member_id FROM cards WHERE union_id = $1 AND state = $2 ORDER BY member_id")
        .bind(union)
        .bind(state)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

async fn card_events(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM card_events").fetch_one(&app.db.pool).await.unwrap()
}

async fn kept_counts(app: &TestApp) -> Vec<(UnionId, String, i64)> {
    sqlx::query_as("SELECT union_id, state, n FROM card_counts ORDER BY union_id, state")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

/// No kept count differs from a recount, and each union's overview (as its own account sees it)
/// shows as many members, and as many in each state, as the members table holds.
async fn assert_counts_agree(app: &TestApp, when: &str) {
    let differences = check_counts(&app.db).await.unwrap();
    assert!(differences.is_empty(), "{when}: {differences:?}");
    for (user, union_name) in [("shili", UNION_A), ("yangban", UNION_B)] {
        let c = app.login_ok(user, DEMO_PASSWORD).await;
        let o = app.call_fn(&c, GetUnionOverview {}).await;
        let rows = app.members_of(union_name).await;
        assert_eq!(o.body["members_total"].as_i64(), Some(rows), "{when}, {union_name}: {:?}", o.body);
        let union = app.union_id(union_name).await;
        for s in o.body["by_state"].as_array().unwrap() {
            let state: CardState = serde_json::from_value(s["state"].clone()).unwrap();
            let in_state = members_in(app, union, state).await.len() as i64;
            assert_eq!(s["count"].as_i64(), Some(in_state), "{when}, {union_name}, {state:?}");
        }
    }
}

async fn the_kept_counts_agree_with_the_members_after_the_seed_an_import_and_a_delete(app: TestApp) {
    assert_counts_agree(&app, "after the demo seed").await;
    assert!(app.members_of(UNION_A).await > 0, "the demo union has members");

    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let file = workbook(
        UNION_A,
        &[
            ["张三", &resident_id("44030519900101123"), "13912345678", "生产部"],
            ["李四", &resident_id("44030519910202234"), "13912345679", ""],
        ],
    );
    let (status, p) = app.upload(&c, "members.xlsx", file).await;
    assert_eq!(status, 200, "{p}");
    let before = app.members_of(UNION_A).await;
    let done = app.call_fn(&c, CommitImport { import_id: p["import_id"].as_str().unwrap().into() }).await;
    assert_eq!(done.body["imported"], 2, "{:?}", done.body);
    assert_eq!(app.members_of(UNION_A).await, before + 2);
    assert_counts_agree(&app, "after a committed import").await;

    let union = app.union_id(UNION_A).await;
    let removable =
        [members_in(&app, union, CardState::Pending).await, members_in(&app, union, CardState::Rejected).await];
    assert!(removable.iter().all(|ids| !ids.is_empty()), "the demo union has pending and rejected members");
    for id in removable.iter().map(|ids| ids[0]) {
        let gone = app.call_fn(&c, DeleteMember { id }).await;
        assert!(gone.kind().is_none(), "{:?}", gone.body);
    }
    assert_eq!(app.members_of(UNION_A).await, before);
    assert_counts_agree(&app, "after deleting a pending and a rejected member").await;
}

async fn the_counts_check_command_says_they_agree_or_names_each_difference(app: TestApp) {
    let check = || async {
        let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_unioncard"))
            .env("DATABASE_URL", &app.url)
            .args(["counts", "check"])
            .output()
            .await
            .unwrap();
        (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, stdout) = check().await;
    assert_eq!((code, stdout.trim()), (0, "办卡统计与会员记录一致。"));

    let union = app.union_id(UNION_A).await;
    let pending = members_in(&app, union, CardState::Pending).await.len() as i64;
    assert!(pending > 0);
    sqlx::query("UPDATE card_counts SET n = n + 1 WHERE union_id = $1 AND state = 'pending'")
        .bind(union)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (code, stdout) = check().await;
    assert_eq!(code, 1, "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    // the changed count no longer agrees with the cards, and the union's figure and those of
    // every union above it (kept by the writer) no longer agree with the changed count
    let (path,): (String,) =
        sqlx::query_as("SELECT path FROM unions WHERE id = $1").bind(union).fetch_one(&app.db.pool).await.unwrap();
    let mut expected =
        vec![format!("{UNION_A}（{union}）{}：统计 {}，实际 {pending}", CardState::Pending.label(), pending + 1)];
    for node in app::server::subtree::path_ids(&path) {
        let (name,): (String,) =
            sqlx::query_as("SELECT name FROM unions WHERE id = $1").bind(node).fetch_one(&app.db.pool).await.unwrap();
        let all: i64 = sqlx::query_scalar(
            "SELECT CAST(SUM(c.n) AS BIGINT) FROM card_counts c JOIN unions u ON u.id = c.union_id \
             WHERE c.state = 'pending' AND u.path LIKE $1",
        )
        .bind(format!("%/{node}/%"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        expected.push(format!(
            "{name}（{node}）及其下级{}：统计 {}，逐个工会合计 {all}",
            CardState::Pending.label(),
            all - 1
        ));
    }
    expected.push(format!("共 {} 处不一致。", expected.len()));
    assert_eq!(lines, expected);
    let differences = check_counts(&app.db).await.unwrap();
    assert_eq!(differences.len(), 1, "{differences:?}");
    let d = &differences[0];
    assert_eq!(
        (d.union, d.union_name.as_str(), d.state, d.kept, d.counted),
        (union, UNION_A, CardState::Pending, pending + 1, pending)
    );

    // a card lost by hand (the database does not tie a card to its member): the member is named
    sqlx::query("UPDATE card_counts SET n = n - 1 WHERE union_id = $1 AND state = 'pending'")
        .bind(union)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let lost = members_in(&app, union, CardState::Pending).await[0];
    sqlx::query("DELETE FROM cards WHERE member_id = $1").bind(lost).execute(&app.db.pool).await.unwrap();
    let (code, stdout) = check().await;
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains(&format!("没有会员服务卡记录的会员（编号）：{lost}")), "{stdout}");
}

async fn the_database_refuses_a_card_state_the_code_does_not_know(app: TestApp) {
    let union = app.union_id(UNION_A).await;
    let id = members_in(&app, union, CardState::Pending).await[0];
    for bogus in ["bogus", "Pending", ""] {
        let err = sqlx::query("UPDATE cards SET state = $1 WHERE member_id = $2")
            .bind(bogus)
            .bind(id)
            .execute(&app.db.pool)
            .await
            .expect_err("an unknown card state is refused");
        assert!(err.to_string().contains("state"), "{bogus:?}: {err}");
    }
    let state: String = sqlx::query_scalar("SELECT state FROM cards WHERE member_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(state, "pending");

    // the same new card with a known state goes through (rolled back), with an unknown one it does not
    let db = &app.db;
    let insert = |state: &'static str| async move {
        let mut tx = db.begin_write().await.unwrap();
        let member: MemberId = sqlx::query_scalar(
            "INSERT INTO members (union_id, name, id_type, id_number, phone, created_at, updated_at) \
             VALUES ($1, '测试', '', $2, '13900000000', 0, 0) RETURNING id",
        )
        .bind(union)
        .bind(resident_id("44030519800808888"))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let card = sqlx::query("INSERT INTO cards (union_id, member_id, state, updated_at) VALUES ($1, $2, $3, 0)")
            .bind(union)
            .bind(member)
            .bind(state)
            .execute(&mut *tx)
            .await;
        tx.rollback().await.unwrap();
        card
    };
    insert("pending").await.expect("a known state is accepted");
    let err = insert("bogus").await.expect_err("an unknown card state is refused");
    assert!(err.to_string().contains("state"), "{err}");
    let inserted: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE name = '测试'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(inserted, 0);

    // a role is checked by the database too (a CHECK on both engines)
    let err = sqlx::query("UPDATE users SET role = 'auditor' WHERE username = 'yangban'")
        .execute(&app.db.pool)
        .await
        .expect_err("an unknown role is refused");
    assert!(err.to_string().contains("role"), "{err}");
    assert!(check_counts(&app.db).await.unwrap().is_empty());
    assert_eq!(app::server::subtree::check(&app.db).await.unwrap(), vec![], "subtree figures differ from their unions");
}

/// What the database's checks refuse can still be met (a row written before them, by hand, by
/// another program): with the check taken away, the value read back is an internal error,
/// logged, never a default and never explained to the user.
async fn a_stored_value_the_code_does_not_know_is_an_internal_error_not_a_default(app: TestApp) {
    let union_client = app.login_ok("shili", DEMO_PASSWORD).await;
    let member_client = app.login_ok("member", DEMO_PASSWORD).await;
    let yangban = app.login_ok("yangban", DEMO_PASSWORD).await;
    let union = app.union_id(UNION_A).await;
    let id: MemberId =
        sqlx::query_scalar("SELECT id FROM members WHERE name = '黄丽'").fetch_one(&app.db.pool).await.unwrap();
    // the card state: the PostgreSQL CHECK removed, SQLite's ignored for one statement
    unchecked(&app, "cards_state_check", &format!("UPDATE cards SET state = 'lost_in_post' WHERE member_id = {id}"))
        .await;

    assert_eq!(app::server::members::own(&app.db, union, id).await.map(|_| ()), Err(AppError::Internal));
    let replies = [
        ("members/list", app.call_fn(&union_client, list_members("黄丽", None, "", 1)).await),
        ("members/get", app.call_fn(&union_client, GetMember { id }).await),
        ("me/card", app.call_fn(&member_client, GetMyCard {}).await),
    ];
    for (endpoint, r) in replies {
        assert_eq!((r.status.as_u16(), r.kind()), (500, Some("internal")), "{endpoint}: {:?}", r.body);
        let text = r.body.to_string();
        for leak in ["lost_in_post", "card_state", "SELECT", "members", "decode"] {
            assert!(!text.contains(leak), "{endpoint} says {leak}: {text}");
        }
    }
    // the rest of the union's list still reads
    let others = app.call_fn(&union_client, list_members("", Some(CardState::Rejected), "", 1)).await;
    assert!(others.kind().is_none(), "{:?}", others.body);

    // a role: the CHECK removed on PostgreSQL, ignored for one statement on SQLite (where a
    // column's CHECK cannot be dropped without rebuilding the table)
    unchecked(&app, "users_role_check", "UPDATE users SET role = 'auditor' WHERE username = 'yangban'").await;
    let (_, login) = app.login("yangban", DEMO_PASSWORD).await;
    let signed_in = app.call_fn(&yangban, WhoAmI {}).await;
    let overview = app.call_fn(&yangban, GetUnionOverview {}).await;
    for (what, r) in [("login", login), ("me", signed_in), ("overview/union", overview)] {
        assert_eq!((r.status.as_u16(), r.kind()), (500, Some("internal")), "{what}: {:?}", r.body);
        let text = r.body.to_string();
        assert!(!text.contains("auditor") && !text.contains("role") && !text.contains("users"), "{what}: {text}");
    }
}

/// Runs `sql` past a CHECK: on PostgreSQL the constraint `check` is dropped first; on SQLite,
/// where a column's CHECK cannot be dropped without rebuilding the table, checks are ignored for
/// the one statement.
async fn unchecked(app: &TestApp, check: &str, sql: &str) {
    match app.db.backend {
        Backend::Postgres => {
            let table = check.split('_').next().unwrap();
            sqlx::query(&format!("ALTER TABLE {table} DROP CONSTRAINT {check}")).execute(&app.db.pool).await.unwrap();
            sqlx::query(sql).execute(&app.db.pool).await.unwrap();
        }
        Backend::Sqlite => {
            let mut conn = app.db.pool.acquire().await.unwrap();
            sqlx::query("PRAGMA ignore_check_constraints = ON").execute(&mut *conn).await.unwrap();
            let done = sqlx::query(sql).execute(&mut *conn).await;
            sqlx::query("PRAGMA ignore_check_constraints = OFF").execute(&mut *conn).await.unwrap();
            done.unwrap();
        }
    }
}

async fn two_deletes_of_the_same_member_at_once_remove_it_once(app: TestApp) {
    let first = app.login_ok("shili", DEMO_PASSWORD).await;
    let second = app.login_ok("shili", DEMO_PASSWORD).await;
    let union = app.union_id(UNION_A).await;
    // every member the union may remove: those in 未办卡—待办卡 and in 未办卡—待处理
    let mut removable = members_in(&app, union, CardState::Pending).await;
    removable.extend(members_in(&app, union, CardState::Rejected).await);
    assert!(removable.len() >= 2, "{removable:?}");
    let before = app.members_of(UNION_A).await;
    for &id in &removable {
        let (a, b) = tokio::join!(app.call_fn(&first, DeleteMember { id }), app.call_fn(&second, DeleteMember { id }));
        let (done, other): (Vec<_>, Vec<_>) = [a, b].into_iter().partition(|r| r.kind().is_none());
        assert_eq!(
            done.len(),
            1,
            "exactly one delete succeeds: {:?}",
            other.iter().map(|r| &r.body).collect::<Vec<_>>()
        );
        let other = &other[0];
        assert!(
            matches!((other.status.as_u16(), other.kind()), (404, Some("not_found")) | (409, Some("conflict"))),
            "{} {:?}",
            other.status,
            other.body
        );
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(left, 0);
    }
    assert_eq!(app.members_of(UNION_A).await, before - removable.len() as i64);
    assert_counts_agree(&app, "after concurrent deletes").await;
}

async fn a_card_move_applies_once_and_only_where_the_lifecycle_allows(app: TestApp) {
    let union = app.union_id(UNION_A).await;
    let pending = members_in(&app, union, CardState::Pending).await;
    assert!(pending.len() >= 2, "{pending:?}");
    let two = &pending[..2];
    let events_before = card_events(&app).await;
    let counts_before = kept_counts(&app).await;
    let mv = Move {
        union,
        selection: Selection::Members(two),
        into_batch: None,
        from: CardState::Pending,
        to: CardState::Submitted,
        actor: None,
        reason: Some("integration test"),
        at: None,
        card: CardChange::Nothing,
    };

    // a move the lifecycle does not allow is refused before anything is written, even when the
    // transaction is committed
    let skip = Move { to: CardState::Activated, ..mv.clone() };
    let mut tx = app.db.begin_write().await.unwrap();
    let err = move_cards(&mut tx, app.db.backend, &skip).await.expect_err("pending to activated skips the lifecycle");
    tx.commit().await.unwrap();
    assert!(matches!(&err, AppError::Refused { code, .. } if code == "card_move_not_allowed"), "{err:?}");
    assert_eq!((err.code(), err.status()), ("card_move_not_allowed", 422));
    assert_eq!(card_events(&app).await, events_before);
    assert_eq!(kept_counts(&app).await, counts_before);
    assert_eq!(members_in(&app, union, CardState::Pending).await, pending, "still in 未办卡—待办卡");
    assert!(members_in(&app, union, CardState::Activated).await.iter().all(|id| !two.contains(id)));

    let mut tx = app.db.begin_write().await.unwrap();
    let mut moved = move_cards(&mut tx, app.db.backend, &mv).await.unwrap();
    tx.commit().await.unwrap();
    moved.sort();
    assert_eq!(moved, two);
    assert_eq!(card_events(&app).await, events_before + 2);
    let submitted = members_in(&app, union, CardState::Submitted).await;
    assert!(two.iter().all(|id| submitted.contains(id)), "{submitted:?}");
    let events: Vec<(MemberId, Option<String>, String, Option<String>)> = sqlx::query_as(
        "SELECT member_id, from_state, to_state, reason FROM card_events WHERE member_id IN ($1, $2) \
         AND to_state = 'submitted' AND from_state = 'pending' ORDER BY member_id",
    )
    .bind(two[0])
    .bind(two[1])
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let expected: Vec<_> = two
        .iter()
        .map(|id| (*id, Some("pending".to_string()), "submitted".to_string(), Some("integration test".to_string())))
        .collect();
    assert_eq!(events, expected);
    assert!(check_counts(&app.db).await.unwrap().is_empty());
    assert_eq!(app::server::subtree::check(&app.db).await.unwrap(), vec![], "subtree figures differ from their unions");

    // the same move again (a second click, or someone else's): nothing left in 未办卡 to move
    let counts = kept_counts(&app).await;
    assert_ne!(counts, counts_before);
    let mut tx = app.db.begin_write().await.unwrap();
    let again = move_cards(&mut tx, app.db.backend, &mv).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(again, Vec::<MemberId>::new());
    assert_eq!(card_events(&app).await, events_before + 2, "no second event row");
    assert_eq!(kept_counts(&app).await, counts);

    assert_counts_agree(&app, "after the moves").await;
}
