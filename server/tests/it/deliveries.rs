//! After the review: the bank records cards made, proposes a delivery time, the union confirms
//! or proposes another, the bank records the delivery, the union signs for it with the count
//! checked and hands the cards out within five working days (overdue first), the bank activates
//! them on site or at a branch, or recalls a card to make it again. Each step applies once (a
//! stale page is told 已被他人处理), each side reaches only its own deliveries and cards, and the
//! kept counts agree with a recount after all of it.

use app::{
    api::{
        cards::{ReviewBatch, SubmitBatch},
        deliveries::{
            ActivateCards, DeliveryStep, HandOutCards, ListBankCards, ListBankDeliveries, ListUnionDeliveries,
            MadeInput, MarkCardsMade, OpenDelivery, RemakeCard, SignDelivery,
        },
        members::{CorrectMember, ListCorrections},
    },
    domain::{
        card::{CardState, DeliveryAction},
        format_time,
        ids::{BatchId, DeliveryId, MemberId, UnionId},
    },
    server::{
        cards::{check_counts, counts_of_union},
        db::now,
    },
};
use serde_json::Value;
use unioncard_server::seed::{BRANCHES, DEMO_PASSWORD, UNION_A, UNION_B};

use crate::common::TestApp;

on_both_engines!(
    made_cards_are_delivered_signed_for_handed_out_and_activated_each_step_once,
    two_signings_of_one_delivery_at_once_apply_once,
    each_side_reaches_only_its_own_deliveries_and_cards,
    the_bank_corrects_a_member_at_activation_and_the_union_sees_what_changed,
    the_bank_pages_and_searches_the_unions_waiting_for_a_delivery,
    the_bank_desk_lists_no_card_the_union_still_holds,
    a_union_cannot_move_its_cards_to_another_bank_while_the_bank_holds_some,
);

/// The activation desk shows full ID and phone numbers: it lists only the states it offers
/// (待发放, 已发放, 已激活), never a member the union has not sent to the bank.
async fn the_bank_desk_lists_no_card_the_union_still_holds(app: TestApp) {
    let bank = app.login_ok("boc", DEMO_PASSWORD).await;
    for state in [CardState::Pending, CardState::Rejected, CardState::Submitted, CardState::InProduction] {
        let r = app.call_fn(&bank, ListBankCards { state, id_number: String::new(), page: 1 }).await;
        assert_eq!(status(&r), (422, Some("refused")), "{state:?}: {:?}", r.body);
        assert_eq!(r.body["code"], "state_not_listed", "{:?}", r.body);
        assert!(r.body.get("items").is_none(), "{:?}", r.body);
    }
    for state in CardState::BANK_DESK {
        let r = app.call_fn(&bank, ListBankCards { state, id_number: String::new(), page: 1 }).await;
        assert!(r.status.is_success(), "{state:?}: {:?}", r.body);
    }
}

/// A bank sees and moves a union's cards by the union's pickup branch: while some are with the
/// bank (review, production, delivery, signed for), the union may change to another branch of
/// the same bank but not to another bank's.
async fn a_union_cannot_move_its_cards_to_another_bank_while_the_bank_holds_some(app: TestApp) {
    use app::api::unions::{GetUnionInfo, SaveUnionInfo};
    let a = app.union_id(UNION_A).await;
    let held: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cards WHERE union_id = $1 AND state IN ('submitted', 'in_production', \
         'awaiting_delivery', 'awaiting_distribution')",
    )
    .bind(a)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(held > 0, "the demo union has cards with the bank");
    let _stranger = app.another_bank().await;
    sqlx::query("INSERT INTO bank_branches (code, bank_id, name) SELECT '999900000001', id, '另一家银行营业部' FROM banks WHERE name = '另一家银行'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    let info = app.call_fn(&clerk, GetUnionInfo {}).await;
    let form = |branch: &str| {
        let mut f: app::domain::union_info::UnionInfoForm = serde_json::from_value(info.body["form"].clone()).unwrap();
        f.pickup_branch = branch.into();
        SaveUnionInfo { info: f }
    };
    let r = app.call_fn(&clerk, form("999900000001")).await;
    assert_eq!(r.status.as_u16(), 422, "{:?}", r.body);
    assert!(r.field_message("pickup_branch").unwrap().contains("不能改到其他银行的领卡网点"), "{:?}", r.body);
    let kept: String = sqlx::query_scalar("SELECT pickup_branch FROM unions WHERE id = $1")
        .bind(a)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_ne!(kept, "999900000001");
    // another branch of the same bank is fine
    let other_own = BRANCHES.iter().map(|(code, _)| *code).find(|c| *c != kept).unwrap();
    let r = app.call_fn(&clerk, form(other_own)).await;
    assert!(r.kind().is_none(), "{:?}", r.body);
    // once nothing is with the bank, the union may change bank
    sqlx::query(
        "UPDATE cards SET state = 'activated' WHERE union_id = $1 AND state IN ('submitted', \
                 'in_production', 'awaiting_delivery', 'awaiting_distribution', 'distributed')",
    )
    .bind(a)
    .execute(&app.db.pool)
    .await
    .unwrap();
    app::server::cards::recount(&app.db).await.unwrap();
    let r = app.call_fn(&clerk, form("999900000001")).await;
    assert!(r.kind().is_none(), "{:?}", r.body);
    assert_eq!(r.body["form"]["pickup_branch"], "999900000001");
}

