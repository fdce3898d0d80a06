//! /api/bank/v1: a token from the CLI's function, batches listed and read, a review posted with
//! per-item answers, idempotent replays, and every kind of bad input answered with a problem.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::TestApp;

on_both_engines!(
    a_bank_system_reads_batches_and_posts_a_review_idempotently,
    bad_requests_are_problems_and_change_nothing,
);

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
    let (_, flipped, _, _) = api.post(&path, Some("review-3"), &flip.to_string()).await;
    assert_eq!(flipped["results"][0]["code"], "card_move_not_allowed", "{flipped}");
    let events_after: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM card_events").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(events_after, events_before);
    // the same key with another body is refused
    let (status, problem, _, kind) = api.post(&path, Some("review-1"), &flip.to_string()).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("idempotency_key_reused")));
    assert_eq!(kind, "application/problem+json");
    // the desk sees what the API did: the same lifecycle, the same counts
    assert!(app::server::cards::check_counts(&app.db).await.unwrap().is_empty());

    // the OpenAPI document names the endpoints
    let doc: Value =
        reqwest::get(format!("{}/api/bank/v1/openapi.json", app.base)).await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for p in ["/api/bank/v1/batches", "/api/bank/v1/batches/{batch}", "/api/bank/v1/batches/{batch}/reviews"] {
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
