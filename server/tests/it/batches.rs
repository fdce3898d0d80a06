//! Batch applications and the bank's review: a union sends its pending cards as one batch (a
//! click sent twice makes one batch), the bank of its pickup branch reviews it (another bank
//! cannot see it), rejects members with reasons the union reads with what to do, approves the
//! rest; the union resets a fixed member and sends it again. Every move applies once, and the
//! kept counts always agree with a recount.

use app::{
    api::{
        cards::{GetBatch, ListBatches, ListRejected, RejectionInput, ResetRejected, ReviewBatch, SubmitBatch},
        members::GetMember,
        overview::bank::GetBankOverview,
    },
    domain::{
        card::{CardState, Rejection, RejectionReason},
        ids::{BatchId, MemberId, UnionId},
    },
    server::cards::{check_counts, counts_of_union},
};
use serde_json::Value;
use unioncard_server::seed::{DEMO_PASSWORD, UNION_A};

use crate::common::TestApp;

on_both_engines!(
    a_union_sends_all_its_pending_cards_once_however_often_the_click_arrives,
    the_bank_rejects_with_reasons_approves_the_rest_and_the_union_sends_the_fixed_member_again,
    a_batch_is_reviewed_once_when_two_officers_approve_it_at_the_same_time,
    each_role_reaches_only_its_own_side_of_the_batch,
    the_bank_reads_each_members_shenzhen_tong_choice_from_the_union_upload,
);