/// 25 more unions of the bank, each with two made cards no delivery holds (as the kept counts
/// say: the list reads them, not the cards): the list pages by 20, by name, and a search by a
/// part of the union's name finds one; another bank's union never shows.
async fn the_bank_pages_and_searches_the_unions_waiting_for_a_delivery(app: TestApp) {
    let bank = app.login_ok("boc", DEMO_PASSWORD).await;
    let union = app.union_id(UNION_A).await;
    let (parent, branch): (i64, String) = sqlx::query_as("SELECT parent_id, pickup_branch FROM unions WHERE id = $1")
        .bind(union)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    for i in (1..=25).rev() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO unions (parent_id, level, name, path, pickup_branch, created_at) \
             VALUES ($1, 'grassroots', $2, '', $3, 0) RETURNING id",
        )
        .bind(parent)
        .bind(format!("分页测试第{i:02}工会"))
        .bind(&branch)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO card_counts (union_id, state, n) VALUES ($1, 'awaiting_delivery', 2)")
            .bind(id)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    let list = |name: &str, page: i64| {
        app.call_fn(&bank, ListBankDeliveries { union_name: name.into(), unscheduled_page: page, open_page: 1 })
    };
    let names = |body: &serde_json::Value| -> Vec<String> {
        body["unscheduled"].as_array().unwrap().iter().map(|u| u["union_name"].as_str().unwrap().to_string()).collect()
    };
    let first = list("分页测试", 1).await;
    assert_eq!((first.body["unscheduled_total"].as_i64(), first.body["open_total"].as_i64()), (Some(25), Some(0)));
    let expected: Vec<String> = (1..=20).map(|i| format!("分页测试第{i:02}工会")).collect();
    assert_eq!(names(&first.body), expected, "by name, 20 a page");
    assert!(first.body["unscheduled"].as_array().unwrap().iter().all(|u| u["cards"] == 2));
    let second = list("分页测试", 2).await;
    assert_eq!(names(&second.body), (21..=25).map(|i| format!("分页测试第{i:02}工会")).collect::<Vec<_>>());
    let one = list("第07", 1).await;
    assert_eq!(
        (names(&one.body), one.body["unscheduled_total"].as_i64()),
        (vec!["分页测试第07工会".to_string()], Some(1))
    );
    // a search is text, never a pattern
    let none = list("%", 1).await;
    assert_eq!(none.body["unscheduled_total"], 0, "{:?}", none.body);
    let stranger = app.another_bank().await;
    let theirs = app
        .call_fn(&stranger, ListBankDeliveries { union_name: "分页测试".into(), unscheduled_page: 1, open_page: 1 })
        .await;
    assert_eq!(theirs.body["unscheduled_total"], 0, "{:?}", theirs.body);
}

async fn count(app: &TestApp, union: UnionId, state: CardState) -> i64 {
    counts_of_union(&app.db, union).await.unwrap().into_iter().find(|(s, _)| *s == state).map(|(_, n)| n).unwrap()
}

async fn events(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM card_events").fetch_one(&app.db.pool).await.unwrap()
}

/// A date-time field's value `days` from now.
fn field_time(days: i64) -> String {
    format_time(now() + days * 86_400).replace(' ', "T")
}

