//! The supervisor's dashboard: every figure of a node is what its unions' kept counts sum to,
//! exactly, under concurrent enrolments, moves and folds; overdue distributions come first;
//! the table below is ordered and paged; a district sees its own subtree only.

use app::{
    api::{
        audit::SearchAuditLog,
        members::ListSupervisedMembers,
        overview::supervisor::{FindUnions, GetSupervisorOverview},
    },
    domain::{
        card::CardState,
        ids::{MemberId, UnionId},
        member::StoredMember,
    },
    server::{
        cards::{self, check_counts, counts_of_union, CardChange, Move, Selection},
        subtree,
    },
};
use serde_json::Value;
use unioncard_server::seed::{DEMO_PASSWORD, UNION_A, UNION_B};

use crate::common::TestApp;

on_both_engines!(
    the_city_sees_the_sum_of_its_unions_and_the_overdue_distribution_first,
    figures_stay_exact_under_concurrent_enrolments_moves_and_folds,
    a_district_sees_its_own_subtree_and_nothing_beside_it,
    exports_and_member_lists_stay_in_the_subtree_and_are_audited,
    the_audit_log_search_shows_a_district_its_own_subtree,
    a_supervisor_finds_unions_by_name_in_its_subtree_and_sees_how_each_stands,
    two_accounts_of_a_union_activated_at_once_count_it_once,
);

async fn assert_figures_agree(app: &TestApp) {
    assert_eq!(check_counts(&app.db).await.unwrap(), vec![], "kept counts differ from a recount");
    assert_eq!(subtree::check(&app.db).await.unwrap(), vec![], "subtree figures differ from their unions");
    assert_eq!(app::server::unions::check_progress(&app.db).await.unwrap(), vec![], "unions' set-up differs");
}

fn overview(union: Option<UnionId>, sort: &str, page: i64) -> GetSupervisorOverview {
    GetSupervisorOverview { union_id: union, sort: Some(sort.into()), page: Some(page) }
}

fn by_state(body: &Value) -> Vec<(String, i64)> {
    body["by_state"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["state"].as_str().unwrap().to_string(), s["count"].as_i64().unwrap()))
        .collect()
}

async fn the_city_sees_the_sum_of_its_unions_and_the_overdue_distribution_first(app: TestApp) {
    let (a, b) = (app.union_id(UNION_A).await, app.union_id(UNION_B).await);
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let r = app.call_fn(&city, overview(None, "members", 1)).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    let (ca, cb) = (counts_of_union(&app.db, a).await.unwrap(), counts_of_union(&app.db, b).await.unwrap());
    let expected: Vec<(String, i64)> =
        ca.iter().zip(&cb).map(|((s, x), (_, y))| (s.as_str().to_string(), x + y)).collect();
    assert_eq!(by_state(&r.body), expected, "the city's funnel is its two unions' counts summed");
    assert_eq!(r.body["members_total"].as_i64().unwrap(), expected.iter().map(|e| e.1).sum::<i64>());
    // each demo union has a delivery signed for a month ago with cards left: overdue, in working days
    let overdue = r.body["overdue"].as_array().unwrap();
    assert_eq!(r.body["overdue_total"].as_i64(), Some(2), "{overdue:?}");
    let names: Vec<&str> = overdue.iter().map(|d| d["union_name"].as_str().unwrap()).collect();
    assert!(names.contains(&UNION_A) && names.contains(&UNION_B), "{names:?}");
    for d in overdue {
        assert!(d["working_days_overdue"].as_u64().unwrap() >= 10, "a month after signing: {d:?}");
        assert!(d["outstanding"].as_i64().unwrap() > 0);
    }
    let days: Vec<u64> = overdue.iter().map(|d| d["working_days_overdue"].as_u64().unwrap()).collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]), "longest overdue first: {days:?}");
    // the demo's hand-outs are judged against the calendar: a month late, or on time
    let handouts = &r.body["handouts"];
    let judged = handouts["on_time"].as_i64().unwrap() + handouts["late"].as_i64().unwrap();
    let handed_out: i64 = expected.iter().filter(|e| e.0 == "distributed" || e.0 == "activated").map(|e| e.1).sum();
    assert_eq!(judged + handouts["undetermined"].as_i64().unwrap(), handed_out, "{handouts:?}");

    // the table below: the district, then (drilled down) the two unions ordered by members
    let children = r.body["children"].as_array().unwrap();
    assert_eq!(children.len(), 1, "{children:?}");
    assert_eq!(children[0]["members"].as_i64(), r.body["members_total"].as_i64());
    let district = UnionId(children[0]["id"].as_i64().unwrap());
    let r = app.call_fn(&city, overview(Some(district), "members", 1)).await;
    let rows: Vec<(i64, i64)> = r.body["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_i64().unwrap(), c["members"].as_i64().unwrap()))
        .collect();
    let mut sizes: Vec<(i64, i64)> = vec![(a.0, ca.iter().map(|c| c.1).sum()), (b.0, cb.iter().map(|c| c.1).sum())];
    sizes.sort_by_key(|y| std::cmp::Reverse(y.1));
    assert_eq!(rows, sizes, "the unions below, most members first");
    let by_name = app.call_fn(&city, overview(Some(district), "name", 1)).await;
    assert_eq!(by_name.body["order"], "name");
    assert_eq!(by_name.body["children_total"].as_i64(), Some(2));
    // a page past the last is the last
    let far = app.call_fn(&city, overview(Some(district), "rejected", 9)).await;
    assert_eq!(far.body["page"].as_i64(), Some(1));
    assert_eq!(far.body["order"], serde_json::json!({"state": "rejected"}));
    assert_figures_agree(&app).await;
}

