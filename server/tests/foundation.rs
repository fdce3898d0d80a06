//! Accounts, sessions, roles and scopes, through the real HTTP server, on both engines.

mod common;

use common::{client, Engine, TestApp};
use unioncard_server::seed::DEMO_PASSWORD;

on_both_engines!(
    each_demo_role_logs_in_and_lands_on_its_own_portal,
    a_wrong_password_counts_down_and_the_fifth_failure_locks_the_account,
    a_new_account_can_do_nothing_but_change_its_initial_password,
    a_union_name_its_info_form_would_refuse_cannot_open_an_account,
    a_supervisor_reaches_only_accounts_below_its_own_union,
    server_functions_check_the_callers_role_themselves,
    a_grassroots_union_completes_its_info_and_the_lock_lifts,
    a_reset_password_ends_old_sessions_and_unlocks_the_account,
    a_disabled_account_is_refused_and_its_session_ends,
    logout_removes_the_session_and_login_issues_a_new_session_id,
    a_database_error_reaches_the_user_as_a_plain_message,
    lists_mask_id_and_phone_numbers,
);

async fn each_demo_role_logs_in_and_lands_on_its_own_portal(app: TestApp) {
    let cases = [
        ("szzgh", "/supervisor", "supervisor"),
        ("futian", "/supervisor", "supervisor"),
        ("shili", "/union", "union"),
        ("yangban", "/union", "union"),
        ("boc", "/bank", "bank"),
        ("member", "/me", "member"),
    ];
    for (user, home, role) in cases {
        let (c, r) = app.login(user, DEMO_PASSWORD).await;
        assert_eq!(r.location.as_deref(), Some(home), "{user} should land on {home}: {:?}", r.body);
        let me = app.call(&c, "me", &[]).await;
        assert_eq!(me.body["role"], role, "{user}");
        let (status, html) = app.get_page(&c, home).await;
        assert!(status.is_success(), "{user} opens {home}");
        assert!(html.contains("会员服务卡"), "{home} renders the app shell");
    }
    let bank = app.login_ok("boc", DEMO_PASSWORD).await;
    let o = app.call(&bank, "overview/bank", &[]).await;
    assert_eq!(o.body["bank_name"], "中国银行深圳市分行");
    let codes: Vec<_> =
        o.body["branches"].as_array().unwrap().iter().map(|b| b["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(codes, ["104584000101", "104584000102"]);
    let member = app.login_ok("member", DEMO_PASSWORD).await;
    let card = app.call(&member, "me/card", &[]).await;
    assert_eq!(card.body["name"], "黄丽");
    assert_eq!(card.body["union_name"], "深圳市示例电子有限公司工会委员会");
    // 黄丽's card has been handed out: from 未办卡 (the record's creation) to 已发放, in order
    let states: Vec<_> =
        card.body["events"].as_array().unwrap().iter().map(|e| e["state"].as_str().unwrap().to_string()).collect();
    assert_eq!(
        states,
        ["pending", "submitted", "in_production", "awaiting_delivery", "awaiting_distribution", "distributed"]
    );
}

async fn a_wrong_password_counts_down_and_the_fifth_failure_locks_the_account(app: TestApp) {
    for left in (1..=4).rev() {
        let (_, r) = app.login("shili", "wrong-password1").await;
        assert_eq!(
            r.field_message("password").as_deref(),
            Some(format!("账号或密码错误，再错{left}次账号将被锁定15分钟。").as_str()),
            "{:?}",
            r.body
        );
    }
    let (_, fifth) = app.login("shili", "wrong-password1").await;
    assert_eq!(fifth.kind(), Some("locked"), "{:?}", fifth.body);
    let (_, right) = app.login("shili", DEMO_PASSWORD).await;
    assert_eq!(right.kind(), Some("locked"), "the right password is refused while locked");
    assert!(right.body["message"].as_str().unwrap().contains("已被锁定15分钟"));
    // another account from the same address is not affected
    app.login_ok("yangban", DEMO_PASSWORD).await;
    // an unknown account answers like a wrong password, not "no such account"
    let (_, unknown) = app.login("nobody-here", "whatever1").await;
    assert!(unknown.field_message("password").unwrap().starts_with("账号或密码错误"));
}

/// Creates a grassroots account below 福田区总工会 as `futian`; returns (username, initial password).
async fn create_grassroots(app: &TestApp, sup: &reqwest::Client, username: &str, union_name: &str) -> (String, String) {
    let district_id: i64 =
        sqlx::query_scalar("SELECT id FROM unions WHERE name = '福田区总工会'").fetch_one(&app.db.pool).await.unwrap();
    let r = app
        .call(
            sup,
            "accounts/create",
            &[
                ("parent_id", &district_id.to_string()),
                ("level", "grassroots"),
                ("union_name", union_name),
                ("username", username),
            ],
        )
        .await;
    assert!(r.kind().is_none(), "create: {:?}", r.body);
    (r.body["username"].as_str().unwrap().into(), r.body["initial_password"].as_str().unwrap().into())
}

async fn a_new_account_can_do_nothing_but_change_its_initial_password(app: TestApp) {
    let sup = app.login_ok("futian", DEMO_PASSWORD).await;
    let (user, initial) = create_grassroots(&app, &sup, "newunion01", "深圳市新建科技有限公司工会委员会").await;
    assert_ne!(initial, "szgh123456", "no shared default password");
    assert!(initial.len() >= 10);
    let (c, r) = app.login(&user, &initial).await;
    assert_eq!(r.location.as_deref(), Some("/change-password"));
    for endpoint in ["union/info", "overview/union", "members/list"] {
        let r = app.call(&c, endpoint, &[("query", ""), ("department", ""), ("page", "1")]).await;
        assert_eq!(r.kind(), Some("password_change_required"), "{endpoint} must wait for the change");
    }
    // A portal page answers with the redirect itself, before any rendering; so does one opened
    // without signing in.
    let location = |r: &reqwest::Response| r.headers().get("location").and_then(|v| v.to_str().ok()).map(String::from);
    for page in ["/union", "/union/members", "/union/members/1", "/supervisor"] {
        let r = c.get(format!("{}{page}", app.base)).send().await.unwrap();
        assert!(r.status().is_redirection(), "{page}: {}", r.status());
        assert_eq!(location(&r).as_deref(), Some("/change-password"), "{page}");
    }
    let stranger = client().get(format!("{}/union/members", app.base)).send().await.unwrap();
    assert_eq!((stranger.status().is_redirection(), location(&stranger).as_deref()), (true, Some("/login")));
    let (status, _) = app.get_page(&c, "/change-password").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let weak = app.call(&c, "change_password", &[("current", &initial), ("new", "short"), ("confirm", "short")]).await;
    assert!(weak.field_message("new").is_some(), "{:?}", weak.body);
    let wrong = app
        .call(&c, "change_password", &[("current", "not-it-123"), ("new", "Kaika2026x"), ("confirm", "Kaika2026x")])
        .await;
    assert_eq!(wrong.field_message("current").as_deref(), Some("原密码不正确。"));
    let ok = app
        .call(&c, "change_password", &[("current", &initial), ("new", "Kaika2026x"), ("confirm", "Kaika2026x")])
        .await;
    assert_eq!(ok.location.as_deref(), Some("/union"), "{:?}", ok.body);
    let info = app.call(&c, "union/info", &[]).await;
    assert!(info.kind().is_none(), "after the change the union works: {:?}", info.body);
    let (status, _) = app.get_page(&c, "/union/members").await;
    assert_eq!(status, reqwest::StatusCode::OK, "after the change the pages open");
    // the initial password is dead
    let (_, old) = app.login(&user, &initial).await;
    assert!(old.kind().is_some());
    app.login_ok(&user, "Kaika2026x").await;
}

async fn a_union_name_its_info_form_would_refuse_cannot_open_an_account(app: TestApp) {
    let sup = app.login_ok("futian", DEMO_PASSWORD).await;
    let district_id: i64 =
        sqlx::query_scalar("SELECT id FROM unions WHERE name = '福田区总工会'").fetch_one(&app.db.pool).await.unwrap();
    let too_long = format!("深圳市{}工会", "示".repeat(96));
    assert_eq!(too_long.chars().count(), 101);
    let r = app
        .call(
            &sup,
            "accounts/create",
            &[
                ("parent_id", &district_id.to_string()),
                ("level", "grassroots"),
                ("union_name", &too_long),
                ("username", "longname01"),
            ],
        )
        .await;
    assert_eq!(r.kind(), Some("invalid"), "{:?}", r.body);
    assert_eq!(r.field_message("union_name").as_deref(), Some("工会名称不能超过100个字。"), "{:?}", r.body);
    let opened: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM unions WHERE name = $1")
        .bind(&too_long)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(opened, 0, "no union was opened");
    // one character fewer is the longest name the info form accepts, and opens an account
    let longest: String = too_long.chars().skip(1).collect();
    create_grassroots(&app, &sup, "longname01", &longest).await;
}

async fn a_supervisor_reaches_only_accounts_below_its_own_union(app: TestApp) {
    let id_of = |name: &'static str| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE username = $1")
                .bind(name)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let city_account = id_of("szzgh").await;
    let own = id_of("futian").await;
    let below = id_of("shili").await;
    let district = app.login_ok("futian", DEMO_PASSWORD).await;
    for target in [city_account, own] {
        let r = app.call(&district, "accounts/reset", &[("user_id", &target.to_string())]).await;
        assert_eq!(r.kind(), Some("not_found"), "futian must not reset account {target}");
        let r =
            app.call(&district, "accounts/disable", &[("user_id", &target.to_string()), ("disabled", "true")]).await;
        assert_eq!(r.kind(), Some("not_found"));
    }
    let r = app.call(&district, "accounts/reset", &[("user_id", &below.to_string())]).await;
    assert!(r.kind().is_none(), "futian may reset shili: {:?}", r.body);
    let list = app.call(&district, "accounts/list", &[("query", ""), ("page", "1")]).await;
    let names: Vec<_> =
        list.body["items"].as_array().unwrap().iter().map(|a| a["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["shili", "yangban"], "only accounts below 福田区总工会");
    // a supervisor cannot open an account under a union outside its subtree
    let city_union: i64 =
        sqlx::query_scalar("SELECT id FROM unions WHERE level = 'city'").fetch_one(&app.db.pool).await.unwrap();
    let r = app
        .call(
            &district,
            "accounts/create",
            &[
                ("parent_id", &city_union.to_string()),
                ("level", "district"),
                ("union_name", "南山区总工会"),
                ("username", "nanshan"),
            ],
        )
        .await;
    assert_eq!((r.status.as_u16(), r.kind()), (404, Some("not_found")), "out of scope answers as not found");
    // nor drill down above itself
    let r = app.call(&district, "overview/supervisor", &[("union_id", &city_union.to_string())]).await;
    assert_eq!((r.status.as_u16(), r.kind()), (404, Some("not_found")));
    // the city sees the district's accounts too
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let list = app.call(&city, "accounts/list", &[("query", "yang"), ("page", "1")]).await;
    assert_eq!(list.body["total"], 1);
}

async fn server_functions_check_the_callers_role_themselves(app: TestApp) {
    let anonymous = client();
    for endpoint in ["accounts/list", "union/info", "overview/bank", "me/card", "overview/supervisor"] {
        let r = app.call(&anonymous, endpoint, &[("query", ""), ("page", "1")]).await;
        assert_eq!(r.kind(), Some("unauthenticated"), "{endpoint} without login");
    }
    let union = app.login_ok("shili", DEMO_PASSWORD).await;
    for endpoint in ["accounts/list", "accounts/parents", "overview/bank", "me/card", "overview/supervisor"] {
        let r = app.call(&union, endpoint, &[("query", ""), ("page", "1")]).await;
        assert_eq!(r.kind(), Some("forbidden"), "a union calling {endpoint}");
    }
    let member = app.login_ok("member", DEMO_PASSWORD).await;
    let r = app.call(&member, "members/list", &[("query", ""), ("department", ""), ("page", "1")]).await;
    assert_eq!(r.kind(), Some("forbidden"));
    // a cross-site form post is refused before it reaches any server function
    let res = union
        .post(format!("{}/api/union/info/save", app.base))
        .header("Origin", "http://evil.example")
        .form(&[("info[union_name]", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res =
        union.post(format!("{}/api/logout", app.base)).header("Sec-Fetch-Site", "cross-site").send().await.unwrap();
    assert_eq!(res.status(), 403);
    let still = app.call(&union, "me", &[]).await;
    assert_eq!(still.body["username"], "shili", "the refused logout did nothing");
}

async fn a_grassroots_union_completes_its_info_and_the_lock_lifts(app: TestApp) {
    let sup = app.login_ok("futian", DEMO_PASSWORD).await;
    let (user, initial) = create_grassroots(&app, &sup, "infotest1", "深圳市信息测试有限公司工会委员会").await;
    let (c, _) = app.login(&user, &initial).await;
    app.call(&c, "change_password", &[("current", &initial), ("new", "Kaika2026x"), ("confirm", "Kaika2026x")]).await;
    let o = app.call(&c, "overview/union", &[]).await;
    let missing: Vec<_> = o.body["missing"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    assert_eq!(missing, ["单位名称", "统一社会信用代码", "单位地址", "联系人", "联系电话", "领卡网点"]);
    let form_named = |name: &'static str, credit: &'static str, branch: &'static str| {
        vec![
            ("info[union_name]", name),
            ("info[unit_name]", "深圳市信息测试有限公司"),
            ("info[credit_code]", credit),
            ("info[address]", "深圳市福田区福华路1号"),
            ("info[contact_person]", "陈静"),
            ("info[contact_phone]", "0755-83288565"),
            ("info[pickup_branch]", branch),
        ]
    };
    let form = |credit, branch| form_named("深圳市信息测试有限公司工会委员会", credit, branch);
    let bad = app.call(&c, "union/info/save", &form("91110000600037341M", "104584000101")).await;
    assert_eq!(bad.field_message("credit_code").as_deref(), Some("统一社会信用代码校验位不正确，请核对营业执照。"));
    let bad = app.call(&c, "union/info/save", &form("91110000600037341L", "999999999999")).await;
    assert_eq!(bad.field_message("pickup_branch").as_deref(), Some("无效的领卡网点！"));
    let taken = app
        .call(
            &c,
            "union/info/save",
            &form_named("深圳市示例电子有限公司工会委员会", "91110000600037341L", "104584000101"),
        )
        .await;
    assert!(taken.field_message("union_name").is_some(), "another union's registered name: {:?}", taken.body);
    let ok = app.call(&c, "union/info/save", &form("91110000600037341l", "104584000101")).await;
    assert!(ok.kind().is_none(), "{:?}", ok.body);
    assert_eq!(ok.body["form"]["credit_code"], "91110000600037341L", "stored normalised");
    let o = app.call(&c, "overview/union", &[]).await;
    assert_eq!(o.body["missing"].as_array().unwrap().len(), 0);
    let s = app.call(&sup, "overview/supervisor", &[]).await;
    assert_eq!(s.body["grassroots_total"], 3);
    assert_eq!(s.body["grassroots_info_complete"], 3);
}

async fn a_reset_password_ends_old_sessions_and_unlocks_the_account(app: TestApp) {
    let old_session = app.login_ok("yangban", DEMO_PASSWORD).await;
    for _ in 0..5 {
        app.login("yangban", "wrong-password1").await;
    }
    let (_, locked) = app.login("yangban", DEMO_PASSWORD).await;
    assert_eq!(locked.kind(), Some("locked"));
    let sup = app.login_ok("futian", DEMO_PASSWORD).await;
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'yangban'").fetch_one(&app.db.pool).await.unwrap();
    let r = app.call(&sup, "accounts/reset", &[("user_id", &id.to_string())]).await;
    let fresh = r.body["initial_password"].as_str().unwrap().to_string();
    let gone = app.call(&old_session, "overview/union", &[]).await;
    assert_eq!(gone.kind(), Some("unauthenticated"), "the session from before the reset ended");
    let (_, r) = app.login("yangban", &fresh).await;
    assert_eq!(r.location.as_deref(), Some("/change-password"), "unlocked, and must change again: {:?}", r.body);
    let actions = app::server::audit::actions_for(&app.db, "user:yangban").await.unwrap();
    assert!(actions.contains(&"password_reset".to_string()));
}

async fn a_disabled_account_is_refused_and_its_session_ends(app: TestApp) {
    let union = app.login_ok("shili", DEMO_PASSWORD).await;
    let sup = app.login_ok("futian", DEMO_PASSWORD).await;
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'shili'").fetch_one(&app.db.pool).await.unwrap();
    let r = app.call(&sup, "accounts/disable", &[("user_id", &id.to_string()), ("disabled", "true")]).await;
    assert!(r.kind().is_none(), "{:?}", r.body);
    assert_eq!(app.call(&union, "overview/union", &[]).await.kind(), Some("unauthenticated"));
    let (_, r) = app.login("shili", DEMO_PASSWORD).await;
    assert_eq!(r.body["message"], "该账号已停用，请联系上级工会。");
    app.call(&sup, "accounts/disable", &[("user_id", &id.to_string()), ("disabled", "false")]).await;
    app.login_ok("shili", DEMO_PASSWORD).await;
}

async fn logout_removes_the_session_and_login_issues_a_new_session_id(app: TestApp) {
    let c = client();
    let first = c
        .post(format!("{}/api/login", app.base))
        .form(&[("username", "shili"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = first.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Max-Age=1800"), "idle expiry of 30 minutes: {cookie}");
    let first_id = cookie.split(';').next().unwrap().to_string();
    let second = c
        .post(format!("{}/api/login", app.base))
        .form(&[("username", "yangban"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    let second_id =
        second.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    assert_ne!(first_id, second_id, "login cycles the session id");
    // the old id is no longer honoured
    let replay =
        reqwest::Client::new().post(format!("{}/api/me", app.base)).header("Cookie", &first_id).send().await.unwrap();
    assert_eq!(replay.text().await.unwrap(), "null");
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.db.pool).await.unwrap();
    let r = app.call(&c, "logout", &[]).await;
    assert_eq!(r.location.as_deref(), Some("/login"));
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(after, before - 1, "logout deletes the session row");
    assert_eq!(app.call(&c, "me", &[]).await.body, serde_json::Value::Null);
}

async fn a_database_error_reaches_the_user_as_a_plain_message(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    sqlx::query("DROP TABLE card_events").execute(&app.db.pool).await.unwrap();
    sqlx::query("ALTER TABLE members RENAME TO members_gone").execute(&app.db.pool).await.unwrap();
    let r = app.call(&c, "members/list", &[("query", ""), ("department", ""), ("page", "1")]).await;
    assert_eq!(r.kind(), Some("internal"));
    let text = r.body.to_string();
    assert!(!text.contains("members") && !text.contains("relation") && !text.contains("table"), "{text}");
}

async fn lists_mask_id_and_phone_numbers(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let r = app.call(&c, "members/list", &[("query", ""), ("department", ""), ("page", "1")]).await;
    assert_eq!(r.body["total"], 24);
    for m in r.body["items"].as_array().unwrap() {
        let id = m["id_number_masked"].as_str().unwrap();
        assert!(id.starts_with("4403") && id.contains("**********"), "{id}");
        assert!(m["phone_masked"].as_str().unwrap().contains("****"));
    }
    let by_state =
        app.call(&c, "members/list", &[("query", ""), ("state", "rejected"), ("department", ""), ("page", "1")]).await;
    assert!(by_state.body["items"].as_array().unwrap().iter().all(|m| m["card_state"] == "rejected"));
    let by_name =
        app.call(&c, "members/list", &[("query", "黄丽"), ("department", ""), ("page", "1")]).await;
    assert_eq!(by_name.body["total"], 1);
    // the last digits of a phone or an ID number find the member
    let by_phone =
        app.call(&c, "members/list", &[("query", "138000"), ("department", ""), ("page", "1")]).await;
    assert_eq!(by_phone.body["items"][0]["name"], "黄丽", "{:?}", by_phone.body);
    let id_tail: String = sqlx::query_scalar("SELECT substr(id_number, 13, 6) FROM members WHERE name = '黄丽'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let by_id = app
        .call(
            &c,
            "members/list",
            &[("query", &id_tail.to_lowercase()), ("department", ""), ("page", "1")],
        )
        .await;
    assert!(by_id.body["items"].as_array().unwrap().iter().any(|m| m["name"] == "黄丽"), "{:?}", by_id.body);
    for m in by_id.body["items"].as_array().unwrap() {
        assert!(
            m["id_number_masked"].as_str().unwrap().ends_with(&id_tail[2..])
                || m["phone_masked"].as_str().unwrap().ends_with(&id_tail[2..])
        );
    }
    // the department filter: the departments on record, then one of them
    let departments = app.call(&c, "members/departments", &[]).await;
    let mut counted: Vec<(String, i64)> = sqlx::query_as(
        "SELECT department, COUNT(*) FROM members m JOIN unions u ON u.id = m.union_id \
        WHERE u.name = $1 AND department IS NOT NULL GROUP BY department",
    )
    .bind(unioncard_server::seed::UNION_A)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    counted.sort();
    assert!(counted.len() >= 2, "the demo union has several departments");
    let listed: Vec<(String, i64)> = departments
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap().to_string(), d["members"].as_i64().unwrap()))
        .collect();
    assert_eq!(listed, counted);
    let (dept, n) = &counted[0];
    let by_dept =
        app.call(&c, "members/list", &[("query", ""), ("department", dept), ("page", "1")]).await;
    assert_eq!(by_dept.body["total"], *n);
    assert!(by_dept.body["items"].as_array().unwrap().iter().all(|m| m["department"] == dept.as_str()));
    // a deep page and a state filter together
    let page2 = app.call(&c, "members/list", &[("query", ""), ("department", ""), ("page", "2")]).await;
    assert_eq!(page2.body["items"].as_array().unwrap().len(), 4, "24 members, 20 a page");
}

/// Sessions live in the database: one opened through one server is honoured by another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_opened_on_one_instance_is_honoured_by_another() {
    let first = common::spawn(Engine::Postgres).await;
    let (second_base, _db) = common::start_on(&first.url).await;
    let c = first.login_ok("futian", DEMO_PASSWORD).await;
    let res = c.post(format!("{second_base}/api/me")).send().await.unwrap();
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["username"], "futian");
    // and logging out on the second ends it on the first
    c.post(format!("{second_base}/api/logout")).send().await.unwrap();
    assert_eq!(first.call(&c, "me", &[]).await.body, serde_json::Value::Null);
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    let app = common::spawn(Engine::Sqlite).await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM members").fetch_one(&app.db.pool).await.unwrap()
    };
    let before = count().await;
    let again = unioncard_server::seed::seed_demo(&app.db).await.unwrap();
    assert_eq!(again, unioncard_server::seed::Outcome::AlreadyHasData);
    assert_eq!(count().await, before);
}