/// The union's pending members sent in one batch and approved by the bank; with the demo's, the
/// union's cards in 制卡中, each with its batch.
async fn approved_batch(app: &TestApp, clerk: &reqwest::Client, bank: &reqwest::Client) -> Vec<(BatchId, MemberId)> {
    let sent = app.call_fn(clerk, SubmitBatch { request_key: "k".into(), members: vec![], all: true }).await;
    assert!(sent.status.is_success(), "{:?}", sent.body);
    let batch = BatchId(sent.body["batch"]["id"].as_i64().unwrap());
    let done = app.call_fn(bank, ReviewBatch { batch, rejections: vec![], approve: vec![], approve_rest: true }).await;
    assert!(done.status.is_success(), "{:?}", done.body);
    let members: Vec<(BatchId, MemberId)> = sqlx::query_as(
        "SELECT batch_id, member_id FROM cards WHERE union_id = (SELECT union_id FROM card_batches WHERE id = $1) \
         AND state = 'in_production' ORDER BY member_id",
    )
    .bind(batch)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(members.len() >= 3, "the demo union has cards to make: {members:?}");
    members
}

fn step(delivery: &Value, action: DeliveryAction, scheduled: &str) -> DeliveryStep {
    DeliveryStep {
        delivery: DeliveryId(delivery["id"].as_i64().unwrap()),
        action,
        scheduled: scheduled.into(),
        seen_stage: delivery["stage_code"].as_str().unwrap().into(),
        seen_by: serde_json::from_value(delivery["proposed_by"].clone()).unwrap(),
        seen_time: delivery["scheduled_at"].as_i64().unwrap(),
    }
}