/// `n` members of a union, their ID numbers unique to `tag`.
fn records(tag: u32, n: u32) -> Vec<StoredMember> {
    (0..n)
        .map(|i| StoredMember {
            name: format!("并发{tag}"),
            id_type: "01".into(),
            id_number: format!("9{tag:08}{i:09}"),
            country: None,
            sex: None,
            birth_date: None,
            phone: format!("139{:08}", tag * 100 + i),
            ethnicity: None,
            education: None,
            migrant_worker: None,
            department: None,
            remark: None,
        })
        .collect()
}

/// Enrols members of `union` and moves them along, one transaction per step, `rounds` times.
async fn churn(app: &TestApp, union: UnionId, tag: u32, rounds: u32) {
    for round in 0..rounds {
        let mut tx = app.db.begin_write().await.unwrap();
        cards::enroll(&mut tx, app.db.backend, union, None, &records(tag * 100 + round, 5)).await.unwrap();
        tx.commit().await.unwrap();
        let ids: Vec<MemberId> = sqlx::query_scalar(
            "SELECT member_id FROM cards WHERE union_id = $1 AND state = 'pending' ORDER BY member_id LIMIT 3",
        )
        .bind(union)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let mut tx = app.db.begin_write().await.unwrap();
        for (from, to) in [(CardState::Pending, CardState::Submitted), (CardState::Submitted, CardState::Rejected)] {
            let mv = Move {
                union,
                selection: Selection::Members(&ids),
                from,
                to,
                actor: None,
                reason: Some("并发测试"),
                into_batch: None,
                at: None,
                card: CardChange::Nothing,
            };
            cards::move_cards(&mut tx, app.db.backend, &mv).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
}

async fn figures_stay_exact_under_concurrent_enrolments_moves_and_folds(app: TestApp) {
    let (a, b) = (app.union_id(UNION_A).await, app.union_id(UNION_B).await);
    let db = app.db.clone();
    let folds = async move {
        let mut folded = 0;
        for _ in 0..8 {
            folded += subtree::compact(&db).await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        folded
    };
    let (_, _, _, folded) = tokio::join!(churn(&app, a, 1, 12), churn(&app, b, 2, 12), churn(&app, a, 3, 12), folds);
    assert!(folded > 0, "the folds ran beside the writers");
    assert_figures_agree(&app).await;
    let before = subtree::figures(&app.db, a).await.unwrap();
    subtree::compact(&app.db).await.unwrap();
    assert_eq!(subtree::figures(&app.db, a).await.unwrap(), before, "a fold changes no figure");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM subtree_counts WHERE node_id = $1")
        .bind(a)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows as usize, before.len(), "after a fold, one row per figure");
    assert_figures_agree(&app).await;
}

async fn a_district_sees_its_own_subtree_and_nothing_beside_it(app: TestApp) {
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let city_view = app.call_fn(&city, overview(None, "name", 1)).await;
    let city_id = UnionId(city_view.body["id"].as_i64().unwrap());
    let district = app.login_ok("futian", DEMO_PASSWORD).await;
    let own = app.call_fn(&district, overview(None, "name", 1)).await;
    assert!(own.status.is_success(), "{:?}", own.body);
    assert_eq!(own.body["children_total"].as_i64(), Some(2));
    // the city above it, and a sibling district made by the city, are not found
    let r = app.call_fn(&district, overview(Some(city_id), "name", 1)).await;
    assert_eq!(r.status.as_u16(), 404, "{:?}", r.body);
    let sibling = {
        let mut tx = app.db.begin_write().await.unwrap();
        let node = app::server::unions::node_in(&mut tx, city_id).await.unwrap();
        let id =
            app::server::unions::create(&mut tx, Some(&node), app::domain::role::UnionLevel::District, "罗湖区总工会")
                .await
                .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let r = app.call_fn(&district, overview(Some(sibling), "name", 1)).await;
    assert_eq!(r.status.as_u16(), 404, "{:?}", r.body);
    assert!(!serde_json::to_string(&own.body).unwrap().contains("罗湖区总工会"));
}

/// A union made below `parent` by hand (the accounts page's own test covers making them).
async fn union_below(app: &TestApp, parent: UnionId, level: app::domain::role::UnionLevel, name: &str) -> UnionId {
    let mut tx = app.db.begin_write().await.unwrap();
    let node = app::server::unions::node_in(&mut tx, parent).await.unwrap();
    let id = app::server::unions::create(&mut tx, Some(&node), level, name).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn download(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let r = c.get(format!("{}{path}", app.base)).send().await.unwrap();
    let status = r.status().as_u16();
    let bytes = r.bytes().await.unwrap();
    if status != 200 {
        return (status, String::new());
    }
    let sheet = app::server::xlsx::read_first_sheet(&bytes, &Default::default()).unwrap();
    (status, format!("{:?}", sheet.rows))
}

async fn exports_and_member_lists_stay_in_the_subtree_and_are_audited(app: TestApp) {
    use app::domain::role::UnionLevel;
    let (a, b) = (app.union_id(UNION_A).await, app.union_id(UNION_B).await);
    let district = app.login_ok("futian", DEMO_PASSWORD).await;
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let city_id = UnionId(app.call_fn(&city, overview(None, "name", 1)).await.body["id"].as_i64().unwrap());
    let own = UnionId(app.call_fn(&district, overview(None, "name", 1)).await.body["id"].as_i64().unwrap());
    let sibling = union_below(&app, city_id, UnionLevel::District, "罗湖区总工会").await;
    let stranger = union_below(&app, sibling, UnionLevel::Grassroots, "深圳市罗湖某公司工会委员会").await;

    // the district's own tables: its unions, its overdue distributions, a union's members masked
    let (status, unions) = download(&app, &district, "/supervisor/export/unions.xlsx").await;
    assert_eq!(status, 200);
    assert!(unions.contains(UNION_A) && unions.contains(UNION_B), "{unions}");
    let (status, overdue) = download(&app, &district, &format!("/supervisor/export/overdue.xlsx?union={own}")).await;
    assert_eq!(status, 200);
    assert!(overdue.contains(UNION_A) && overdue.contains(UNION_B), "{overdue}");
    let (status, members) = download(&app, &district, &format!("/supervisor/export/members.xlsx?union={a}")).await;
    assert_eq!(status, 200);
    let (id_number, name): (String, String) =
        sqlx::query_as("SELECT id_number, name FROM members WHERE union_id = $1 ORDER BY id LIMIT 1")
            .bind(a)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(members.contains(&name) && members.contains('*'), "{members}");
    assert!(!members.contains(&id_number), "ID numbers are masked in the export");
    for action in ["unions_exported", "overdue_exported", "members_exported"] {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(n, 1, "{action} is audited once");
    }

    // the same list on the page: the union's members, searched and filtered
    let list = |union: UnionId| ListSupervisedMembers { union_id: union, query: String::new(), state: None, page: 1 };
    let r = app.call_fn(&district, list(b)).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    let total: i64 = counts_of_union(&app.db, b).await.unwrap().iter().map(|c| c.1).sum();
    assert_eq!(r.body["total"].as_i64(), Some(total));
    assert!(r.body["items"][0]["id_number_masked"].as_str().unwrap().contains('*'));

    // outside the subtree, above it, or a table that does not fit the node: not found
    for path in [
        format!("/supervisor/export/unions.xlsx?union={city_id}"),
        format!("/supervisor/export/unions.xlsx?union={sibling}"),
        format!("/supervisor/export/overdue.xlsx?union={sibling}"),
        format!("/supervisor/export/members.xlsx?union={stranger}"),
        format!("/supervisor/export/members.xlsx?union={own}"),
        "/supervisor/export/secrets.xlsx".to_string(),
    ] {
        assert_eq!(download(&app, &district, &path).await.0, 404, "{path}");
    }
    for union in [stranger, own, city_id] {
        let r = app.call_fn(&district, list(union)).await;
        assert_eq!(r.status.as_u16(), 404, "members of {union}: {:?}", r.body);
    }
    // the city reaches the stranger's members; a union's clerk reaches neither
    assert!(app.call_fn(&city, list(stranger)).await.status.is_success());
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    assert_eq!(app.call_fn(&clerk, list(a)).await.status.as_u16(), 403);
    assert_eq!(download(&app, &clerk, "/supervisor/export/unions.xlsx").await.0, 403);
}

fn audit(account: &str, union: &str, from: &str, to: &str) -> SearchAuditLog {
    SearchAuditLog { account: account.into(), union: union.into(), from: from.into(), to: to.into(), page: 1 }
}

fn actions(body: &Value) -> Vec<(String, String)> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["account"].as_str().unwrap().to_string(), e["action"].as_str().unwrap().to_string()))
        .collect()
}

async fn the_audit_log_search_shows_a_district_its_own_subtree(app: TestApp) {
    use app::domain::role::UnionLevel;
    let a = app.union_id(UNION_A).await;
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let city_id = UnionId(app.call_fn(&city, overview(None, "name", 1)).await.body["id"].as_i64().unwrap());
    // an entry of a union outside the district, and one about a member inside it by the bank
    let sibling = union_below(&app, city_id, UnionLevel::District, "罗湖区总工会").await;
    let stranger = union_below(&app, sibling, UnionLevel::Grassroots, "深圳市罗湖某公司工会委员会").await;
    app::server::audit::record(&app.db.pool, None, "union_info_saved", &format!("union:{stranger}"), "").await.unwrap();
    let member: i64 = sqlx::query_scalar("SELECT MIN(id) FROM members WHERE union_id = $1")
        .bind(a)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let boc: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'boc'").fetch_one(&app.db.pool).await.unwrap();
    app::server::audit::record(
        &app.db.pool,
        Some(app::domain::ids::UserId(boc)),
        "member_viewed",
        &format!("member:{member}"),
        "",
    )
    .await
    .unwrap();
    let _clerk = app.login_ok("shili", DEMO_PASSWORD).await;

    let district = app.login_ok("futian", DEMO_PASSWORD).await;
    let r = app.call_fn(&district, audit("", "", "", "")).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    let seen = actions(&r.body);
    assert!(seen.contains(&("shili".into(), "登录".into())), "its union's login: {seen:?}");
    assert!(seen.contains(&("boc".into(), "查看会员完整信息".into())), "the bank viewing its member: {seen:?}");
    assert!(!seen.contains(&("szzgh".into(), "登录".into())), "not the city's own login: {seen:?}");
    let text = r.body.to_string();
    assert!(!text.contains(&format!("工会 #{stranger}")), "not the sibling district's union: {text}");
    // the city sees that one too; filters by account and by day
    let all = app.call_fn(&city, audit("", "", "", "")).await;
    assert!(all.body.to_string().contains(&format!("工会 #{stranger}")));
    let only = app.call_fn(&city, audit("shili", "", "", "")).await;
    assert!(actions(&only.body).iter().all(|(who, _)| who == "shili") && !actions(&only.body).is_empty());
    let by_union = app.call_fn(&city, audit("", "示例电子", "", "")).await;
    assert!(by_union.body["items"].as_array().unwrap().iter().all(|e| e["union_name"] == UNION_A));
    let past = app.call_fn(&city, audit("", "", "2020-01-01", "2020-01-31")).await;
    assert_eq!(past.body["items"].as_array().unwrap().len(), 0);
    let bad = app.call_fn(&city, audit("", "", "2026-13-01", "")).await;
    assert_eq!(bad.status.as_u16(), 422, "{:?}", bad.body);
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    assert_eq!(app.call_fn(&clerk, audit("", "", "", "")).await.status.as_u16(), 403);
}

fn found_names(body: &Value) -> Vec<String> {
    body.as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap().to_string()).collect()
}

