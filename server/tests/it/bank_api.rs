//! /api/bank/v1: a token from the CLI's function, batches listed and read, a review posted with
//! per-item answers, idempotent replays, and every kind of bad input answered with a problem.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::TestApp;

on_both_engines!(
    a_bank_system_reads_batches_and_posts_a_review_idempotently,
    bad_requests_are_problems_and_change_nothing,
    card_events_carry_a_card_from_the_factory_to_activation,
    identical_requests_sent_together_do_the_work_once,
    a_rotated_token_stops_and_its_successor_works,
    the_tokens_page_has_no_script_and_shows_a_new_token_once,
);

/// 接口令牌 without scripts: 创建令牌 is a plain form; the page that answers it shows the new
/// token once (the session keeps it between the post and that page, then not), a refused
/// purpose comes back as typed with its message, and 更换 shows its successor the same way.
async fn the_tokens_page_has_no_script_and_shows_a_new_token_once(app: TestApp) {
    use crate::common::{follow, post_form, script_free};
    let officer = app.login_ok("boc", unioncard_server::seed::DEMO_PASSWORD).await;
    let (_, page) = app.get_page(&officer, "/bank/tokens").await;
    assert!(!script_free(&page).is_empty(), "no script on 接口令牌: {page}");

    let long = "对接".repeat(26);
    let (status, to) = post_form(&app, &officer, "bank/tokens/create", "/bank/tokens", &[("name", &long)]).await;
    assert!(status == 302 && to.contains("__err="), "{status} {to}");
    let page = follow(&app, &officer, &to).await;
    assert!(page.contains("请填写令牌用途（50字以内）"), "{page}");
    assert!(page.contains(&format!(r#"value="{long}""#)), "the purpose as typed: {page}");
    assert!(page.contains(r#"aria-invalid="true""#), "the purpose marked invalid: {page}");

    let (status, to) =
        post_form(&app, &officer, "bank/tokens/create", "/bank/tokens", &[("name", "信贷系统对接")]).await;
    assert!(status == 302 && !to.contains("__err"), "{status} {to}");
    let page = follow(&app, &officer, &to).await;
    let token = |page: &str| {
        page.split(r#"<code class="mono token">"#).nth(1).map(|rest| rest.split('<').next().unwrap().to_string())
    };
    let made = token(&page).expect("the new token on the page that answers");
    assert!(made.starts_with("ucb_") && made.len() == 68, "{made}");
    assert!(!page.contains(&format!(r#"value="{long}""#)), "the refused purpose was read once");
    let http = reqwest::Client::new();
    let works = |t: String| {
        let (http, base) = (http.clone(), app.base.clone());
        async move { http.get(format!("{base}/api/bank/v1/batches")).bearer_auth(t).send().await.unwrap().status() }
    };
    assert_eq!(works(made.clone()).await, StatusCode::OK);
    assert_eq!(token(&follow(&app, &officer, "/bank/tokens").await), None, "shown once only");

    // 更换 the same way; a script's call (the answer read by the caller) leaves nothing behind
    let id: i64 = sqlx::query_scalar("SELECT id FROM bank_tokens WHERE name = '信贷系统对接'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (status, to) =
        post_form(&app, &officer, "bank/tokens/rotate", "/bank/tokens", &[("id", &id.to_string())]).await;
    assert_eq!(status, 302, "{to}");
    let successor = token(&follow(&app, &officer, &to).await).expect("the successor shown");
    assert_ne!(successor, made);
    assert_eq!(works(made).await, StatusCode::UNAUTHORIZED);
    assert_eq!(works(successor).await, StatusCode::OK);
    let called = app.call_fn(&officer, app::api::bank_tokens::CreateToken { name: "另一系统".into() }).await;
    assert!(called.body["token"].is_string(), "{:?}", called.body);
    assert_eq!(token(&follow(&app, &officer, "/bank/tokens").await), None, "nothing kept for a script's call");

    // a token revoked before its page came is not shown (nor one whose page comes too late)
    let (_, to) = post_form(&app, &officer, "bank/tokens/create", "/bank/tokens", &[("name", "短命系统")]).await;
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM bank_tokens WHERE name = '短命系统'").fetch_one(&app.db.pool).await.unwrap();
    let r = app.call_fn(&officer, app::api::bank_tokens::RevokeToken { id }).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    assert_eq!(token(&follow(&app, &officer, &to).await), None, "a revoked token is not one to copy");
}

/// 轮换: the old token answers 401 at once, the new one (same name) works, and another bank's
/// officer cannot rotate it.
async fn a_rotated_token_stops_and_its_successor_works(app: TestApp) {
    use app::api::bank_tokens::{CreateToken, ListTokens, RotateToken};
    let officer = app.login_ok("boc", unioncard_server::seed::DEMO_PASSWORD).await;
    let made = app.call_fn(&officer, CreateToken { name: "信贷系统对接".into() }).await;
    let (id, old) = (made.body["id"].as_i64().unwrap(), made.body["token"].as_str().unwrap().to_string());
    let http = reqwest::Client::new();
    let status = |token: String| {
        let (http, base) = (http.clone(), app.base.clone());
        async move { http.get(format!("{base}/api/bank/v1/batches")).bearer_auth(token).send().await.unwrap().status() }
    };
    assert_eq!(status(old.clone()).await, StatusCode::OK);
    let stranger = app.another_bank().await;
    let r = app.call_fn(&stranger, RotateToken { id }).await;
    assert_eq!(r.kind(), Some("not_found"), "{:?}", r.body);
    assert_eq!(status(old.clone()).await, StatusCode::OK, "another bank's attempt changed nothing");
    let rotated = app.call_fn(&officer, RotateToken { id }).await;
    let new = rotated.body["token"].as_str().expect("a new token").to_string();
    assert_ne!(new, old);
    assert_eq!(status(old).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status(new).await, StatusCode::OK);
    let list = app.call_fn(&officer, ListTokens {}).await;
    let named: Vec<(bool, &str)> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["name"] == "信贷系统对接")
        .map(|t| (t["revoked"].as_bool().unwrap(), t["name"].as_str().unwrap()))
        .collect();
    // newest first: the new one live, the old one revoked
    assert_eq!(named, [(false, "信贷系统对接"), (true, "信贷系统对接")]);
}

/// A token of the demo bank `boc`, made as `unioncard bank-token create --user boc` makes it.
async fn token_of(app: &TestApp, user: &str) -> String {
    let (u, _) = app::server::auth::login_record(&app.db, user).await.unwrap().expect("the account");
    app::server::bank_tokens::create(&app.db, u.bank_id.unwrap(), u.id, "测试").await.unwrap().1
}

struct Api<'a> {
    app: &'a TestApp,
    token: String,
    http: reqwest::Client,
}

impl Api<'_> {
    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self.http.get(format!("{}{path}", self.app.base)).bearer_auth(&self.token).send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, key: Option<&str>, body: &str) -> (StatusCode, Value, bool, String) {
        let mut req = self
            .http
            .post(format!("{}{path}", self.app.base))
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        let replayed = r.headers().get("idempotency-replayed").is_some();
        let kind = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        (status, r.json().await.unwrap_or(Value::Null), replayed, kind)
    }
}

/// A batch of the demo with cards still under review, and those members.
async fn waiting_batch(api: &Api<'_>) -> (i64, Vec<i64>) {
    let (status, page) = api.get("/api/bank/v1/batches?state=submitted").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let batch = page["items"][0]["id"].as_i64().expect("a batch under review");
    let (_, detail) = api.get(&format!("/api/bank/v1/batches/{batch}")).await;
    let waiting = detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["card_state"] == "submitted")
        .map(|m| m["member"].as_i64().unwrap())
        .collect();
    (batch, waiting)
}

async fn card_state(app: &TestApp, member: i64) -> String {
    sqlx::query_scalar("SELECT state FROM cards WHERE member_id = $1")
        .bind(member)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn a_bank_system_reads_batches_and_posts_a_review_idempotently(app: TestApp) {
    let api = Api { app: &app, token: token_of(&app, "boc").await, http: reqwest::Client::new() };
    let (status, all) = api.get("/api/bank/v1/batches?limit=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
    let cursor = all["next_cursor"].as_i64().expect("a second page");
    let (_, next) = api.get(&format!("/api/bank/v1/batches?limit=1&cursor={cursor}")).await;
    assert!(next["items"][0]["id"].as_i64().unwrap() > cursor);

    let (batch, waiting) = waiting_batch(&api).await;
    assert!(waiting.len() >= 2, "the demo batch has cards under review: {waiting:?}");
    let (_, detail) = api.get(&format!("/api/bank/v1/batches/{batch}")).await;
    let full_id = detail["members"][0]["id_number"].as_str().unwrap();
    assert_eq!(full_id.len(), 18, "the bank reads the full record");
    let viewed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'api_batch_viewed'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(viewed, 2, "each read of a batch is audited");

    let body = json!({"results": [
        {"member": waiting[0], "decision": "approve"},
        {"member": waiting[1], "decision": "reject", "reason_code": "phone_invalid", "reason": "空号"},
        {"member": 999_999, "decision": "approve"},
    ]})
    .to_string();
    let path = format!("/api/bank/v1/batches/{batch}/reviews");
    let (status, answer, replayed, _) = api.post(&path, Some("review-1"), &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(!replayed);
    let outcomes: Vec<&str> =
        answer["results"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["applied", "applied", "refused"]);
    assert_eq!(answer["results"][2]["code"], "member_not_in_batch");
    assert_eq!(card_state(&app, waiting[0]).await, "in_production");
    assert_eq!(card_state(&app, waiting[1]).await, "rejected");
    let reason: String = sqlx::query_scalar("SELECT reason FROM card_rejections WHERE member_id = $1")
        .bind(waiting[1])
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(reason, "phone_invalid");

    // the same key and body: the first answer again, nothing moved twice
    let events_before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM card_events").fetch_one(&app.db.pool).await.unwrap();
    let (status, again, replayed, _) = api.post(&path, Some("review-1"), &body).await;
    assert_eq!((status, replayed), (StatusCode::OK, true));
    assert_eq!(again, answer);
    // the same decisions under a new key: already applied
    let (_, fresh, _, _) = api.post(&path, Some("review-2"), &body).await;
    let outcomes: Vec<&str> =
        fresh["results"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["already_applied", "already_applied", "refused"]);
    // the opposite decision on a card already reviewed: the lifecycle refuses it
    let flip =
        json!({"results": [{"member": waiting[0], "decision": "reject", "reason_code": "other", "reason": "再看看"}]});
    let (status, flipped, _, kind) = api.post(&path, Some("review-3"), &flip.to_string()).await;
    assert_eq!((status, flipped["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("nothing_applied")));
    assert_eq!(kind, "application/problem+json");
    assert_eq!(flipped["results"][0]["code"], "not_allowed_in_state", "{flipped}");
    let events_after: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM card_events").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(events_after, events_before);
    // the same key with another body is refused
    let (status, problem, _, kind) = api.post(&path, Some("review-1"), &flip.to_string()).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("idempotency_key_reused")));
    assert_eq!(kind, "application/problem+json");
    // the desk sees what the API did: the same lifecycle, the same counts
    assert!(app::server::cards::check_counts(&app.db).await.unwrap().is_empty());
    assert_eq!(app::server::subtree::check(&app.db).await.unwrap(), vec![], "subtree figures differ from their unions");

    // the OpenAPI document names the endpoints
    let doc: Value =
        reqwest::get(format!("{}/api/bank/v1/openapi.json", app.base)).await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for p in [
        "/api/bank/v1/batches",
        "/api/bank/v1/batches/{batch}",
        "/api/bank/v1/batches/{batch}/reviews",
        "/api/bank/v1/cards/events",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p} documented");
    }
}

async fn bad_requests_are_problems_and_change_nothing(app: TestApp) {
    let api = Api { app: &app, token: token_of(&app, "boc").await, http: reqwest::Client::new() };
    let (batch, waiting) = waiting_batch(&api).await;
    let path = format!("/api/bank/v1/batches/{batch}/reviews");
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM card_events").fetch_one(&app.db.pool).await.unwrap();
    let good = json!({"results": [{"member": waiting[0], "decision": "approve"}]}).to_string();
    let cases: Vec<(Option<&str>, String, u16, &str)> = vec![
        (Some("k1"), "{not json".into(), 400, "malformed_json"),
        (Some("k2"), json!({"results": [], "extra": 1}).to_string(), 422, "invalid_body"),
        (
            Some("k3"),
            json!({"results": [{"member": 1, "decision": "approve", "colour": "red"}]}).to_string(),
            422,
            "invalid_body",
        ),
        (Some("k4"), "x".repeat(2 * 1024 * 1024), 413, "body_too_large"),
        (None, good.clone(), 400, "idempotency_key_required"),
    ];
    for (key, body, status, code) in cases {
        let (s, problem, _, kind) = api.post(&path, key, &body).await;
        assert_eq!((s.as_u16(), problem["code"].as_str()), (status, Some(code)), "{problem}");
        assert_eq!(kind, "application/problem+json");
        assert!(problem["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert_eq!(problem["status"], status);
    }
    // no token, a wrong one, a revoked one
    let anonymous = reqwest::Client::new().get(format!("{}/api/bank/v1/batches", app.base)).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    let wrong = Api { app: &app, token: "ucb_0000".into(), http: reqwest::Client::new() };
    assert_eq!(wrong.get("/api/bank/v1/batches").await.1["code"], "unauthorized");
    let revoked = token_of(&app, "boc").await;
    let (u, _) = app::server::auth::login_record(&app.db, "boc").await.unwrap().unwrap();
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM bank_tokens").fetch_one(&app.db.pool).await.unwrap();
    app::server::bank_tokens::revoke(&app.db, u.bank_id.unwrap(), u.id, id).await.unwrap();
    let gone = Api { app: &app, token: revoked, http: reqwest::Client::new() };
    assert_eq!(gone.get("/api/bank/v1/batches").await.0, StatusCode::UNAUTHORIZED);
    // another bank's token sees none of this bank's batches
    app.another_bank().await;
    let other = Api { app: &app, token: token_of(&app, "otherbank").await, http: reqwest::Client::new() };
    assert_eq!(other.get("/api/bank/v1/batches").await.1["items"].as_array().unwrap().len(), 0);
    let (status, problem) = other.get(&format!("/api/bank/v1/batches/{batch}")).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let (status, _, _, _) = other.post(&path, Some("o1"), &good).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // bad parameters and unknown paths
    assert_eq!(api.get("/api/bank/v1/batches?state=done").await.1["code"], "invalid_state");
    assert_eq!(api.get("/api/bank/v1/batches?limit=0").await.1["code"], "invalid_limit");
    assert_eq!(api.get("/api/bank/v1/nothing").await.1["code"], "not_found");
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM card_events").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(after, events, "nothing moved");
    assert_eq!(card_state(&app, waiting[0]).await, "submitted");
    // and the server is still up
    assert!(reqwest::get(format!("{}/healthz", app.base)).await.unwrap().status().is_success());
}

/// Posts card events under a fresh key; answers each item's outcome and code.
async fn events(api: &Api<'_>, key: &str, events: Value) -> Vec<(String, Option<String>)> {
    let body = json!({ "events": events }).to_string();
    let (status, answer, _, _) = api.post("/api/bank/v1/cards/events", Some(key), &body).await;
    // every item refused: the request as a whole is a 422 problem, still answering each item
    let all_refused = answer["results"].as_array().is_some_and(|r| r.iter().all(|r| r["outcome"] == "refused"));
    if all_refused {
        assert_eq!((status, answer["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("nothing_applied")));
    } else {
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["outcome"].as_str().unwrap().to_string(), r["code"].as_str().map(str::to_string)))
        .collect()
}

fn applied() -> (String, Option<String>) {
    ("applied".into(), None)
}

fn already() -> (String, Option<String>) {
    ("already_applied".into(), None)
}

fn refused(code: &str) -> (String, Option<String>) {
    ("refused".into(), Some(code.into()))
}

/// Two cards approved through the API, then made, brought, signed for, handed out, corrected,
/// activated and remade: each event through the desk's own lifecycle functions, each answered,
/// each replay already applied, each forbidden move refused with nothing changed.
async fn card_events_carry_a_card_from_the_factory_to_activation(app: TestApp) {
    use app::{
        domain::{
            card::{DeliveryAction, DeliveryStage},
            ids::{DeliveryId, MemberId, UnionId},
            parse_time,
        },
        server::deliveries::{self, HandOut, Seen, Side, Step},
    };
    let api = Api { app: &app, token: token_of(&app, "boc").await, http: reqwest::Client::new() };
    let (batch, waiting) = waiting_batch(&api).await;
    let (a, b) = (waiting[0], waiting[1]);
    let review = json!({"results": [{"member": a, "decision": "approve"}, {"member": b, "decision": "approve"}]});
    api.post(&format!("/api/bank/v1/batches/{batch}/reviews"), Some("r"), &review.to_string()).await;

    // made: the tail required, a replay already applied, another tail refused
    let answer = events(
        &api,
        "e1",
        json!([
            {"member": a, "event": "made", "card_tail": "12x4"},
            {"member": a, "event": "made", "card_tail": "1234"},
            {"member": a, "event": "made", "card_tail": "1234"},
            {"member": a, "event": "made", "card_tail": "9999"},
            {"member": b, "event": "made", "card_tail": "2222"},
            {"member": b, "event": "delivered"},
            {"member": 999_999, "event": "made", "card_tail": "1234"},
            {"member": a, "event": "printed"},
        ]),
    )
    .await;
    assert_eq!(
        answer,
        [
            refused("invalid_value"),
            applied(),
            already(),
            refused("made_with_other_tail"),
            applied(),
            refused("no_delivery"),
            refused("card_not_found"),
            refused("invalid_event"),
        ]
    );
    assert_eq!(card_state(&app, a).await, "awaiting_delivery");

    // the delivery: the bank proposes, the union asks for another time, the bank's proposal of
    // that time confirms it, and the delivery is recorded once
    let union: UnionId = sqlx::query_scalar("SELECT union_id FROM cards WHERE member_id = $1")
        .bind(a)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let answer = events(
        &api,
        "e2",
        json!([
            {"member": a, "event": "delivery_proposed", "scheduled_at": "2030-01-15T10:00"},
            {"member": b, "event": "delivery_proposed", "scheduled_at": "2030-01-15T10:00"},
            {"member": a, "event": "delivered"},
            {"member": a, "event": "delivery_proposed", "scheduled_at": "2020-01-15T10:00"},
        ]),
    )
    .await;
    assert_eq!(answer[..2], [applied(), already()], "one delivery holds both cards");
    assert_eq!(answer[2].0, "refused", "not delivered before the time is agreed");
    assert_eq!(answer[3], refused("invalid_value"), "no time in the past");
    let delivery: DeliveryId = sqlx::query_scalar("SELECT delivery_id FROM cards WHERE member_id = $1")
        .bind(a)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let row = deliveries::one(&app.db, Side::Union(union), delivery).await.unwrap();
    let union_time = parse_time("2030-01-16T09:00").unwrap();
    let seen = Seen { stage: row.stage().unwrap(), scheduled_at: row.scheduled_at };
    let step = Step { action: DeliveryAction::ProposeTime, scheduled_at: Some(union_time), seen };
    deliveries::step(&app.db, Side::Union(union), None, delivery, step, None).await.unwrap();
    let answer = events(
        &api,
        "e3",
        json!([
            {"member": a, "event": "delivery_proposed", "scheduled_at": "2030-01-16T09:00"},
            {"member": b, "event": "delivery_confirmed"},
            {"member": a, "event": "delivered"},
            {"member": b, "event": "delivered"},
        ]),
    )
    .await;
    assert_eq!(answer, [applied(), already(), applied(), already()]);
    let row = deliveries::one(&app.db, Side::Union(union), delivery).await.unwrap();
    assert_eq!((row.stage().unwrap(), row.scheduled_at), (DeliveryStage::Delivered, union_time));

    // the union signs and hands out a's card; b's waits at the union
    deliveries::sign(&app.db, union, None, delivery, row.cards, None).await.unwrap();
    deliveries::hand_out(&app.db, union, None, HandOut::Members(&[MemberId(a)]), None).await.unwrap();

    // corrected at activation, then activated at a branch; b's card recalled and made again
    let branch: String = sqlx::query_scalar(
        "SELECT b.code FROM bank_branches b JOIN banks k ON k.id = b.bank_id ORDER BY b.code LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let answer = events(
        &api,
        "e4",
        json!([
            {"member": a, "event": "activated"},
            {"member": a, "event": "corrected", "phone": "139 0013 9000"},
            {"member": a, "event": "corrected", "phone": "13900139000"},
            {"member": a, "event": "corrected", "phone": "12345"},
            // an activation on site is recorded once it has happened, not for a later date
            {"member": a, "event": "activated", "activation": "on_site", "at": "2030-01-16T10:00"},
            {"member": a, "event": "activated", "activation": "branch", "branch": branch},
            {"member": a, "event": "activated", "activation": "branch", "branch": branch},
            {"member": a, "event": "remade", "reason": "卡面姓名印错"},
            {"member": b, "event": "activated", "activation": "on_site", "at": "2030-01-16T10:00"},
            {"member": b, "event": "remade"},
            {"member": b, "event": "remade", "reason": "卡面姓名印错"},
            {"member": b, "event": "remade", "reason": "卡面姓名印错"},
        ]),
    )
    .await;
    assert_eq!(
        answer,
        [
            refused("invalid_value"),
            applied(),
            already(),
            refused("invalid_value"),
            refused("invalid_value"),
            applied(),
            already(),
            refused("not_allowed_in_state"),
            refused("not_allowed_in_state"),
            refused("invalid_value"),
            applied(),
            already(),
        ]
    );
    assert_eq!(card_state(&app, a).await, "activated");
    assert_eq!(card_state(&app, b).await, "in_production");

    // resends after the cards moved on: already applied, however the values were spelled
    let answer = events(
        &api,
        "e5",
        json!([
            {"member": a, "event": "corrected", "phone": "139 0013 9000"},
            {"member": a, "event": "corrected"},
            {"member": a, "event": "delivery_proposed", "scheduled_at": "2030-01-16T09:00"},
            {"member": a, "event": "delivery_proposed", "scheduled_at": "2030-01-17T09:00"},
            {"member": a, "event": "delivered"},
            {"member": b, "event": "remade", "reason": "卡面姓名印错"},
        ]),
    )
    .await;
    assert_eq!(
        answer,
        [already(), refused("invalid_value"), already(), refused("not_awaiting_delivery"), already(), already()]
    );

    // the same events under the same key replay the first answer; another body under it is
    // refused, and so is a review's key; a request that changed nothing leaves its key free
    let body = json!({"events": [{"member": b, "event": "made", "card_tail": "5555"}]}).to_string();
    let (status, first, replayed, _) = api.post("/api/bank/v1/cards/events", Some("e6"), &body).await;
    assert_eq!(
        (status, replayed, first["results"][0]["card_state"].as_str()),
        (StatusCode::OK, false, Some("awaiting_delivery"))
    );
    let (status, again, replayed, _) = api.post("/api/bank/v1/cards/events", Some("e6"), &body).await;
    assert_eq!((status, replayed), (StatusCode::OK, true));
    assert_eq!(again, first);
    let other_body = json!({"events": [{"member": b, "event": "made", "card_tail": "6666"}]}).to_string();
    for key in ["e6", "r"] {
        let (status, problem, _, _) = api.post("/api/bank/v1/cards/events", Some(key), &other_body).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("idempotency_key_reused"))
        );
    }
    let nothing = json!({"events": [{"member": a, "event": "printed"}]}).to_string();
    let (status, problem, _, _) = api.post("/api/bank/v1/cards/events", Some("e7"), &nothing).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("nothing_applied")));
    let fixed = json!({"events": [{"member": b, "event": "made", "card_tail": "5555"}]}).to_string();
    let (status, answer, _, _) = api.post("/api/bank/v1/cards/events", Some("e7"), &fixed).await;
    assert_eq!((status, answer["results"][0]["outcome"].as_str()), (StatusCode::OK, Some("already_applied")));
    let phone: String =
        sqlx::query_scalar("SELECT phone FROM members WHERE id = $1").bind(a).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(phone, "13900139000");
    let corrections: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM member_corrections WHERE member_id = $1")
        .bind(a)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(corrections, 1, "the union sees the corrected phone once");
    let outstanding: i64 = sqlx::query_scalar("SELECT outstanding FROM card_deliveries WHERE id = $1")
        .bind(delivery)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(outstanding, row.cards - 2, "a's handed out, b's recalled");
    // the moves are the token holder's, and every kept count still matches a recount
    let (officer, _) = app::server::auth::login_record(&app.db, "boc").await.unwrap().unwrap();
    let by: Option<i64> = sqlx::query_scalar(
        "SELECT actor_id FROM card_events WHERE member_id = $1 AND to_state = 'activated' ORDER BY id DESC LIMIT 1",
    )
    .bind(a)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(by, Some(officer.id.0));
    assert!(app::server::cards::check_counts(&app.db).await.unwrap().is_empty());
    assert_eq!(app::server::subtree::check(&app.db).await.unwrap(), vec![], "subtree figures differ from their unions");

    // another bank's token reaches none of these cards; an empty list is a problem
    app.another_bank().await;
    let other = Api { app: &app, token: token_of(&app, "otherbank").await, http: reqwest::Client::new() };
    let answer = events(&other, "o1", json!([{"member": b, "event": "made", "card_tail": "3333"}])).await;
    assert_eq!(answer, [refused("card_not_found")]);
    let (status, problem, _, _) = api.post("/api/bank/v1/cards/events", Some("e8"), r#"{"events": []}"#).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_items")));
}

/// The same key and body sent twice at once: the work is done once; the other answer is the
/// replay or "in progress", never a second move.
async fn identical_requests_sent_together_do_the_work_once(app: TestApp) {
    let api = Api { app: &app, token: token_of(&app, "boc").await, http: reqwest::Client::new() };
    let (batch, waiting) = waiting_batch(&api).await;
    let body =
        json!({"results": waiting.iter().map(|m| json!({"member": m, "decision": "approve"})).collect::<Vec<_>>()})
            .to_string();
    let path = format!("/api/bank/v1/batches/{batch}/reviews");
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM card_events").fetch_one(&app.db.pool).await.unwrap();
    let (first, second) = tokio::join!(api.post(&path, Some("same"), &body), api.post(&path, Some("same"), &body));
    let mut answers = [(first.0, first.2), (second.0, second.2)];
    answers.sort();
    let fresh = answers.iter().filter(|(s, replayed)| *s == StatusCode::OK && !replayed).count();
    assert_eq!(fresh, 1, "exactly one request did the work: {answers:?}");
    assert!(
        answers.iter().any(|(s, replayed)| *replayed || *s == StatusCode::CONFLICT),
        "the other was replayed or told to wait: {answers:?}"
    );
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM card_events").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(after - before, waiting.len() as i64, "each card moved once");
    // once answered, the key replays
    let (status, _, replayed, _) = api.post(&path, Some("same"), &body).await;
    assert_eq!((status, replayed), (StatusCode::OK, true));
}