fn actions(delivery: &Value) -> Vec<String> {
    delivery["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect()
}

fn status(r: &crate::common::Reply) -> (u16, Option<&str>) {
    (r.status.as_u16(), r.kind())
}

async fn made_cards_are_delivered_signed_for_handed_out_and_activated_each_step_once(app: TestApp) {
    let union = app.union_id(UNION_A).await;
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    let bank = app.login_ok("boc", DEMO_PASSWORD).await;

    // the demo's made cards of 示例电子 wait for a delivery to be arranged
    let waiting = count(&app, union, CardState::AwaitingDelivery).await;
    let list =
        app.call_fn(&bank, ListBankDeliveries { union_name: String::new(), unscheduled_page: 1, open_page: 1 }).await;
    let unscheduled = list.body["unscheduled"].as_array().unwrap();
    let mine = unscheduled.iter().find(|u| u["union_id"] == union.0).expect("listed");
    assert_eq!(mine["cards"], waiting);

    // cards made: a tail that is not four digits is refused, nothing moves; each card once
    let made_of = approved_batch(&app, &clerk, &bank).await;
    let cards: Vec<MemberId> = made_of.iter().map(|c| c.1).collect();
    let bad = MarkCardsMade { batch: made_of[0].0, made: vec![MadeInput { member: cards[0], tail: "12a4".into() }] };
    let r = app.call_fn(&bank, bad).await;
    assert_eq!((status(&r), r.field_message("card_tail").is_some()), ((422, Some("invalid")), true), "{:?}", r.body);
    let mut batches: Vec<BatchId> = made_of.iter().map(|c| c.0).collect();
    batches.sort_by_key(|b| b.0);
    batches.dedup();
    for batch in batches {
        let made = MarkCardsMade {
            batch,
            made: (made_of.iter().enumerate())
                .filter(|(_, c)| c.0 == batch)
                .map(|(i, c)| MadeInput { member: c.1, tail: format!("{:04}", 1000 + i) })
                .collect(),
        };
        let n = made.made.len();
        let r = app.call_fn(&bank, made.clone()).await;
        assert_eq!(r.body, n, "{:?}", r.body);
        let r = app.call_fn(&bank, made).await;
        assert_eq!(status(&r), (409, Some("conflict")), "{:?}", r.body);
    }
    let tail: Option<String> = sqlx::query_scalar("SELECT card_tail FROM cards WHERE member_id = $1")
        .bind(cards[1])
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(tail.as_deref(), Some("1001"));
    let in_delivery = waiting + cards.len() as i64;
    assert_eq!(count(&app, union, CardState::AwaitingDelivery).await, in_delivery);

    // the bank proposes a time: not one in the past; the delivery takes every made card
    let r = app.call_fn(&bank, OpenDelivery { union, scheduled: field_time(-1) }).await;
    assert_eq!((status(&r), r.field_message("scheduled").is_some()), ((422, Some("invalid")), true), "{:?}", r.body);
    let opened = app.call_fn(&bank, OpenDelivery { union, scheduled: field_time(3) }).await;
    assert!(opened.status.is_success(), "{:?}", opened.body);
    assert_eq!(
        (opened.body["cards"].as_i64(), opened.body["stage_code"].as_str()),
        (Some(in_delivery), Some("proposed"))
    );
    let again = app.call_fn(&bank, OpenDelivery { union, scheduled: field_time(4) }).await;
    assert_eq!(status(&again), (409, Some("conflict")), "nothing left to deliver: {:?}", again.body);
    let list =
        app.call_fn(&bank, ListBankDeliveries { union_name: String::new(), unscheduled_page: 1, open_page: 1 }).await;
    assert!(!list.body["unscheduled"].as_array().unwrap().iter().any(|u| u["union_id"] == union.0));

    // the union sees the bank's proposal, proposes another time instead
    let theirs = app.call_fn(&clerk, ListUnionDeliveries {}).await;
    let d = theirs.body["open"].as_array().unwrap().iter().find(|d| d["id"] == opened.body["id"]).unwrap().clone();
    assert_eq!(actions(&d), ["propose_time", "confirm_time"]);
    assert_eq!(d["proposed_by"], "bank");
    let counter = app.call_fn(&clerk, step(&d, DeliveryAction::ProposeTime, &field_time(5))).await;
    assert!(counter.status.is_success(), "{:?}", counter.body);
    assert_eq!(counter.body["proposed_by"], "union");
    // the bank's page still shows its own proposal: confirming it is told someone acted first
    let stale = app.call_fn(&bank, step(&opened.body, DeliveryAction::ConfirmTime, "")).await;
    assert_eq!(status(&stale), (409, Some("conflict")), "{:?}", stale.body);
    // the union cannot confirm its own time, nor record the delivery
    let own = app.call_fn(&clerk, step(&counter.body, DeliveryAction::ConfirmTime, "")).await;
    assert_eq!(status(&own), (422, Some("refused")), "{:?}", own.body);
    let deliver = app.call_fn(&clerk, step(&counter.body, DeliveryAction::RecordDelivered, "")).await;
    assert_eq!(deliver.status.as_u16(), 403, "{:?}", deliver.body);
    // the bank confirms the union's time, twice at once: once
    let confirm = step(&counter.body, DeliveryAction::ConfirmTime, "");
    let (a, b) = tokio::join!(app.call_fn(&bank, confirm.clone()), app.call_fn(&bank, confirm));
    let ok: Vec<_> = [&a, &b].into_iter().filter(|r| r.status.is_success()).collect();
    assert_eq!(ok.len(), 1, "{:?} / {:?}", a.body, b.body);
    let confirmed = ok[0].body.clone();
    assert_eq!(confirmed["stage_code"], "confirmed");
    let steps: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM delivery_events WHERE delivery_id = $1")
        .bind(confirmed["id"].as_i64())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(steps, 3, "proposed, proposed again, confirmed: one row each");

    // signing before the delivery is refused; the bank records it delivered
    let delivery = DeliveryId(confirmed["id"].as_i64().unwrap());
    let early = app.call_fn(&clerk, SignDelivery { delivery, count: in_delivery }).await;
    assert_eq!((status(&early), early.body["code"].as_str()), ((422, Some("refused")), Some("not_delivered")));
    let delivered = app.call_fn(&bank, step(&confirmed, DeliveryAction::RecordDelivered, "")).await;
    assert_eq!(delivered.body["stage_code"], "delivered", "{:?}", delivered.body);

    // the union counts one card short: refused with both numbers, nothing moves
    let distributing = count(&app, union, CardState::AwaitingDistribution).await;
    let short = app.call_fn(&clerk, SignDelivery { delivery, count: in_delivery - 1 }).await;
    assert_eq!(status(&short), (422, Some("invalid")), "{:?}", short.body);
    let message = short.field_message("count").unwrap();
    assert!(
        message.contains(&in_delivery.to_string()) && message.contains(&(in_delivery - 1).to_string()),
        "{message}"
    );
    assert_eq!(count(&app, union, CardState::AwaitingDistribution).await, distributing);
    let before = events(&app).await;
    let signed = app.call_fn(&clerk, SignDelivery { delivery, count: in_delivery }).await;
    assert_eq!(
        (signed.body["stage_code"].as_str(), signed.body["outstanding"].as_i64()),
        (Some("signed"), Some(in_delivery))
    );
    assert_eq!(events(&app).await - before, in_delivery, "one event per card");
    assert_eq!(count(&app, union, CardState::AwaitingDelivery).await, 0);
    assert_eq!(count(&app, union, CardState::AwaitingDistribution).await, distributing + in_delivery);
    let twice = app.call_fn(&clerk, SignDelivery { delivery, count: in_delivery }).await;
    assert_eq!(status(&twice), (409, Some("conflict")), "{:?}", twice.body);

    // the due list: the demo's delivery signed a month ago is overdue and comes first; this one is
    // due five working days after today (unless the calendar lacks a year it needs)
    let theirs = app.call_fn(&clerk, ListUnionDeliveries {}).await;
    let due = theirs.body["due"].as_array().unwrap();
    assert_eq!(due.len(), 2, "{:?}", theirs.body);
    assert_eq!(due[1]["delivery"]["id"], delivery.0);
    if due[0]["calendar_gap"].is_null() && due[1]["calendar_gap"].is_null() {
        // the urgency's kind names it: {"overdue": {"by": n}}
        assert!(due[0]["urgency"].get("overdue").is_some(), "{:?}", due[0]);
        assert!(
            due[1]["urgency"].get("on_time").is_some() || due[1]["urgency"].get("due_soon").is_some(),
            "{:?}",
            due[1]
        );
        assert!(due[1]["due_on"].as_str().unwrap() > due[1]["signed_on"].as_str().unwrap());
    }

    // handed out: two members, then a department, then the rest of the delivery; once each
    let r = app
        .call_fn(&clerk, HandOutCards { members: cards[..2].to_vec(), department: String::new(), delivery: None })
        .await;
    assert_eq!(r.body, 2, "{:?}", r.body);
    let r = app
        .call_fn(&clerk, HandOutCards { members: cards[..2].to_vec(), department: String::new(), delivery: None })
        .await;
    assert_eq!(status(&r), (409, Some("conflict")), "{:?}", r.body);
    let outstanding = |v: &Value| {
        v["due"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["delivery"]["id"] == delivery.0)
            .map(|d| d["delivery"]["outstanding"].as_i64().unwrap())
    };
    let theirs = app.call_fn(&clerk, ListUnionDeliveries {}).await;
    assert_eq!(outstanding(&theirs.body), Some(in_delivery - 2));
    let department: String = sqlx::query_scalar("SELECT department FROM members WHERE id = $1")
        .bind(cards[2])
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let by_department =
        app.call_fn(&clerk, HandOutCards { members: vec![], department: department.clone(), delivery: None }).await;
    assert!(by_department.body.as_i64().unwrap() >= 1, "{:?}", by_department.body);
    // a department with nothing left to hand out (or none of that name) is told so, under its field
    let again =
        app.call_fn(&clerk, HandOutCards { members: vec![], department: department.clone(), delivery: None }).await;
    assert_eq!(
        again.field_message("department"),
        Some(format!("部门“{department}”没有待发放的会员服务卡。请核对部门名称，须与会员信息中的“部门”完全一致。"))
    );
    let rest = app
        .call_fn(&clerk, HandOutCards { members: vec![], department: String::new(), delivery: Some(delivery) })
        .await;
    assert!(rest.status.is_success(), "{:?}", rest.body);
    let theirs = app.call_fn(&clerk, ListUnionDeliveries {}).await;
    assert_eq!(outstanding(&theirs.body), None, "a delivery handed out in full leaves the due list");
    let left: i64 = sqlx::query_scalar("SELECT outstanding FROM card_deliveries WHERE id = $1")
        .bind(delivery)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);

    // activation by the bank: on site with the time, at a branch of its own only
    let found =
        app.call_fn(&bank, ListBankCards { state: CardState::Distributed, id_number: String::new(), page: 1 }).await;
    assert!(found.body["items"].as_array().unwrap().iter().any(|c| c["id"] == cards[0].0), "{:?}", found.body);
    let number: String = sqlx::query_scalar("SELECT id_number FROM members WHERE id = $1")
        .bind(cards[1])
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let one =
        app.call_fn(&bank, ListBankCards { state: CardState::Distributed, id_number: number.clone(), page: 1 }).await;
    assert_eq!(one.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(one.body["items"][0]["id_number"], number.as_str());
    assert_eq!(one.body["items"][0]["card_tail"], "1001");
    let on_site = ActivateCards { union, members: vec![cards[0]], at: field_time(0), branch: String::new() };
    let r = app.call_fn(&bank, on_site.clone()).await;
    assert_eq!(r.body, 1, "{:?}", r.body);
    let r = app.call_fn(&bank, on_site).await;
    assert_eq!(status(&r), (409, Some("conflict")), "{:?}", r.body);
    let no_time = app
        .call_fn(&bank, ActivateCards { union, members: vec![cards[1]], at: String::new(), branch: String::new() })
        .await;
    assert_eq!(no_time.status.as_u16(), 422, "{:?}", no_time.body);
    // an activation is recorded once it has happened, not for tomorrow
    let ahead = app
        .call_fn(&bank, ActivateCards { union, members: vec![cards[1]], at: field_time(1), branch: String::new() })
        .await;
    assert_eq!(ahead.field_message("at").as_deref(), Some("激活时间不能晚于现在，请填写会员实际激活的时间。"));
    let not_ours = app
        .call_fn(
            &bank,
            ActivateCards { union, members: vec![cards[1]], at: String::new(), branch: "999999999999".into() },
        )
        .await;
    assert_eq!(status(&not_ours), (422, Some("invalid")), "{:?}", not_ours.body);
    let at_branch = app
        .call_fn(
            &bank,
            ActivateCards { union, members: vec![cards[1]], at: String::new(), branch: BRANCHES[0].0.into() },
        )
        .await;
    assert_eq!(at_branch.body, 1, "{:?}", at_branch.body);
    assert!(count(&app, union, CardState::Activated).await >= 2);

    // a card with a wrong face: recalled without its number, made again
    let r = app.call_fn(&bank, RemakeCard { member: cards[2], seen: CardState::Distributed, text: " ".into() }).await;
    assert_eq!(r.status.as_u16(), 422, "{:?}", r.body);
    let r = app
        .call_fn(&bank, RemakeCard { member: cards[2], seen: CardState::Distributed, text: "卡面姓名印错".into() })
        .await;
    assert!(r.status.is_success(), "{:?}", r.body);
    let (state, tail, delivery_of): (String, Option<String>, Option<i64>) =
        sqlx::query_as("SELECT state, card_tail, delivery_id FROM cards WHERE member_id = $1")
            .bind(cards[2])
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), tail, delivery_of), ("in_production", None, None));
    let r = app
        .call_fn(&bank, RemakeCard { member: cards[2], seen: CardState::Distributed, text: "卡面姓名印错".into() })
        .await;
    assert_eq!(status(&r), (409, Some("conflict")), "{:?}", r.body);
    assert_eq!(check_counts(&app.db).await.unwrap(), vec![], "kept counts differ from a recount");
    assert_eq!(app::server::subtree::check(&app.db).await.unwrap(), vec![], "subtree figures differ from their unions");
}