async fn a_supervisor_finds_unions_by_name_in_its_subtree_and_sees_how_each_stands(app: TestApp) {
    use app::domain::role::UnionLevel;
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let city_id = UnionId(app.call_fn(&city, overview(None, "name", 1)).await.body["id"].as_i64().unwrap());
    let luohu = union_below(&app, city_id, UnionLevel::District, "罗湖区总工会").await;
    let street = union_below(&app, luohu, UnionLevel::Street, "东门街道总工会").await;
    union_below(&app, street, UnionLevel::Grassroots, "深圳市示例百货有限公司工会委员会").await;
    let find = |q: &str| FindUnions { query: q.into() };

    // the district finds its own unions by a word of their names, not the sibling district's
    let district = app.login_ok("futian", DEMO_PASSWORD).await;
    let r = app.call_fn(&district, find(" 示例 ")).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    assert_eq!(found_names(&r.body), vec![UNION_A.to_string()]);
    // the city finds both, the shallower first, each with the unions between
    let r = app.call_fn(&city, find("示例")).await;
    assert_eq!(found_names(&r.body), vec![UNION_A.to_string(), "深圳市示例百货有限公司工会委员会".to_string()]);
    assert_eq!(r.body[1]["trail"], serde_json::json!(["罗湖区总工会", "东门街道总工会"]));
    assert_eq!(r.body[0]["trail"], serde_json::json!([unioncard_server::seed::DISTRICT]));
    // nothing typed finds nothing; LIKE's wildcards are plain characters
    assert_eq!(found_names(&app.call_fn(&city, find("  ")).await.body), Vec::<String>::new());
    assert_eq!(found_names(&app.call_fn(&city, find("%")).await.body), Vec::<String>::new());
    assert_eq!(found_names(&app.call_fn(&city, find("_")).await.body), Vec::<String>::new());
    // a clerk may not search the tree
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    assert_eq!(app.call_fn(&clerk, find("示例")).await.status.as_u16(), 403);

    // the city's table of districts: completeness of the grassroots unions below each
    let r = app.call_fn(&city, overview(None, "name", 1)).await;
    let children = r.body["children"].as_array().unwrap();
    let row = |name: &str| children.iter().find(|c| c["name"].as_str().unwrap().contains(name)).unwrap().clone();
    let (futian, luohu_row) = (row("福田"), row("罗湖"));
    assert_eq!(
        (futian["grassroots"].as_i64(), futian["info_complete"].as_i64(), futian["agreement_signed"].as_i64()),
        (Some(2), Some(2), Some(2)),
        "{futian}"
    );
    assert_eq!(
        (luohu_row["grassroots"].as_i64(), luohu_row["info_complete"].as_i64(), luohu_row["agreement_signed"].as_i64()),
        (Some(1), Some(0), Some(0)),
        "{luohu_row}"
    );
    // the district's own account signed in above; the new district has none
    assert!(futian["last_login_at"].as_i64().is_some(), "{futian}");
    assert!(luohu_row["last_login_at"].is_null(), "{luohu_row}");

    // a grassroots union's own page: its information, agreement, accounts and last sign-in
    let a = app.union_id(UNION_A).await;
    let r = app.call_fn(&district, overview(Some(a), "name", 1)).await;
    let profile = &r.body["profile"];
    assert_eq!(profile["info_complete"], serde_json::json!(true), "{profile}");
    assert_eq!(profile["unit_name"].as_str(), Some("深圳市示例电子有限公司"));
    assert_eq!(profile["agreement"][1].as_str(), Some("2026-03-02"), "{profile}");
    let accounts = profile["accounts"].as_array().unwrap();
    let shili = accounts.iter().find(|a| a["username"] == "shili").expect("the clerk's account is listed");
    assert!(shili["last_login_at"].as_i64().is_some(), "the clerk signed in above: {shili}");
    assert_figures_agree(&app).await;

    // the set-up figures are kept as it changes: a reset puts the clerk back on an initial
    // password, so the union no longer counts as activated, up to the city
    let activated = |body: &Value| body["grassroots_activated"].as_i64().unwrap();
    let before = activated(&app.call_fn(&city, overview(None, "name", 1)).await.body);
    let shili_id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'shili'").fetch_one(&app.db.pool).await.unwrap();
    let r =
        app.call_fn(&district, app::api::accounts::ResetPassword { user_id: app::domain::ids::UserId(shili_id) }).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    assert_eq!(activated(&app.call_fn(&city, overview(None, "name", 1)).await.body), before - 1);
    assert_eq!(activated(&app.call_fn(&district, overview(None, "name", 1)).await.body), 1, "only 样板 is active");
    assert_eq!(
        app.call_fn(&city, overview(None, "name", 1)).await.body["grassroots_total"].as_i64(),
        Some(3),
        "the two demo unions and the one made above"
    );
    assert_figures_agree(&app).await;
    // and a district's overview has no profile
    assert!(app.call_fn(&district, overview(None, "name", 1)).await.body["profile"].is_null());
}

