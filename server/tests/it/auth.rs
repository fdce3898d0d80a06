//! Signing in and out: each role's landing, the failed-login lockout, the initial password,
//! session cookies, the cross-site guard, and sessions shared by two instances.

use app::{
    api::{
        auth::{ChangePassword, Login, Logout, WhoAmI},
        member_portal::GetMyCard,
        overview::{bank::GetBankOverview, union::GetUnionOverview},
        unions::{GetUnionInfo, SaveUnionInfo},
    },
    domain::union_info::UnionInfoForm,
};
use leptos::server_fn::ServerFn;
use unioncard_server::seed::DEMO_PASSWORD;

use crate::common::{self, client, list_members, Engine, TestApp};

on_both_engines!(
    each_demo_role_logs_in_and_lands_on_its_own_portal,
    a_wrong_password_counts_down_and_the_fifth_failure_locks_the_account,
    a_new_account_can_do_nothing_but_change_its_initial_password,
    logout_removes_the_session_and_login_issues_a_new_session_id,
    a_cross_site_post_is_refused_before_it_reaches_any_server_function,
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
        let me = app.call_fn(&c, WhoAmI {}).await;
        assert_eq!(me.body["role"], role, "{user}");
        let (status, html) = app.get_page(&c, home).await;
        assert!(status.is_success(), "{user} opens {home}");
        assert!(html.contains("会员服务卡"), "{home} renders the app shell");
    }
    let bank = app.login_ok("boc", DEMO_PASSWORD).await;
    let o = app.call_fn(&bank, GetBankOverview {}).await;
    assert_eq!(o.body["bank_name"], "中国银行深圳市分行");
    let codes: Vec<_> =
        o.body["branches"].as_array().unwrap().iter().map(|b| b["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(codes, ["104584000101", "104584000102"]);
    let member = app.login_ok("member", DEMO_PASSWORD).await;
    let card = app.call_fn(&member, GetMyCard {}).await;
    assert_eq!(card.body["name"], "黄丽");
    assert_eq!(card.body["union_name"], "深圳市示例电子有限公司工会委员会");
    // 黄丽's card has been handed out: from the record's creation to 已发放, in order
    let steps: Vec<_> =
        card.body["history"].as_array().unwrap().iter().map(|e| e["what"].as_str().unwrap().to_string()).collect();
    assert_eq!(
        steps,
        [
            "工会已采集您的信息",
            "工会已提交办卡申请",
            "银行审核通过，开始制卡",
            "卡片制作完成",
            "卡片已送达工会",
            "工会登记已发放"
        ]
    );
    assert_eq!(card.body["card_state"], "distributed");
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
        assert_eq!((r.status.as_u16(), r.kind()), (422, Some("invalid")), "{:?}", r.body);
    }
    let (_, fifth) = app.login("shili", "wrong-password1").await;
    assert_eq!(fifth.kind(), Some("locked"), "{:?}", fifth.body);
    assert_eq!(fifth.status.as_u16(), 429, "{:?}", fifth.body);
    let (_, right) = app.login("shili", DEMO_PASSWORD).await;
    assert_eq!(right.kind(), Some("locked"), "the right password is refused while locked");
    assert_eq!(right.status.as_u16(), 429);
    assert!(right.body["message"].as_str().unwrap().contains("已被锁定15分钟"));
    // another account from the same address is not affected
    app.login_ok("yangban", DEMO_PASSWORD).await;
    // an unknown account answers like a wrong password, not "no such account"
    let (_, unknown) = app.login("nobody-here", "whatever1").await;
    assert!(unknown.field_message("password").unwrap().starts_with("账号或密码错误"));
}