async fn two_signings_of_one_delivery_at_once_apply_once(app: TestApp) {
    let union = app.union_id(UNION_A).await;
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    let bank = app.login_ok("boc", DEMO_PASSWORD).await;
    let opened = app.call_fn(&bank, OpenDelivery { union, scheduled: field_time(2) }).await;
    let confirmed = app.call_fn(&clerk, step(&opened.body, DeliveryAction::ConfirmTime, "")).await;
    let delivered = app.call_fn(&bank, step(&confirmed.body, DeliveryAction::RecordDelivered, "")).await;
    let delivery = DeliveryId(delivered.body["id"].as_i64().unwrap());
    let n = delivered.body["cards"].as_i64().unwrap();
    let before = events(&app).await;
    let other = app.login_ok("shili", DEMO_PASSWORD).await;
    let (a, b) = tokio::join!(
        app.call_fn(&clerk, SignDelivery { delivery, count: n }),
        app.call_fn(&other, SignDelivery { delivery, count: n })
    );
    let mut codes = [a.status.as_u16(), b.status.as_u16()];
    codes.sort();
    assert_eq!(codes, [200, 409], "{:?} / {:?}", a.body, b.body);
    assert_eq!(events(&app).await - before, n, "each card moved once");
    assert_eq!(check_counts(&app.db).await.unwrap(), vec![]);
    assert_eq!(app::server::subtree::check(&app.db).await.unwrap(), vec![], "subtree figures differ from their unions");
}