async fn two_accounts_of_a_union_activated_at_once_count_it_once(app: TestApp) {
    use app::server::accounts::{self, NewAccount};
    let a = app.union_id(UNION_A).await;
    let mut tx = app.db.begin_write().await.unwrap();
    let mut ids = Vec::new();
    for name in ["shili2", "shili3"] {
        let account = NewAccount {
            username: name,
            display_name: UNION_A,
            role: app::domain::role::Role::Union,
            union_id: Some(a),
            bank_id: None,
            member_id: None,
            password_hash: "x",
            must_change_password: true,
            created_by: None,
        };
        ids.push(accounts::insert(&mut tx, &account).await.unwrap());
    }
    let shili: app::domain::ids::UserId =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'shili'").fetch_one(&mut *tx).await.unwrap();
    accounts::set_password(&mut tx, shili, "x", true).await.unwrap();
    tx.commit().await.unwrap();
    let activated = |db: app::server::Db| async move {
        sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM union_progress WHERE union_id = $1 AND facet = 'activated'",
        )
        .bind(a)
        .fetch_one(&db.pool)
        .await
        .unwrap()
    };
    assert_eq!(activated(app.db.clone()).await, 0, "every account of the union on an initial password");
    // both new accounts set their own password at the same moment
    let tasks: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let db = app.db.clone();
            tokio::spawn(async move {
                let mut tx = db.begin_write().await.unwrap();
                accounts::set_password(&mut tx, id, "y", false).await.unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                tx.commit().await.unwrap();
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(activated(app.db.clone()).await, 1, "the union counts once");
    assert_figures_agree(&app).await;
}