/// Row 3's 是否加载深圳通 travels with the members imported from the file to the bank's review.
async fn the_bank_reads_each_members_shenzhen_tong_choice_from_the_union_upload(app: TestApp) {
    use crate::common::workbook::{resident_id, workbook};
    use app::api::imports::CommitImport;
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    let file = workbook(
        UNION_A,
        &[
            ["深圳通甲", &resident_id("44030519850505331"), "13912345681", "生产部"],
            ["深圳通乙", &resident_id("44030519850505332"), "13912345682", "生产部"],
        ],
    );
    let (status, preview) = app.upload(&clerk, "szt.xlsx", file).await;
    assert_eq!(status, 200, "{preview}");
    let import_id = preview["import_id"].as_str().unwrap().to_string();
    let done = app.call_fn(&clerk, CommitImport { import_id: import_id.clone() }).await;
    assert_eq!(done.body["imported"], 2, "{:?}", done.body);
    let kept: (Option<String>, Option<String>, Option<String>, Option<i64>) =
        sqlx::query_as("SELECT unit_type, income_band, branch_code, shenzhen_tong FROM imports WHERE id = $1")
            .bind(&import_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(kept, (Some("60".into()), Some("2".into()), Some("104584000101".into()), Some(1)));
    let sent = app.call_fn(&clerk, submit_all("szt")).await;
    let batch = batch_id(&sent.body);
    let bank = app.login_ok("boc", DEMO_PASSWORD).await;
    let mut seen = std::collections::BTreeMap::new();
    for page in 1..=10 {
        let detail = app.call_fn(&bank, GetBatch { batch, state: None, page }).await;
        let items = detail.body["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        for i in items {
            seen.insert(i["name"].as_str().unwrap().to_string(), i["shenzhen_tong"].clone());
        }
    }
    assert_eq!(seen["深圳通甲"], true);
    assert_eq!(seen["深圳通乙"], true);
    // the demo's members came from no upload: nothing to say
    assert!(seen.values().any(|v| v.is_null()), "{seen:?}");
}

async fn count(app: &TestApp, union: UnionId, state: CardState) -> i64 {
    counts_of_union(&app.db, union).await.unwrap().into_iter().find(|(s, _)| *s == state).map(|(_, n)| n).unwrap()
}

async fn events(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM card_events").fetch_one(&app.db.pool).await.unwrap()
}

async fn assert_counts_agree(app: &TestApp) {
    assert_eq!(check_counts(&app.db).await.unwrap(), vec![], "kept counts differ from a recount");
    assert_eq!(app::server::subtree::check(&app.db).await.unwrap(), vec![], "subtree figures differ from their unions");
}

fn submit_all(key: &str) -> SubmitBatch {
    SubmitBatch { request_key: key.into(), members: vec![], all: true }
}

fn batch_id(reply: &Value) -> BatchId {
    BatchId(reply["batch"]["id"].as_i64().expect("a batch"))
}

async fn a_union_sends_all_its_pending_cards_once_however_often_the_click_arrives(app: TestApp) {
    let union = app.union_id(UNION_A).await;
    let pending = count(&app, union, CardState::Pending).await;
    let submitted = count(&app, union, CardState::Submitted).await;
    assert!(pending > 0, "the demo union has pending members");
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    let before = events(&app).await;

    // the same click twice at once, and once more afterwards (a reload that resends it)
    let (a, b) = tokio::join!(app.call_fn(&clerk, submit_all("click-1")), app.call_fn(&clerk, submit_all("click-1")));
    assert!(a.status.is_success() && b.status.is_success(), "{:?} / {:?}", a.body, b.body);
    assert_eq!(batch_id(&a.body), batch_id(&b.body), "one batch for one click");
    assert_eq!(
        [a.body["repeated"].as_bool(), b.body["repeated"].as_bool()].iter().filter(|r| **r == Some(true)).count(),
        1
    );
    let again = app.call_fn(&clerk, submit_all("click-1")).await;
    assert_eq!((batch_id(&again.body), again.body["repeated"].as_bool()), (batch_id(&a.body), Some(true)));
    assert_eq!(a.body["batch"]["members"], pending);
    let batches: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM card_batches WHERE request_key = 'click-1'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(batches, 1);
    assert_eq!(events(&app).await - before, pending, "one event per card, none twice");
    assert_eq!(count(&app, union, CardState::Pending).await, 0);
    assert_eq!(count(&app, union, CardState::Submitted).await, submitted + pending);
    assert!(a.body["batch"]["batch_no"].as_str().unwrap().len() >= 14, "批次号 {}", a.body["batch"]["batch_no"]);

    // a new click with nothing left to send says so and makes no batch
    let nothing = app.call_fn(&clerk, submit_all("click-2")).await;
    assert_eq!((nothing.status.as_u16(), nothing.kind()), (422, Some("refused")), "{:?}", nothing.body);
    assert_eq!(nothing.body["code"], "nothing_pending");
    assert_counts_agree(&app).await;
}

async fn the_bank_rejects_with_reasons_approves_the_rest_and_the_union_sends_the_fixed_member_again(app: TestApp) {
    let union = app.union_id(UNION_A).await;
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    let sent = app.call_fn(&clerk, submit_all("k1")).await;
    let batch = batch_id(&sent.body);
    let n = sent.body["batch"]["members"].as_i64().unwrap();
    assert!(n >= 2);

    let bank = app.login_ok("boc", DEMO_PASSWORD).await;
    let queue = app.call_fn(&bank, ListBatches { page: 1 }).await;
    // waiting batches first, the oldest first: the demo's, then this one
    let ids: Vec<i64> = queue.body["items"].as_array().unwrap().iter().map(|b| b["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.last(), Some(&batch.0), "{:?}", queue.body);
    assert_eq!(queue.body["waiting"], ids.len());
    let detail = app.call_fn(&bank, GetBatch { batch, state: Some(CardState::Submitted), page: 1 }).await;
    let items = detail.body["items"].as_array().unwrap();
    assert_eq!(items.len() as i64, n.min(20));
    assert_eq!(items[0]["id_number"].as_str().unwrap().len(), 18, "the bank reviews the full record");
    let opened: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'batch_viewed'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(opened, 1, "opening a batch is audited");
    let rejected = MemberId(items[0]["id"].as_i64().unwrap());

    // `other` without its text is refused, and nothing moves
    let in_production = count(&app, union, CardState::InProduction).await;
    let bad = app
        .call_fn(
            &bank,
            ReviewBatch {
                batch,
                rejections: vec![RejectionInput {
                    member: rejected,
                    reasons: vec![Rejection { reason: RejectionReason::Other, text: " ".into() }],
                }],
                approve: vec![],
                approve_rest: true,
            },
        )
        .await;
    assert_eq!((bad.status.as_u16(), bad.kind()), (422, Some("invalid")), "{:?}", bad.body);
    assert_eq!(count(&app, union, CardState::InProduction).await, in_production);

    let review = ReviewBatch {
        batch,
        rejections: vec![RejectionInput {
            member: rejected,
            reasons: vec![
                Rejection { reason: RejectionReason::NameIdMismatch, text: String::new() },
                Rejection { reason: RejectionReason::Other, text: "照片不清晰".into() },
            ],
        }],
        approve: vec![],
        approve_rest: true,
    };
    let done = app.call_fn(&bank, review.clone()).await;
    assert!(done.status.is_success(), "{:?}", done.body);
    assert_eq!((done.body["rejected"].as_i64(), done.body["approved"].as_i64()), (Some(1), Some(n - 1)));
    assert_eq!(count(&app, union, CardState::InProduction).await, in_production + n - 1);
    // the same decision sent again moves nothing
    let twice = app.call_fn(&bank, review).await;
    assert_eq!((twice.status.as_u16(), twice.kind()), (409, Some("conflict")), "{:?}", twice.body);

    // the union reads every reason with what it can do
    let list = app.call_fn(&clerk, ListRejected { page: 1 }).await;
    let mine = list.body["items"].as_array().unwrap().iter().find(|i| i["id"] == rejected.0).expect("listed").clone();
    let reasons = mine["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 2);
    assert_eq!(reasons[0]["label"], RejectionReason::NameIdMismatch.label());
    assert_eq!(reasons[0]["remedy"], RejectionReason::NameIdMismatch.remedy());
    assert_eq!(reasons[1]["text"], "照片不清晰");
    assert!(mine["id_number_masked"].as_str().unwrap().contains('*'));
    // and on the member's own page, where the record is corrected
    let page = app.call_fn(&clerk, GetMember { id: rejected }).await;
    let on_page: Vec<&str> =
        page.body["rejections"].as_array().unwrap().iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(on_page, [RejectionReason::NameIdMismatch.label(), RejectionReason::Other.label()], "{:?}", page.body);
    // and downloads them as a workbook, reasons beside each row (the download is audited)
    let r = clerk.get(format!("{}/union/cards/rejected.xlsx", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let sheet = app::server::xlsx::read_first_sheet(&r.bytes().await.unwrap(), &Default::default()).unwrap();
    let text: String = format!("{:?}", sheet.rows);
    assert!(text.contains("姓名与证件号码不符") && text.contains("照片不清晰"), "{text}");
    let exported: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'rejections_exported'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(exported, 1);
    let r = bank.get(format!("{}/union/cards/rejected.xlsx", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 403, "a bank does not download a union's list");

    // fixed: back to 待办卡, and sent again in a new batch
    let reset = app.call_fn(&clerk, ResetRejected { members: vec![rejected] }).await;
    assert_eq!(reset.body, 1, "{:?}", reset.body);
    let page = app.call_fn(&clerk, GetMember { id: rejected }).await;
    assert_eq!(page.body["rejections"], serde_json::json!([]), "no longer 待处理: no reasons on its page");
    let resent =
        app.call_fn(&clerk, SubmitBatch { request_key: "k2".into(), members: vec![rejected], all: false }).await;
    assert!(resent.status.is_success(), "{:?}", resent.body);
    assert_ne!(batch_id(&resent.body), batch);
    assert_eq!(resent.body["batch"]["members"], 1);
    let again = app.call_fn(&clerk, ListRejected { page: 1 }).await;
    assert!(!again.body["items"].as_array().unwrap().iter().any(|i| i["id"] == rejected.0));
    assert_counts_agree(&app).await;
}

async fn a_batch_is_reviewed_once_when_two_officers_approve_it_at_the_same_time(app: TestApp) {
    let union = app.union_id(UNION_A).await;
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    let sent = app.call_fn(&clerk, submit_all("k")).await;
    let batch = batch_id(&sent.body);
    let n = sent.body["batch"]["members"].as_i64().unwrap();
    let (one, two) = (app.login_ok("boc", DEMO_PASSWORD).await, app.login_ok("boc", DEMO_PASSWORD).await);
    let approve = || ReviewBatch { batch, rejections: vec![], approve: vec![], approve_rest: true };
    // the bank's 待办: the demo's two batches and this one
    let home = app.call_fn(&one, GetBankOverview {}).await;
    assert_eq!(home.body["batches_waiting"], 3, "{:?}", home.body);
    let before = events(&app).await;
    let (a, b) = tokio::join!(app.call_fn(&one, approve()), app.call_fn(&two, approve()));
    let statuses = [a.status.as_u16(), b.status.as_u16()];
    assert!(statuses.contains(&200) && statuses.contains(&409), "{statuses:?}: {:?} / {:?}", a.body, b.body);
    let winner = if a.status.is_success() { &a } else { &b };
    assert_eq!(winner.body["approved"], n);
    assert_eq!(app.call_fn(&two, GetBankOverview {}).await.body["batches_waiting"], 2);
    assert_eq!(events(&app).await - before, n, "one event per card");
    let reviewed: i64 = sqlx::query_scalar("SELECT reviewed FROM card_batches WHERE id = $1")
        .bind(batch)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(reviewed, n);
    assert_eq!(count(&app, union, CardState::Submitted).await, submitted_outside(&app, union, batch).await);
    assert_counts_agree(&app).await;
}

/// Cards still under review in the union's other batches (the demo's).
async fn submitted_outside(app: &TestApp, union: UnionId, batch: BatchId) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM cards WHERE union_id = $1 AND state = 'submitted' AND batch_id <> $2")
        .bind(union)
        .bind(batch)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn each_role_reaches_only_its_own_side_of_the_batch(app: TestApp) {
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    let sent = app.call_fn(&clerk, submit_all("k")).await;
    let batch = batch_id(&sent.body);

    // a union cannot review, a bank cannot apply
    let r = app.call_fn(&clerk, GetBatch { batch, state: None, page: 1 }).await;
    assert_eq!((r.status.as_u16(), r.kind()), (403, Some("forbidden")));
    let bank = app.login_ok("boc", DEMO_PASSWORD).await;
    let r = app.call_fn(&bank, submit_all("k9")).await;
    assert_eq!((r.status.as_u16(), r.kind()), (403, Some("forbidden")));

    // another bank does not see this bank's batch, nor can it review it
    let stranger = app.another_bank().await;
    let list = app.call_fn(&stranger, ListBatches { page: 1 }).await;
    assert_eq!(list.body["total"], 0, "{:?}", list.body);
    let r = app.call_fn(&stranger, GetBatch { batch, state: None, page: 1 }).await;
    assert_eq!((r.status.as_u16(), r.kind()), (404, Some("not_found")));
    let r =
        app.call_fn(&stranger, ReviewBatch { batch, rejections: vec![], approve: vec![], approve_rest: true }).await;
    assert_eq!((r.status.as_u16(), r.kind()), (404, Some("not_found")));
    // a forged member of another union in a selection moves nothing
    let b_member: i64 = sqlx::query_scalar(
        "SELECT m.id FROM members m JOIN cards c ON c.member_id = m.id JOIN unions u ON u.id = m.union_id WHERE u.name <> $1 AND c.state = 'pending' LIMIT 1",
    )
    .bind(UNION_A)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let r = app
        .call_fn(&clerk, SubmitBatch { request_key: "forged".into(), members: vec![MemberId(b_member)], all: false })
        .await;
    assert_eq!((r.status.as_u16(), r.kind()), (409, Some("conflict")), "{:?}", r.body);
    assert_counts_agree(&app).await;
}