async fn each_side_reaches_only_its_own_deliveries_and_cards(app: TestApp) {
    let a = app.union_id(UNION_A).await;
    let bank = app.login_ok("boc", DEMO_PASSWORD).await;
    let opened = app.call_fn(&bank, OpenDelivery { union: a, scheduled: field_time(2) }).await;
    assert!(opened.status.is_success(), "{:?}", opened.body);
    let delivery = DeliveryId(opened.body["id"].as_i64().unwrap());

    // another union neither sees nor confirms nor signs 示例电子's delivery
    let other_union = app.login_ok("yangban", DEMO_PASSWORD).await;
    let theirs = app.call_fn(&other_union, ListUnionDeliveries {}).await;
    assert!(!theirs.body["open"].as_array().unwrap().iter().any(|d| d["id"] == delivery.0));
    let r = app.call_fn(&other_union, step(&opened.body, DeliveryAction::ConfirmTime, "")).await;
    assert_eq!(status(&r), (404, Some("not_found")), "{:?}", r.body);
    let r = app.call_fn(&other_union, SignDelivery { delivery, count: 1 }).await;
    assert_eq!(status(&r), (404, Some("not_found")), "{:?}", r.body);
    // a member of 示例电子 in 样板物流's hand-out moves nothing
    let a_card: i64 = sqlx::query_scalar(
        "SELECT member_id FROM cards WHERE union_id = $1 AND state = 'awaiting_distribution' LIMIT 1",
    )
    .bind(a)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let r = app
        .call_fn(
            &other_union,
            HandOutCards { members: vec![MemberId(a_card)], department: String::new(), delivery: None },
        )
        .await;
    assert_eq!(status(&r), (409, Some("conflict")), "{:?}", r.body);

    // another bank: nothing listed, no delivery to open or step, no card to activate or remake
    let stranger = app.another_bank().await;
    let list = app
        .call_fn(&stranger, ListBankDeliveries { union_name: String::new(), unscheduled_page: 1, open_page: 1 })
        .await;
    assert_eq!(
        (list.body["unscheduled"].as_array().unwrap().len(), list.body["open"].as_array().unwrap().len()),
        (0, 0)
    );
    let r = app.call_fn(&stranger, OpenDelivery { union: app.union_id(UNION_B).await, scheduled: field_time(2) }).await;
    assert_eq!(status(&r), (422, Some("refused")), "{:?}", r.body);
    let r = app.call_fn(&stranger, step(&opened.body, DeliveryAction::ProposeTime, &field_time(3))).await;
    assert_eq!(status(&r), (404, Some("not_found")), "{:?}", r.body);
    let cards = app
        .call_fn(&stranger, ListBankCards { state: CardState::Distributed, id_number: String::new(), page: 1 })
        .await;
    assert_eq!(cards.body["total"], 0, "{:?}", cards.body);
    let distributed: i64 =
        sqlx::query_scalar("SELECT member_id FROM cards WHERE union_id = $1 AND state = 'distributed' LIMIT 1")
            .bind(a)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let r = app
        .call_fn(
            &stranger,
            ActivateCards { union: a, members: vec![MemberId(distributed)], at: field_time(0), branch: String::new() },
        )
        .await;
    assert_eq!(status(&r), (422, Some("refused")), "{:?}", r.body);
    let r = app
        .call_fn(
            &stranger,
            RemakeCard { member: MemberId(distributed), seen: CardState::Distributed, text: "卡面有误".into() },
        )
        .await;
    assert_eq!(status(&r), (422, Some("refused")), "{:?}", r.body);

    // the union and the member cannot act for the bank, the bank cannot sign for the union
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    let r = app.call_fn(&clerk, OpenDelivery { union: a, scheduled: field_time(2) }).await;
    assert_eq!(status(&r), (403, Some("forbidden")));
    let member = app.login_ok("member", DEMO_PASSWORD).await;
    let r = app.call_fn(&member, ListUnionDeliveries {}).await;
    assert_eq!(status(&r), (403, Some("forbidden")));
    let r = app.call_fn(&bank, SignDelivery { delivery, count: 1 }).await;
    assert_eq!(status(&r), (403, Some("forbidden")));
}

