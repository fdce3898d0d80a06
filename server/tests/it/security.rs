//! The headers every response carries: pages and answers are never kept (`no-store`), a page
//! runs under a Content Security Policy whose nonce is on each of its inline scripts (a new one
//! per response), no sniffing, no referrer to other sites, no framing; HSTS once the operator
//! serves HTTPS (secure cookies on). The site's static files may be cached.

use app::{
    api::{
        accounts::{CreateAccount, ListAccounts, ResetPassword},
        auth::{ChangePassword, Login},
        imports::CommitImport,
        members::{GetMember, UpdateMember},
        overview::supervisor::GetSupervisorOverview,
    },
    domain::{
        ids::{MemberId, UnionId, UserId},
        search::TAIL_MESSAGE,
    },
    server::imports::{purge_uploads, ID_HITS_REPORTED, ID_HITS_THROTTLED, ID_HIT_REPORTS_PER_DAY, UPLOAD_DROPPED},
};
use unioncard_server::{
    seed::{DEMO_PASSWORD, UNION_A, UNION_B},
    serve, Settings,
};

use crate::common::{
    client, list_members,
    workbook::{resident_id, workbook},
    TestApp,
};

on_both_engines!(pages_and_answers_are_not_kept_and_run_under_a_content_security_policy);
on_every_collation!(a_supervisor_sees_exactly_its_subtree_whatever_the_database_collation);
on_both_engines!(
    parallel_wrong_passwords_are_counted_before_they_are_checked,
    the_client_address_comes_only_from_the_header_the_operator_names,
    a_long_account_name_is_refused_before_it_is_logged_or_stored,
    wrong_current_passwords_count_toward_the_lock_which_the_supervisor_can_lift,
    a_member_search_takes_an_ending_of_four_to_six_or_a_whole_number_which_is_audited,
    member_searches_are_limited_per_account,
    uploads_and_edits_that_report_other_unions_ids_are_audited_and_throttled,
    upload_files_are_dropped_after_their_time_and_the_record_stays,
);

/// The nonce of a page's Content-Security-Policy header.
fn nonce_of(csp: &str) -> String {
    csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce in the policy").to_string()
}