async fn a_new_account_can_do_nothing_but_change_its_initial_password(app: TestApp) {
    let sup = app.login_ok("futian", DEMO_PASSWORD).await;
    let (user, initial) = app.create_grassroots(&sup, "newunion01", "深圳市新建科技有限公司工会委员会").await;
    assert_ne!(initial, "szgh123456", "no shared default password");
    assert!(initial.len() >= 10);
    let (c, r) = app.login(&user, &initial).await;
    assert_eq!(r.location.as_deref(), Some("/change-password"));
    let waiting = [
        ("union/info", app.call_fn(&c, GetUnionInfo {}).await),
        ("overview/union", app.call_fn(&c, GetUnionOverview {}).await),
        ("members/list", app.call_fn(&c, list_members("", None, "", 1)).await),
    ];
    for (endpoint, r) in waiting {
        assert_eq!(r.kind(), Some("password_change_required"), "{endpoint} must wait for the change");
        assert_eq!(r.status.as_u16(), 403, "{endpoint}");
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
    let change = |current: &str, new: &str, confirm: &str| ChangePassword {
        current: current.into(),
        new: new.into(),
        confirm: confirm.into(),
    };
    let weak = app.call_fn(&c, change(&initial, "short", "short")).await;
    assert!(weak.field_message("new").is_some(), "{:?}", weak.body);
    // an empty field is asked for, and is no guess toward the lock
    let empty = app.call_fn(&c, change("", "Kaika2026x", "Kaika2026x")).await;
    assert_eq!(
        empty.field_message("current").as_deref(),
        Some("请输入初始密码。"),
        "a first login asks for the initial one"
    );
    let wrong = app.call_fn(&c, change("not-it-123", "Kaika2026x", "Kaika2026x")).await;
    assert_eq!(wrong.field_message("current").as_deref(), Some("原密码不正确，再错4次账号将被锁定15分钟。"));
    let ok = app.call_fn(&c, change(&initial, "Kaika2026x", "Kaika2026x")).await;
    assert_eq!(ok.location.as_deref(), Some("/union"), "{:?}", ok.body);
    let info = app.call_fn(&c, GetUnionInfo {}).await;
    assert!(info.kind().is_none(), "after the change the union works: {:?}", info.body);
    let (status, _) = app.get_page(&c, "/union/members").await;
    assert_eq!(status, reqwest::StatusCode::OK, "after the change the pages open");
    // the initial password is dead
    let (_, old) = app.login(&user, &initial).await;
    assert!(old.kind().is_some());
    app.login_ok(&user, "Kaika2026x").await;
}

async fn logout_removes_the_session_and_login_issues_a_new_session_id(app: TestApp) {
    let c = client();
    let login = |username: &str| Login { username: username.into(), password: DEMO_PASSWORD.into() };
    let first = app.call_fn(&c, login("shili")).await;
    let cookie = first.headers.get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Max-Age=1800"), "idle expiry of 30 minutes: {cookie}");
    let first_id = cookie.split(';').next().unwrap().to_string();
    let second = app.call_fn(&c, login("yangban")).await;
    let second_id = second.headers.get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    assert_ne!(first_id, second_id, "login cycles the session id");
    // the old id is no longer honoured (a cookie sent by hand, not kept by a client)
    let replay = reqwest::Client::new()
        .post(format!("{}{}", app.base, WhoAmI::PATH))
        .header("Cookie", &first_id)
        .send()
        .await
        .unwrap();
    let nobody: <WhoAmI as ServerFn>::Output = postcard::from_bytes(&replay.bytes().await.unwrap()).unwrap();
    assert!(nobody.is_none(), "{nobody:?}");
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.db.pool).await.unwrap();
    let r = app.call_fn(&c, Logout {}).await;
    assert_eq!(r.location.as_deref(), Some("/login"));
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(after, before - 1, "logout deletes the session row");
    assert_eq!(app.call_fn(&c, WhoAmI {}).await.body, serde_json::Value::Null);
}

async fn a_cross_site_post_is_refused_before_it_reaches_any_server_function(app: TestApp) {
    let union = app.login_ok("shili", DEMO_PASSWORD).await;
    // a well-formed call, sent with the header a cross-site form post carries
    let save = SaveUnionInfo { info: UnionInfoForm { union_name: "x".into(), ..Default::default() } };
    let res = union
        .post(format!("{}{}", app.base, SaveUnionInfo::PATH))
        .header("Origin", "http://evil.example")
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(serde_qs::to_string(&save).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = union
        .post(format!("{}{}", app.base, Logout::PATH))
        .header("Sec-Fetch-Site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let still = app.call_fn(&union, WhoAmI {}).await;
    assert_eq!(still.body["username"], "shili", "the refused logout did nothing");
}

/// Sessions live in the database: one opened through one server is honoured by another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_opened_on_one_instance_is_honoured_by_another() {
    let first = common::spawn(Engine::Postgres).await;
    let second = first.another_instance().await;
    let c = first.login_ok("futian", DEMO_PASSWORD).await;
    let me = second.call_fn(&c, WhoAmI {}).await;
    assert_eq!(me.body["username"], "futian");
    // and logging out on the second ends it on the first
    second.call_fn(&c, Logout {}).await;
    assert_eq!(first.call_fn(&c, WhoAmI {}).await.body, serde_json::Value::Null);
}

/// A server started beside one that is serving pages (a second instance in the same process, as
/// here and in the tests) leaves those pages alone. Generating the app's routes runs the app with
/// every resource held back by a flag of the whole process, and a page's resource first polled in
/// that moment never loaded: the page's answer never came (a CI run once waited on it until it
/// was stopped). The routes are now generated once per process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_being_served_finish_while_another_server_starts() {
    use std::time::Duration;
    let app = common::spawn(Engine::Sqlite).await;
    let c = app.login_ok("futian", DEMO_PASSWORD).await;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let starting = {
        let (db, done) = (app.db.clone(), done.clone());
        tokio::spawn(async move {
            let options = leptos::prelude::LeptosOptions::builder().output_name("unioncard").build();
            let mut started = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                drop(unioncard_server::router(db.clone(), unioncard_server::Settings::new(options.clone())));
                started += 1;
                tokio::task::yield_now().await;
            }
            started
        })
    };
    for round in 0..40 {
        for path in ["/supervisor", "/supervisor/accounts"] {
            let page = tokio::time::timeout(Duration::from_secs(30), app.get_page(&c, path)).await;
            let (status, html) = page.unwrap_or_else(|_| panic!("{path} never finished (round {round})"));
            assert!(status.is_success() && html.contains("会员服务卡"), "{path}: {status}");
        }
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(starting.await.unwrap() > 0, "servers were started meanwhile");
}