async fn the_bank_corrects_a_member_at_activation_and_the_union_sees_what_changed(app: TestApp) {
    let union = app.union_id(UNION_A).await;
    let (member, name, id_number, phone): (i64, String, String, String) = sqlx::query_as(
        "SELECT m.id, m.name, m.id_number, m.phone FROM members m JOIN cards c ON c.member_id = m.id \
         WHERE c.union_id = $1 AND c.state = 'distributed' ORDER BY m.id DESC",
    )
    .bind(union)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let member = MemberId(member);
    let bank = app.login_ok("boc", DEMO_PASSWORD).await;
    let fix =
        |phone: &str| CorrectMember { member, name: name.clone(), id_number: id_number.clone(), phone: phone.into() };
    let same = app.call_fn(&bank, fix(&phone)).await;
    assert_eq!((status(&same), same.body["code"].as_str()), ((422, Some("refused")), Some("nothing_changed")));
    let bad = app.call_fn(&bank, fix("1390000")).await;
    assert_eq!((status(&bad), bad.field_message("phone").is_some()), ((422, Some("invalid")), true), "{:?}", bad.body);
    // a mistyped ID: its own message only, not the 国家/地区 the template's rule then asks for
    let mut typo = fix(&phone);
    typo.id_number = format!("{}0", &id_number[..17]);
    if typo.id_number == id_number {
        typo.id_number = format!("{}1", &id_number[..17]);
    }
    let bad = app.call_fn(&bank, typo).await;
    let fields: Vec<&str> =
        bad.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["id_number"], "{:?}", bad.body);
    let done = app.call_fn(&bank, fix("13900001111")).await;
    assert_eq!(done.body, serde_json::json!(["手机号码"]), "{:?}", done.body);
    let stored: String = sqlx::query_scalar("SELECT phone FROM members WHERE id = $1")
        .bind(member)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, "13900001111");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'member_corrected'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(audited, 1);

    // the union reads what changed, numbers masked, on the member and on its home
    let clerk = app.login_ok("shili", DEMO_PASSWORD).await;
    for of in [Some(member), None] {
        let list = app.call_fn(&clerk, ListCorrections { member: of }).await;
        let first = &list.body[0];
        assert_eq!(
            (first["field_label"].as_str(), first["new_value"].as_str(), first["member"].as_i64()),
            (Some("手机号码"), Some("139****1111"), Some(member.0)),
            "{:?}",
            list.body
        );
        assert!(first["old_value"].as_str().unwrap().contains('*'));
    }
    // a member id that is nobody's (what /union/members/0 asked for) has no corrections
    let nobody = app.call_fn(&clerk, ListCorrections { member: Some(MemberId(0)) }).await;
    assert_eq!(nobody.body, serde_json::json!([]), "{:?}", nobody.body);
    // only the bank corrects, only its own unions' members, only before activation
    let r = app.call_fn(&clerk, fix("13900002222")).await;
    assert_eq!(status(&r), (403, Some("forbidden")));
    let stranger = app.another_bank().await;
    let r = app.call_fn(&stranger, fix("13900002222")).await;
    assert_eq!(status(&r), (422, Some("refused")), "{:?}", r.body);
    let activate = ActivateCards { union, members: vec![member], at: field_time(0), branch: String::new() };
    assert_eq!(app.call_fn(&bank, activate).await.body, 1);
    let r = app.call_fn(&bank, fix("13900002222")).await;
    assert_eq!((status(&r), r.body["code"].as_str()), ((422, Some("refused")), Some("not_distributed")));
    let other_union = app.login_ok("yangban", DEMO_PASSWORD).await;
    let theirs = app.call_fn(&other_union, ListCorrections { member: None }).await;
    assert_eq!(theirs.body, serde_json::json!([]), "another union sees none of it");
}