async fn pages_and_answers_are_not_kept_and_run_under_a_content_security_policy(app: TestApp) {
    let c = client();
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let r = c.get(format!("{}/login", app.base)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let h = r.headers().clone();
        assert_eq!(h["cache-control"], "no-store");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
        assert_eq!(h["x-frame-options"], "DENY");
        assert!(h.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
        let csp = h["content-security-policy"].to_str().unwrap().to_string();
        for part in ["default-src 'self'", "'wasm-unsafe-eval'", "object-src 'none'", "frame-ancestors 'none'"] {
            assert!(csp.contains(part), "{part} in {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let nonce = nonce_of(&csp);
        let body = r.text().await.unwrap();
        let scripts: Vec<&str> = body.split("<script").skip(1).map(|s| s.split('>').next().unwrap()).collect();
        // the sign-in loads no wasm, but the framework still writes its (empty) data stubs
        assert!(!scripts.is_empty(), "the page carries inline scripts");
        for tag in scripts {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "an inline script without this response's nonce: {tag}"
            );
        }
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a new nonce for each response");

    // a server function's answer with personal data is not kept either
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    let r = clerk.post(format!("{}/api/overview/union", app.base)).send().await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["cache-control"].to_str().unwrap()), (200, "no-store"));
    // the site's static files may be cached
    let r = c.get(format!("{}/pkg/unioncard.css", app.base)).send().await.unwrap();
    assert!(r.headers().get("cache-control").is_none(), "{:?}", r.headers());

    // behind HTTPS (secure cookies), browsers are told to keep to it
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = leptos::config::LeptosOptions::builder().output_name("unioncard").site_addr(addr).build();
    tokio::spawn(serve(listener, app.db.clone(), Settings { secure_cookies: true, ..Settings::new(options) }));
    let r = c.get(format!("http://{addr}/login")).send().await.unwrap();
    assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000");
}

/// Unions whose ids pass 20 sit beside single-digit ones (`/1/2/…` and `/1/21/…`): a path range
/// compared under a glibc collation, which ignores `/`, would drop a district's own unions or
/// take in another's. Every supervisor's figures and account list must match the tree.
async fn a_supervisor_sees_exactly_its_subtree_whatever_the_database_collation(app: TestApp) {
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let city_id: UnionId =
        sqlx::query_scalar("SELECT id FROM unions WHERE level = 'city'").fetch_one(&app.db.pool).await.unwrap();
    let max_id =
        || async { sqlx::query_scalar::<_, i64>("SELECT MAX(id) FROM unions").fetch_one(&app.db.pool).await.unwrap() };
    // districts until one has a two-digit id starting with the same digit as 福田's, each with
    // a grassroots union of its own
    let mut n = 0;
    while max_id().await < 24 {
        n += 1;
        let district = CreateAccount {
            parent_id: city_id,
            level: "district".into(),
            union_name: format!("测试{n}区总工会"),
            username: format!("district{n}"),
        };
        let r = app.call_fn(&city, district).await;
        assert!(r.kind().is_none(), "{:?}", r.body);
        let district_id = UnionId(max_id().await);
        let grassroots = CreateAccount {
            parent_id: district_id,
            level: "grassroots".into(),
            union_name: format!("测试{n}区示例工会"),
            username: format!("grassroots{n}"),
        };
        let r = app.call_fn(&city, grassroots).await;
        assert!(r.kind().is_none(), "{:?}", r.body);
    }
    let unions: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, path, level FROM unions").fetch_all(&app.db.pool).await.unwrap();
    let accounts: Vec<String> = sqlx::query_scalar(
        "SELECT n.path FROM users u JOIN unions n ON n.id = u.union_id WHERE u.role IN ('union', 'supervisor')",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    for (id, path, level) in unions.iter().filter(|(_, _, level)| level != "grassroots") {
        let below = |p: &str| p.starts_with(path.as_str());
        let grassroots = unions.iter().filter(|(_, p, l)| l == "grassroots" && below(p)).count();
        let r =
            app.call_fn(&city, GetSupervisorOverview { union_id: Some(UnionId(*id)), sort: None, page: None }).await;
        assert_eq!(r.body["grassroots_total"], grassroots as i64, "grassroots unions below {path} ({level})");
        // its own account sees the accounts strictly below its union
        let accounts_below = accounts.iter().filter(|p| below(p) && *p != path).count();
        let username: String = sqlx::query_scalar("SELECT username FROM users WHERE union_id = $1")
            .bind(*id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let password = if username.starts_with("district") { None } else { Some(DEMO_PASSWORD) };
        if let Some(password) = password {
            let own = app.login_ok(&username, password).await;
            let r = app.call_fn(&own, ListAccounts { query: "".into(), page: 1 }).await;
            assert_eq!(r.body["total"], accounts_below as i64, "accounts below {path} for {username}");
        }
    }
    // the city's account list holds every district made here
    let r = app.call_fn(&city, ListAccounts { query: "district".into(), page: 1 }).await;
    assert_eq!(r.body["total"], n as i64);
}

async fn failures_of(app: &TestApp, username: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = $1")
        .bind(username)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Twenty wrong passwords at once against one account: each is counted before its hash is
/// checked, so exactly five are checked (four told how many tries are left, the fifth locked)
/// and the others are refused as locked without a check.
async fn parallel_wrong_passwords_are_counted_before_they_are_checked(app: TestApp) {
    let attempts = (0..20).map(|_| app.login("shili", "wrong-password1"));
    let replies = futures::future::join_all(attempts).await;
    let mut invalid = 0;
    let mut locked = 0;
    for (_, r) in &replies {
        match (r.status.as_u16(), r.kind()) {
            (422, Some("invalid")) => invalid += 1,
            (429, Some("locked")) => locked += 1,
            other => panic!("{other:?}: {:?}", r.body),
        }
    }
    assert_eq!((invalid, locked), (4, 16), "four told the tries left, the rest locked");
    assert_eq!(failures_of(&app, "shili").await, 5, "exactly five passwords were checked");
    let (_, r) = app.login("shili", DEMO_PASSWORD).await;
    assert_eq!(r.kind(), Some("locked"));
    let message = r.body["message"].as_str().unwrap();
    assert!(message.contains("联系上级工会重置密码"), "the owner is told the way in: {message}");
}

/// Behind a proxy the operator names (`UNIONCARD_TRUSTED_PROXY`), the address it writes counts;
/// without one, an `X-Forwarded-For` a client sends is ignored.
async fn the_client_address_comes_only_from_the_header_the_operator_names(app: TestApp) {
    let spoofing = |headers: &[(&'static str, &'static str)]| {
        let mut h = reqwest::header::HeaderMap::new();
        for (name, value) in headers {
            h.insert(*name, value.parse().unwrap());
        }
        reqwest::Client::builder().default_headers(h).cookie_store(true).build().unwrap()
    };
    let address_of_last_failure = || async {
        sqlx::query_scalar::<_, String>("SELECT address FROM login_failures ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    let wrong = || Login { username: "shili".into(), password: "wrong-password1".into() };
    let c = spoofing(&[("x-forwarded-for", "203.0.113.9"), ("x-real-ip", "203.0.113.9")]);
    app.call_fn(&c, wrong()).await;
    assert_eq!(address_of_last_failure().await, "127.0.0.1", "no proxy named: the peer's address");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = leptos::config::LeptosOptions::builder().output_name("unioncard").site_addr(addr).build();
    let settings = Settings { trusted_proxy: Some("x-real-ip".parse().unwrap()), ..Settings::new(options) };
    tokio::spawn(serve(listener, app.db.clone(), settings));
    let c = spoofing(&[("x-forwarded-for", "198.51.100.1"), ("x-real-ip", "203.0.113.7")]);
    let r = c
        .post(format!("http://{addr}{}", <Login as leptos::server_fn::ServerFn>::PATH))
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(serde_qs::to_string(&wrong()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(address_of_last_failure().await, "203.0.113.7", "the named header's address");
}

async fn a_long_account_name_is_refused_before_it_is_logged_or_stored(app: TestApp) {
    let long = "a".repeat(33);
    let (_, r) = app.login(&long, "whatever1").await;
    assert_eq!((r.status.as_u16(), r.kind()), (422, Some("invalid")), "{:?}", r.body);
    let stored: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM login_failures WHERE username = $1) \
         + (SELECT COUNT(*) FROM audit_log WHERE target LIKE $2)",
    )
    .bind(&long)
    .bind(format!("%{long}%"))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(stored, 0, "nothing logged or stored under a 33-character name");
    // 32 characters is an account name like any other (a wrong one, here)
    let (_, r) = app.login(&"a".repeat(32), "whatever1").await;
    assert!(r.field_message("password").unwrap().starts_with("账号或密码错误，再错4次"));
}

async fn wrong_current_passwords_count_toward_the_lock_which_the_supervisor_can_lift(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let change =
        || ChangePassword { current: "not-it-2026".into(), new: "Newpass2026x".into(), confirm: "Newpass2026x".into() };
    for left in (1..=4).rev() {
        let r = app.call_fn(&c, change()).await;
        assert_eq!(
            r.field_message("current").as_deref(),
            Some(format!("原密码不正确，再错{left}次账号将被锁定15分钟。").as_str()),
            "{:?}",
            r.body
        );
    }
    let r = app.call_fn(&c, change()).await;
    assert_eq!((r.status.as_u16(), r.kind()), (429, Some("locked")), "{:?}", r.body);
    let (_, r) = app.login("shili", DEMO_PASSWORD).await;
    assert_eq!(r.kind(), Some("locked"), "the account is locked for logins too");
    // the owner need not wait out the lock: the supervisor's reset opens it at once
    let sup = app.login_ok("futian", DEMO_PASSWORD).await;
    let id: UserId =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'shili'").fetch_one(&app.db.pool).await.unwrap();
    let r = app.call_fn(&sup, ResetPassword { user_id: id }).await;
    let fresh = r.body["initial_password"].as_str().unwrap().to_string();
    let (_, r) = app.login("shili", &fresh).await;
    assert_eq!(r.location.as_deref(), Some("/change-password"), "{:?}", r.body);
}

/// 黄丽 of the demo union: her member id and full ID number.
async fn huang_li(app: &TestApp) -> (MemberId, String) {
    sqlx::query_as("SELECT id, id_number FROM members WHERE name = '黄丽'").fetch_one(&app.db.pool).await.unwrap()
}

/// Growing a query one character at a time no longer rebuilds a number: endings of 4–6
/// characters find, 7 and more must be the whole number, whose lookup is audited.
async fn a_member_search_takes_an_ending_of_four_to_six_or_a_whole_number_which_is_audited(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let (member, id_number) = huang_li(&app).await;
    let found = |r: &crate::common::Reply| {
        r.body["items"].as_array().is_some_and(|items| items.iter().any(|m| m["name"] == "黄丽"))
    };
    for n in 1..=id_number.len() {
        let ending = &id_number[id_number.len() - n..];
        let r = app.call_fn(&c, list_members(ending, None, "", 1)).await;
        match n {
            1..=3 => {
                assert_eq!(r.field_message("query").as_deref(), Some(TAIL_MESSAGE), "{n}: {:?}", r.body);
            }
            4..=6 => assert!(found(&r), "an ending of {n} finds her: {:?}", r.body),
            7..=17 => assert!(!found(&r) && r.body["total"] == 0, "an ending of {n} is not a search: {:?}", r.body),
            _ => assert!(found(&r), "the whole number finds her"),
        }
    }
    let looked_up: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'member_looked_up' AND target = $1")
            .bind(format!("member:{member}"))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(looked_up, 1, "the whole-number lookup is audited as a view of her record");
    // the list still shows her numbers masked
    let r = app.call_fn(&c, list_members(&id_number, None, "", 1)).await;
    assert!(r.body["items"][0]["id_number_masked"].as_str().unwrap().contains("****"));
}

async fn member_searches_are_limited_per_account(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    for i in 0..30 {
        let r = app.call_fn(&c, list_members("黄丽", None, "", 1)).await;
        assert_eq!(r.body["total"], 1, "search {i}: {:?}", r.body);
    }
    let r = app.call_fn(&c, list_members("1234", None, "", 1)).await;
    assert_eq!((r.status.as_u16(), r.kind()), (429, Some("locked")), "{:?}", r.body);
    assert_eq!(r.body["message"], "查询过于频繁，请稍后再试。");
    // the plain list (no search) still pages, and another account has its own count
    assert_eq!(app.call_fn(&c, list_members("", None, "", 1)).await.body["total"], 24);
    let other = app.login_ok("yangban", DEMO_PASSWORD).await;
    assert!(app.call_fn(&other, list_members("1234", None, "", 1)).await.kind().is_none());
}

/// The guide's messages stay, but each upload or edit that reports IDs held by another union or
/// under another name writes which members' IDs it reported; a union that does it too often in
/// a day is stopped and shown to its supervisor.
async fn uploads_and_edits_that_report_other_unions_ids_are_audited_and_throttled(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let union_a = app.union_id(UNION_A).await;
    let union_b = app.union_id(UNION_B).await;
    let others: Vec<(MemberId, String, String)> =
        sqlx::query_as("SELECT id, name, id_number FROM members WHERE union_id = $1 ORDER BY id LIMIT 2")
            .bind(union_b)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let reports = || async {
        sqlx::query_as::<_, (String, String)>("SELECT target, detail FROM audit_log WHERE action = $1 ORDER BY id")
            .bind(ID_HITS_REPORTED)
            .fetch_all(&app.db.pool)
            .await
            .unwrap()
    };
    // a clean file and a file with the union's own IDs report nothing
    let own = huang_li(&app).await;
    let (status, _) =
        app.upload(&c, "own.xlsx", workbook(UNION_A, &[["黄丽", own.1.as_str(), "13800138000", "生产部"]])).await;
    assert_eq!(status, 200);
    assert!(reports().await.is_empty());

    // an edit that changes an ID to another union's
    let mine: MemberId =
        sqlx::query_scalar("SELECT id FROM members WHERE union_id = $1 AND name <> '黄丽' ORDER BY id LIMIT 1")
            .bind(union_a)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let d = app.call_fn(&c, GetMember { id: mine }).await;
    let mut input: app::domain::member::MemberInput = serde_json::from_value(d.body["input"].clone()).unwrap();
    input.id_number = others[0].2.clone();
    let r = app.call_fn(&c, UpdateMember { id: mine, input: input.clone() }).await;
    assert_eq!(r.field_message("id_number").as_deref(), Some("该证件号码已存在！"), "{:?}", r.body);
    assert_eq!(reports().await, [(format!("union:{union_a}"), format!("member:{mine} members={}", others[0].0))]);

    // a file with one of them under its own name and one under another name
    let file = workbook(
        UNION_A,
        &[
            [others[0].1.as_str(), others[0].2.as_str(), "13912345678", "生产部"],
            ["别的名字", others[1].2.as_str(), "13912345679", "生产部"],
            ["新会员", resident_id("44030519900101123").as_str(), "13912345670", "生产部"],
        ],
    );
    let (status, p) = app.upload(&c, "probe.xlsx", file.clone()).await;
    assert_eq!(status, 200, "{p}");
    // one answer for another union's ID under its own name and under another: the file cannot
    // tell which name is on record under it
    let answers: Vec<(&str, &str, &str)> = p["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["row"] == 5 || i["row"] == 6)
        .map(|i| (i["code"].as_str().unwrap(), i["message"].as_str().unwrap(), i["hint"].as_str().unwrap()))
        .collect();
    assert_eq!(answers.len(), 2, "{p}");
    assert_eq!(answers[0], answers[1], "{answers:?}");
    assert_eq!(answers[0].0, "id_in_other_union");
    assert!(answers[0].2.contains("该会员身份证已存在于其他工会") && answers[0].2.contains("证件号码与姓名不对应"));
    let import_id = p["import_id"].as_str().unwrap();
    let last = reports().await.pop().unwrap();
    assert_eq!(
        last,
        (format!("union:{union_a}"), format!("import:{import_id} members={},{}", others[0].0, others[1].0))
    );
    let detail_has_numbers = reports().await.iter().any(|(_, d)| d.contains(&others[0].2));
    assert!(!detail_has_numbers, "the log names members, never their numbers");

    // up to the day's limit, then the union's uploads and ID changes wait
    for _ in 2..ID_HIT_REPORTS_PER_DAY {
        assert_eq!(app.upload(&c, "probe.xlsx", file.clone()).await.0, 200);
    }
    assert_eq!(reports().await.len() as i64, ID_HIT_REPORTS_PER_DAY);
    let (status, refused) = app
        .upload(
            &c,
            "clean.xlsx",
            workbook(UNION_A, &[["新会员", resident_id("44030519900101123").as_str(), "13912345670", "生产部"]]),
        )
        .await;
    assert_eq!((status, refused["message"].as_str()), (429, Some(ID_HITS_THROTTLED)), "{refused}");
    let r = app.call_fn(&c, UpdateMember { id: mine, input }).await;
    assert_eq!((r.status.as_u16(), r.body["message"].as_str()), (429, Some(ID_HITS_THROTTLED)));
    // another union is not held back
    let b = app.login_ok("yangban", DEMO_PASSWORD).await;
    assert_eq!(
        app.upload(
            &b,
            "own.xlsx",
            workbook(UNION_B, &[["某人", resident_id("44030519900101124").as_str(), "13912345671", "部"]])
        )
        .await
        .0,
        200
    );

    // the supervisor sees it
    let sup = app.login_ok("futian", DEMO_PASSWORD).await;
    let o = app.call_fn(&sup, GetSupervisorOverview { union_id: None, sort: None, page: None }).await;
    let hits = o.body["id_hit_unions"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["name"], UNION_A);
    assert_eq!(hits[0]["reports"], ID_HIT_REPORTS_PER_DAY);
    assert_eq!(hits[0]["throttled"], true);
}

/// A committed upload's file is kept for the retention time, a never-committed one for a day
/// with its staged rows; after that the record stays without the file.
async fn upload_files_are_dropped_after_their_time_and_the_record_stays(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let file = |n: &str| {
        workbook(UNION_A, &[["新会员", resident_id(&format!("4403051990010{n}")).as_str(), "13912345670", "生产部"]])
    };
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let c = c.clone();
        let app = &app;
        async move {
            let (status, p) = app.upload(&c, name, bytes).await;
            assert_eq!(status, 200, "{p}");
            p["import_id"].as_str().unwrap().to_string()
        }
    };
    // several files checked at once wait their turn rather than fail
    let ids = futures::future::join_all([
        upload("old-committed.xlsx", file("1123")),
        upload("recent-committed.xlsx", file("1124")),
        upload("old-preview.xlsx", file("1125")),
        upload("recent-preview.xlsx", file("1126")),
    ])
    .await;
    for id in &ids[..2] {
        let r = app.call_fn(&c, CommitImport { import_id: id.clone() }).await;
        assert!(r.kind().is_none(), "{:?}", r.body);
    }
    let now = app::server::db::now();
    let day = 86_400;
    let backdate = |sql: &'static str, id: String, at: i64| {
        let pool = app.db.pool.clone();
        async move { sqlx::query(sql).bind(at).bind(id).execute(&pool).await.unwrap() }
    };
    backdate("UPDATE imports SET created_at = $1, committed_at = $1 WHERE id = $2", ids[0].clone(), now - 91 * day)
        .await;
    backdate("UPDATE imports SET created_at = $1, committed_at = $1 WHERE id = $2", ids[1].clone(), now - 89 * day)
        .await;
    backdate("UPDATE imports SET created_at = $1 WHERE id = $2", ids[2].clone(), now - day - 60).await;
    assert_eq!(purge_uploads(&app.db, now, 90).await.unwrap(), 2);
    assert_eq!(purge_uploads(&app.db, now, 90).await.unwrap(), 0, "once");
    for (i, id) in ids.iter().enumerate() {
        let (size, staged, dropped, rows, who): (i64, Option<String>, Option<i64>, i64, Option<i64>) = sqlx::query_as(
            "SELECT LENGTH(file), staged, file_dropped_at, rows_read, user_id FROM imports WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let gone = i == 0 || i == 2;
        assert_eq!((size == 0, dropped.is_some()), (gone, gone), "upload {i}");
        assert_eq!((rows, who.is_some()), (1, true), "the record stays: upload {i}");
        if i == 2 {
            assert_eq!(staged, None, "the staged rows go with the file");
        }
        if i == 3 {
            assert!(staged.is_some(), "a preview of today keeps its staged rows");
        }
    }
    // the dropped preview cannot be committed (though this instance still holds its checked rows
    // in memory), nor its report downloaded: said plainly
    let r = app.call_fn(&c, CommitImport { import_id: ids[2].clone() }).await;
    assert_eq!(r.body["message"], UPLOAD_DROPPED, "{:?}", r.body);
    let page = c.get(format!("{}/union/imports/{}/report.xlsx", app.base, ids[2])).send().await.unwrap();
    assert_eq!(page.status(), 422);
    assert!(page.text().await.unwrap().contains("已超过保存期限"));
    // the recent preview still commits
    let r = app.call_fn(&c, CommitImport { import_id: ids[3].clone() }).await;
    assert_eq!(r.body["imported"], 1, "{:?}", r.body);
    // an operator who shortens the time drops what is past it at once with the CLI
    let purge = |days: &'static str| {
        let url = app.url.clone();
        async move {
            let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_unioncard"))
                .env("DATABASE_URL", url)
                .env("UNIONCARD_UPLOAD_RETENTION_DAYS", days)
                .args(["uploads", "purge"])
                .output()
                .await
                .unwrap();
            (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).to_string())
        }
    };
    let (code, stdout) = purge("30").await;
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.starts_with("已删除 1 个超过保存期限的上传文件（已导入的保存30天"), "{stdout}");
    let (code, _) = purge("zero").await;
    assert_ne!(code, 0, "a retention that is not a number of days is refused");
}
