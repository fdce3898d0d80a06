//! 会员服务平台: sign-in by SMS code through a real HTTP gateway (a fake one in the test that
//! records what it is sent), the same answer for strangers, throttling and locks, the member's
//! answer to a card handed out reaching the union's 待办, and reports of wrong information.

use std::sync::{Arc, Mutex};

use app::api::{
    member_portal::{
        AnswerReceipt, GetFeedback, GetMyCard, MemberSignIn, ReportWrongInfo, RequestMemberCode, ResolveReport,
    },
    members::GetMember,
    overview::{supervisor::GetSupervisorOverview, union::GetUnionOverview},
};
use app::domain::ids::MemberId;
use serde_json::Value;
use unioncard_server::seed::DEMO_PASSWORD;

use crate::common::{client, follow, post_form, script_free, spawn_with_sms, Engine, TestApp};

/// A stand-in for the SMS gateway: records each POSTed body; answers 500 while `down`.
#[derive(Clone, Default)]
struct Gateway {
    sent: Arc<Mutex<Vec<Value>>>,
    down: Arc<Mutex<bool>>,
}

impl Gateway {
    async fn start() -> (Gateway, String) {
        let gw = Gateway::default();
        let state = gw.clone();
        let router = axum::Router::new().route(
            "/sms",
            axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
                let state = state.clone();
                async move {
                    if *state.down.lock().unwrap() {
                        return axum::http::StatusCode::INTERNAL_SERVER_ERROR;
                    }
                    state.sent.lock().unwrap().push(body);
                    axum::http::StatusCode::OK
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sms", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        (gw, url)
    }

    fn count(&self) -> usize {
        self.sent.lock().unwrap().len()
    }

    /// The code in the last text sent to `phone`.
    fn last_code(&self, phone: &str) -> String {
        let sent = self.sent.lock().unwrap();
        let text = sent.iter().rev().find(|b| b["phone"] == phone).expect("a text to the phone")["text"]
            .as_str()
            .unwrap()
            .to_string();
        let at = text.find("验证码为").expect("the code in the text") + "验证码为".len();
        text[at..at + 6].to_string()
    }
}

async fn with_gateway(engine: Engine) -> (TestApp, Gateway) {
    let (gw, url) = Gateway::start().await;
    (spawn_with_sms(engine, url).await, gw)
}

/// (ID number, phone) of a seeded member by name.
async fn record_of(app: &TestApp, name: &str) -> (String, String) {
    sqlx::query_as("SELECT id_number, phone FROM members WHERE name = $1 ORDER BY id LIMIT 1")
        .bind(name)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

fn ask(id_number: &str, phone: &str) -> RequestMemberCode {
    RequestMemberCode { id_number: id_number.into(), phone: phone.into() }
}

macro_rules! on_both_engines_with_gateway {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let (app, gw) = super::with_gateway($crate::common::Engine::Sqlite).await;
                    super::$name(app, gw).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let (app, gw) = super::with_gateway($crate::common::Engine::Postgres).await;
                    super::$name(app, gw).await
                }
            }
        )*
    };
}

on_both_engines_with_gateway!(
    a_member_signs_in_with_the_code_sent_to_the_phone_on_record,
    a_stranger_is_answered_like_a_member_and_never_signed_in,
    wrong_codes_count_down_then_lock_the_id_number_with_a_countdown,
    a_code_is_used_once_and_a_new_one_waits_a_minute,
    a_failing_gateway_gets_a_clear_message_for_members_and_strangers_alike,
    the_members_answer_reaches_the_unions_to_do_and_counts,
    a_report_of_wrong_information_is_answered_by_the_union,
    the_member_portal_is_plain_forms_with_no_script,
);

async fn sign_in(app: &TestApp, gw: &Gateway, name: &str) -> reqwest::Client {
    let (id, phone) = record_of(app, name).await;
    sign_in_as(app, gw, &id, &phone).await
}

async fn sign_in_as(app: &TestApp, gw: &Gateway, id: &str, phone: &str) -> reqwest::Client {
    let c = client();
    let r = app.call_fn(&c, ask(id, phone)).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    let r = app.call_fn(&c, MemberSignIn { code: gw.last_code(phone) }).await;
    assert_eq!(r.location.as_deref(), Some("/me"), "{:?}", r.body);
    c
}

async fn a_member_signs_in_with_the_code_sent_to_the_phone_on_record(app: TestApp, gw: Gateway) {
    let (id, phone) = record_of(&app, "黄丽").await;
    let c = client();
    // not signed in: the card page sends a member to the member's sign-in page
    let r = c.get(format!("{}/me", app.base)).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/me/login");
    // typed as people type it: full-width digits, spaces, a lowercase x
    let typed_id: String = id
        .chars()
        .map(|ch| match ch {
            '0'..='9' => char::from_u32(ch as u32 - '0' as u32 + '０' as u32).unwrap(),
            'X' => 'x',
            other => other,
        })
        .collect();
    let r = app.call_fn(&c, ask(&format!(" {typed_id} "), &format!("{} {}", &phone[..3], &phone[3..]))).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    assert_eq!(r.body["demo"], false);
    assert_eq!(r.body["resend_after"], 60);
    assert_eq!(gw.count(), 1);
    let code = gw.last_code(&phone);
    // the code is stored hashed, never as sent
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT code_hash FROM member_codes").fetch_all(&app.db.pool).await.unwrap();
    assert!(stored.iter().all(|h| h.starts_with("$argon2id$") && !h.contains(&code)));
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = app.call_fn(&c, MemberSignIn { code: wrong.into() }).await;
    assert_eq!(r.field_message("code").as_deref(), Some("验证码不正确，还可以再试4次。"), "{:?}", r.body);
    let r = app.call_fn(&c, MemberSignIn { code: code.clone() }).await;
    assert_eq!(r.location.as_deref(), Some("/me"), "{:?}", r.body);
    let card = app.call_fn(&c, GetMyCard {}).await;
    assert_eq!(card.body["name"], "黄丽", "{:?}", card.body);
    assert_eq!(card.body["card_state"], "distributed");
    assert_eq!(card.body["union_phone"], "0755-83288060");
    assert!(card.body["branch_name"].as_str().is_some_and(|b| !b.is_empty()));
    // the page renders whole on the server, with the question of the card handed out
    let (status, html) = app.get_page(&c, "/me").await;
    assert!(status.is_success());
    assert!(html.contains("我已领到卡") && html.contains("现在需要做什么") && html.contains("0755-83288060"));
    assert!(!html.contains(&id), "the full ID number never reaches the page");
    // a member reaches only their own portal
    let r = app.call_fn(&c, GetUnionOverview {}).await;
    assert_eq!(r.kind(), Some("forbidden"));
    // signing in again a minute later finds the same account, not a second one
    sqlx::query("DELETE FROM member_codes").execute(&app.db.pool).await.unwrap();
    let c2 = sign_in(&app, &gw, "黄丽").await;
    assert_eq!(app.call_fn(&c2, GetMyCard {}).await.body["name"], "黄丽");
    // (黄丽 is also the demo's password account `member`: the code signs in to that account)
    let accounts: Vec<String> = sqlx::query_scalar(
        "SELECT u.username FROM users u JOIN members m ON m.id = u.member_id WHERE m.id_number = $1",
    )
    .bind(&id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(accounts, ["member"]);
}

async fn a_stranger_is_answered_like_a_member_and_never_signed_in(app: TestApp, gw: Gateway) {
    let (id, phone) = record_of(&app, "黄丽").await;
    let member = app.call_fn(&client(), ask(&id, &phone)).await;
    assert!(member.status.is_success(), "{:?}", member.body);
    // the right ID with another phone, and an ID nobody holds
    for (id, phone) in [(id.as_str(), "13912345678"), ("110101199003074514", phone.as_str())] {
        // a minute later (a new code for the same ID number waits that long)
        sqlx::query("DELETE FROM member_codes").execute(&app.db.pool).await.unwrap();
        let c = client();
        let r = app.call_fn(&c, ask(id, phone)).await;
        assert_eq!((r.status, &r.body), (member.status, &member.body), "the same answer as a member's");
        // every code fails alike, even the one made for this request
        let r = app.call_fn(&c, MemberSignIn { code: "123456".into() }).await;
        assert_eq!(r.field_message("code").as_deref(), Some("验证码不正确，还可以再试4次。"), "{:?}", r.body);
        assert_eq!(app.call_fn(&c, GetMyCard {}).await.kind(), Some("unauthenticated"));
    }
    assert_eq!(gw.count(), 1, "only the member's phone got a text");
    // a code for nobody never signs in, even when guessed right
    sqlx::query("DELETE FROM member_codes").execute(&app.db.pool).await.unwrap();
    app.call_fn(&client(), ask(&id, &phone)).await;
    assert_eq!(gw.count(), 2);
    let c = client();
    app.call_fn(&c, ask("110101199003074515", "13912345679")).await;
    sqlx::query("UPDATE member_codes SET code_hash = (SELECT code_hash FROM member_codes WHERE member_id IS NOT NULL LIMIT 1) WHERE member_id IS NULL")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let r = app.call_fn(&c, MemberSignIn { code: gw.last_code(&phone) }).await;
    assert_eq!(r.kind(), Some("invalid"), "{:?}", r.body);
    assert_eq!(app.call_fn(&c, GetMyCard {}).await.kind(), Some("unauthenticated"));
    // malformed input is a field message, not a lookup
    let r = app.call_fn(&client(), ask("", "12345")).await;
    assert_eq!(r.field_message("id_number").as_deref(), Some("请输入证件号码。"));
    assert_eq!(r.field_message("phone").as_deref(), Some("请输入11位手机号码。"));
}

async fn wrong_codes_count_down_then_lock_the_id_number_with_a_countdown(app: TestApp, gw: Gateway) {
    let (id, phone) = record_of(&app, "黄丽").await;
    let c = client();
    app.call_fn(&c, ask(&id, &phone)).await;
    let code = gw.last_code(&phone);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (1..=4).rev() {
        let r = app.call_fn(&c, MemberSignIn { code: wrong.into() }).await;
        assert_eq!(r.field_message("code"), Some(format!("验证码不正确，还可以再试{left}次。")), "{:?}", r.body);
    }
    let r = app.call_fn(&c, MemberSignIn { code: wrong.into() }).await;
    assert_eq!((r.status.as_u16(), r.kind()), (429, Some("locked")), "{:?}", r.body);
    let message = r.body["message"].as_str().unwrap();
    assert!(message.starts_with("验证码错误次数过多，请") && message.ends_with("后再试。"), "{message}");
    // locked: even the right code, and a new code, wait
    let r = app.call_fn(&c, MemberSignIn { code: code.clone() }).await;
    assert!(matches!(r.kind(), Some("locked") | Some("invalid")), "{:?}", r.body);
    assert_eq!(app.call_fn(&c, GetMyCard {}).await.kind(), Some("unauthenticated"));
    let r = app.call_fn(&client(), ask(&id, &phone)).await;
    assert_eq!(r.kind(), Some("locked"), "{:?}", r.body);
    assert!(r.body["message"].as_str().unwrap().contains("分"), "a countdown in minutes: {:?}", r.body);
}

async fn a_code_is_used_once_and_a_new_one_waits_a_minute(app: TestApp, gw: Gateway) {
    let (id, phone) = record_of(&app, "黄丽").await;
    let c = client();
    app.call_fn(&c, ask(&id, &phone)).await;
    let r = app.call_fn(&client(), ask(&id, &phone)).await;
    assert_eq!(r.kind(), Some("locked"), "{:?}", r.body);
    assert!(r.body["message"].as_str().unwrap().starts_with("验证码已发送，请"), "{:?}", r.body);
    assert_eq!(gw.count(), 1);
    let code = gw.last_code(&phone);
    assert_eq!(app.call_fn(&c, MemberSignIn { code: code.clone() }).await.location.as_deref(), Some("/me"));
    // the same code on another browser that asked for it: there is no challenge there
    let r = app.call_fn(&client(), MemberSignIn { code: code.clone() }).await;
    assert_eq!(r.field_message("code").as_deref(), Some("请先获取短信验证码。"));
    // an expired code
    sqlx::query("DELETE FROM member_codes").execute(&app.db.pool).await.unwrap();
    let c = client();
    app.call_fn(&c, ask(&id, &phone)).await;
    sqlx::query("UPDATE member_codes SET expires_at = expires_at - 301").execute(&app.db.pool).await.unwrap();
    let r = app.call_fn(&c, MemberSignIn { code: gw.last_code(&phone) }).await;
    assert_eq!(r.field_message("code").as_deref(), Some("验证码已失效，请重新获取。"), "{:?}", r.body);
}

async fn a_failing_gateway_gets_a_clear_message_for_members_and_strangers_alike(app: TestApp, gw: Gateway) {
    let (id, phone) = record_of(&app, "黄丽").await;
    *gw.down.lock().unwrap() = true;
    let r = app.call_fn(&client(), ask(&id, &phone)).await;
    assert_eq!(r.body["code"], "sms_failed", "{:?}", r.body);
    assert_eq!(r.body["message"], "短信发送失败，请稍后再试；如多次失败，请联系所在工会。");
    let stranger = app.call_fn(&client(), ask("110101199003074514", "13912345678")).await;
    assert_eq!(stranger.body, r.body, "while the gateway fails, a stranger is told the same");
    // a code that could not be sent does not hold back the next request
    *gw.down.lock().unwrap() = false;
    let r = app.call_fn(&client(), ask(&id, &phone)).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    assert_eq!(gw.count(), 1);
}

async fn the_members_answer_reaches_the_unions_to_do_and_counts(app: TestApp, gw: Gateway) {
    let member = sign_in(&app, &gw, "黄丽").await;
    let union = app.login_ok("shili", DEMO_PASSWORD).await;
    let overview = app.call_fn(&union, GetUnionOverview {}).await;
    assert_eq!(overview.body["not_received"], 0);
    let r = app.call_fn(&member, AnswerReceipt { answer: "not_received".into() }).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    assert_eq!(app.call_fn(&union, GetUnionOverview {}).await.body["not_received"], 1);
    let f = app.call_fn(&union, GetFeedback {}).await;
    assert_eq!(f.body["not_received"][0]["name"], "黄丽");
    assert!(f.body["not_received"][0]["id_number_masked"].as_str().unwrap().contains('*'));
    let card = app.call_fn(&member, GetMyCard {}).await;
    assert_eq!(card.body["receipt"], "not_received");
    // then the member finds it: the union's list empties, the confirmation is counted
    app.call_fn(&member, AnswerReceipt { answer: "received".into() }).await;
    app.call_fn(&member, AnswerReceipt { answer: "received".into() }).await;
    assert_eq!(app.call_fn(&union, GetUnionOverview {}).await.body["not_received"], 0);
    let f = app.call_fn(&union, GetFeedback {}).await;
    assert_eq!(f.body["confirmed"], 1);
    assert_eq!(f.body["not_received"].as_array().unwrap().len(), 0);
    let history: Vec<String> = app.call_fn(&member, GetMyCard {}).await.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(&history[history.len() - 2..], ["会员反馈未收到卡", "会员确认已领到卡"]);
    // the city's supervisor tells cards the member confirmed from those only the union recorded
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let receipts = app.call_fn(&city, GetSupervisorOverview { union_id: None, sort: None, page: None }).await.body
        ["receipts"]
        .clone();
    let handed_out: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cards WHERE state IN ('distributed', 'activated')")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(receipts, serde_json::json!({"handed_out": handed_out, "confirmed": 1, "not_received": 0}));
    // a member whose card is not handed out cannot answer; nonsense is a field message
    let (id, phone): (String, String) = sqlx::query_as(
        "SELECT m.id_number, m.phone FROM members m JOIN cards c ON c.member_id = m.id \
         WHERE c.state = 'awaiting_distribution' ORDER BY m.id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let other = sign_in_as(&app, &gw, &id, &phone).await;
    // a member nobody made an account for has one now, for their sessions and the audit log
    let made: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users u JOIN members m ON m.id = u.member_id \
         WHERE m.id_number = $1 AND u.username = 'member:' || CAST(m.id AS TEXT) AND u.role = 'member'",
    )
    .bind(&id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(made, 1);
    let r = app.call_fn(&other, AnswerReceipt { answer: "received".into() }).await;
    assert_eq!(r.body["code"], "receipt_not_open", "{:?}", r.body);
    let card = app.call_fn(&other, GetMyCard {}).await;
    assert!(card.body["collect_by"].as_str().is_some_and(|d| d.ends_with('日')), "a deadline: {:?}", card.body);
    assert_eq!(app.call_fn(&member, AnswerReceipt { answer: "maybe".into() }).await.kind(), Some("invalid"));
    // staff cannot answer for a member
    assert_eq!(app.call_fn(&union, AnswerReceipt { answer: "received".into() }).await.kind(), Some("forbidden"));

    // a double tap (four answers at once) counts once, on both engines
    let (id, phone): (String, String) = sqlx::query_as(
        "SELECT m.id_number, m.phone FROM members m JOIN cards c ON c.member_id = m.id \
         WHERE c.state = 'distributed' AND m.name <> '黄丽' \
         AND c.union_id = (SELECT union_id FROM members WHERE name = '黄丽' ORDER BY id LIMIT 1) ORDER BY m.id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let tapper = sign_in_as(&app, &gw, &id, &phone).await;
    let answer = || app.call_fn(&tapper, AnswerReceipt { answer: "not_received".into() });
    let (a, b, c, d) = tokio::join!(answer(), answer(), answer(), answer());
    for r in [a, b, c, d] {
        assert!(r.status.is_success(), "{:?}", r.body);
    }
    let latest: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM card_receipts r JOIN members m ON m.id = r.member_id WHERE m.id_number = $1 AND r.latest = 1",
    )
    .bind(&id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(latest, 1);
    assert_eq!(app.call_fn(&union, GetUnionOverview {}).await.body["not_received"], 1);
}

async fn a_report_of_wrong_information_is_answered_by_the_union(app: TestApp, gw: Gateway) {
    let member = sign_in(&app, &gw, "黄丽").await;
    let report = |field: &str, proposed: &str| ReportWrongInfo { field: field.into(), proposed: proposed.into() };
    let r = app.call_fn(&member, report("phone", "13900000000")).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    let r = app.call_fn(&member, report("phone", "13900000001")).await;
    assert_eq!(r.body["code"], "report_open", "one open report per field: {:?}", r.body);
    assert_eq!(app.call_fn(&member, report("password", "x")).await.kind(), Some("invalid"));
    assert_eq!(app.call_fn(&member, report("name", "   ")).await.kind(), Some("invalid"));
    assert_eq!(app.call_fn(&member, report("name", &"长".repeat(201))).await.kind(), Some("invalid"));
    let union = app.login_ok("shili", DEMO_PASSWORD).await;
    assert_eq!(app.call_fn(&union, GetUnionOverview {}).await.body["open_reports"], 1);
    let f = app.call_fn(&union, GetFeedback {}).await;
    let open = &f.body["open"][0];
    // the list masks the number the member gave; the member's record (the audited edit form)
    // shows it in full
    assert_eq!(
        (open["field_label"].as_str(), open["proposed"].as_str()),
        (Some("手机号码"), Some(app::domain::phone::mask("13900000000").as_str()))
    );
    assert_ne!(open["proposed"], "13900000000");
    let detail = app.call_fn(&union, GetMember { id: MemberId(open["member"].as_i64().unwrap()) }).await;
    assert_eq!(detail.body["reports"][0]["proposed"], "13900000000", "{:?}", detail.body);
    assert_eq!(detail.body["reports"][0]["field_label"], "手机号码");
    let id = open["id"].as_i64().unwrap();
    // another union cannot see or close it
    let other = app.login_ok("yangban", DEMO_PASSWORD).await;
    assert_eq!(app.call_fn(&other, GetFeedback {}).await.body["open"].as_array().unwrap().len(), 0);
    let resolve = |status: &str, answer: &str| ResolveReport { id, status: status.into(), answer: answer.into() };
    assert_eq!(app.call_fn(&other, resolve("answered", "不改")).await.kind(), Some("not_found"));
    let refused = app.call_fn(&union, resolve("answered", "")).await;
    assert_eq!(refused.kind(), Some("invalid"));
    // named after the report, so the page shows it beside that report's form
    assert_eq!(refused.body["errors"][0]["field"], format!("answer-{id}"), "{:?}", refused.body);
    assert_eq!(refused.body["errors"][0]["message"], "请填写答复内容。");
    let r = app.call_fn(&union, resolve("answered", "经核对，登记的手机号码与您的劳动合同一致。")).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    assert_eq!(app.call_fn(&union, resolve("fixed", "")).await.body["code"], "report_closed");
    // closed meanwhile comes before the answer's own check: its row is gone from the page
    assert_eq!(app.call_fn(&union, resolve("answered", "")).await.body["code"], "report_closed");
    assert_eq!(app.call_fn(&union, GetUnionOverview {}).await.body["open_reports"], 0);
    let card = app.call_fn(&member, GetMyCard {}).await;
    let mine = &card.body["reports"][0];
    assert_eq!(mine["status"], "answered");
    assert_eq!(mine["answer"], "经核对，登记的手机号码与您的劳动合同一致。");
    // answered, the record shows no open report
    let detail = app.call_fn(&union, GetMember { id: MemberId(open["member"].as_i64().unwrap()) }).await;
    assert_eq!(detail.body["reports"].as_array().unwrap().len(), 0, "{:?}", detail.body);
    // closed, the field may be reported again; the page shows the text escaped
    assert!(app.call_fn(&member, report("phone", "13900000001")).await.status.is_success());
    assert!(app.call_fn(&member, report("name", "<b>黄丽丽</b>")).await.status.is_success());
    let (_, html) = app.get_page(&member, "/me").await;
    assert!(html.contains("&lt;b&gt;黄丽丽&lt;/b&gt;") && !html.contains("<b>黄丽丽"));
}

/// The member's pages carry no script: each step is a plain form whose post the server answers
/// with the page again (an error beside its field, what was typed kept), from the code to the
/// card page, its receipt and report forms, and the logout. (So is the staff sign-in; the staff
/// pages that need the wasm load it, which `end2end/tests/weight.spec.ts` sees.)
async fn the_member_portal_is_plain_forms_with_no_script(app: TestApp, gw: Gateway) {
    let (id, phone) = record_of(&app, "黄丽").await;
    let c = client();
    let (_, staff) = app.get_page(&c, "/login").await;
    assert!(!script_free(&staff).is_empty(), "no script on the staff sign-in either: {staff}");
    let (status, page) = app.get_page(&c, "/me/login").await;
    assert!(status.is_success());
    assert!(!script_free(&page).is_empty(), "no script on /me/login: {page}");
    assert!(!page.contains(r#"name="code""#), "no code field before a code is sent");

    // a wrong phone comes back beside its field; what was typed is not kept for a code never sent
    let (status, to) = post_form(&app, &c, "me/code", "/me/login", &[("id_number", &id), ("phone", "1380013")]).await;
    assert_eq!(status, 302);
    assert!(to.contains("__err="), "{to}");
    assert!(!to.contains(&id) && !to.contains("1380013"), "nothing typed goes into the address: {to}");
    let page = follow(&app, &c, &to).await;
    assert!(page.contains("请输入11位手机号码。"), "{page}");
    assert!(!page.contains(&id));

    // asked right: the page comes back with the code field and says where the code went
    let (status, to) = post_form(&app, &c, "me/code", &to, &[("id_number", &id), ("phone", &phone)]).await;
    assert_eq!((status, to.contains("__err")), (302, false), "{to}");
    let page = follow(&app, &c, &to).await;
    assert!(page.contains(r#"name="code""#) && page.contains("验证码已发送到该手机"), "{page}");
    assert!(page.contains("秒后可重新获取") && page.contains("重新获取验证码"));
    assert!(page.contains(&format!(r#"value="{id}""#)), "the ID number the code was sent for is shown again");
    let code = gw.last_code(&phone);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (_, to) = post_form(&app, &c, "me/sign_in", "/me/login", &[("code", wrong)]).await;
    let page = follow(&app, &c, &to).await;
    assert!(page.contains("验证码不正确，还可以再试4次。"), "{page}");
    let (status, to) = post_form(&app, &c, "me/sign_in", &to, &[("code", &code)]).await;
    assert_eq!((status, to.as_str()), (302, "/me"));

    // the card page, its answer and a refused report, all without a script
    let page = follow(&app, &c, "/me").await;
    assert!(page.contains("我的会员服务卡") && !script_free(&page).is_empty(), "{page}");
    assert!(!page.contains("id_number_masked"), "the page's data is not written into it again for a script");
    assert!(!follow(&app, &c, "/me/login").await.contains(&id), "signed in, the typed ID number is not kept");
    let (status, to) = post_form(&app, &c, "me/receipt", "/me", &[("answer", "not_received")]).await;
    assert_eq!(status, 302);
    assert!(follow(&app, &c, &to).await.contains("您已反馈未收到卡"));
    let (_, to) = post_form(&app, &c, "me/report", "/me", &[("field", "department"), ("proposed", "  ")]).await;
    let page = follow(&app, &c, &to).await;
    assert!(page.contains(r#"<details open class="report""#), "the refused report's form is open: {page}");
    let (_, to) = post_form(&app, &c, "me/report", &to, &[("field", "department"), ("proposed", "质量部")]).await;
    let page = follow(&app, &c, &to).await;
    assert!(page.contains("部门：质量部") && !page.contains(r#"<details open class="report""#));

    let (status, to) = post_form(&app, &c, "logout", "/me", &[]).await;
    assert_eq!((status, to.as_str()), (302, "/me/login"));
    let r = c.get(format!("{}/me", app.base)).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/me/login");

    // a code used up: the code field goes, and the answer that says why stays on the page
    let (id, phone): (String, String) =
        sqlx::query_as("SELECT id_number, phone FROM members WHERE name <> '黄丽' ORDER BY id LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let c = client();
    let (_, to) = post_form(&app, &c, "me/code", "/me/login", &[("id_number", &id), ("phone", &phone)]).await;
    let code = gw.last_code(&phone);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let mut page = String::new();
    for _ in 0..5 {
        let (_, back) = post_form(&app, &c, "me/sign_in", &to, &[("code", wrong)]).await;
        page = follow(&app, &c, &back).await;
    }
    assert!(!page.contains(r#"name="code""#), "no code may be typed any more");
    assert!(page.contains("验证码错误次数过多，请15分钟后再试。"), "{page}");
}
