//! A model-based run of the card writer: random sequences of moves by every role — batch
//! applications of random selections or of all, bank reviews that reject some and approve some
//! or the rest, resets of rejections, removals, cards made, deliveries opened, re-proposed,
//! confirmed and delivered by either side (allowed or not), signed for with a right or wrong
//! count, cards handed out by member, department or delivery, activated, remade, and raw moves
//! between any two states outside the deliveries (allowed or not) — against the real database.
//! After every step: every card is in a state the lifecycle knows, every recorded event is a move
//! the lifecycle allows, the kept counts equal a recount, and each delivery holds exactly its
//! cards (an open one its 待送卡 cards, a signed one as many 待发放 cards as it says are left). The sequences come from a seeded generator (the seed is printed), so a failure can be
//! replayed.

use app::{
    domain::{
        card::{check_delivery, CardState, DeliveryAction, Rejection, RejectionReason},
        ids::{BankId, DeliveryId, MemberId, UnionId, UserId},
    },
    server::{
        batches::{self, MemberRejection},
        cards::{self, check_counts, CardChange, Move, Selection},
        db::now,
        deliveries::{self, Activation, HandOut, MadeCard, Seen, Side, Step},
    },
};
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use unioncard_server::seed::{BRANCHES, UNION_A, UNION_B};

use crate::common::TestApp;

on_both_engines!(random_moves_by_every_role_stay_inside_the_lifecycle_and_the_counts_stay_true);

const STEPS: usize = 200;

async fn cards_in(app: &TestApp, union: UnionId, state: CardState) -> Vec<MemberId> {
    sqlx::query_scalar("SELECT member_id FROM cards WHERE union_id = $1 AND state = $2 ORDER BY member_id")
        .bind(union)
        .bind(state)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

async fn invariants(app: &TestApp, step: usize, what: &str) {
    assert_eq!(check_counts(&app.db).await.unwrap(), vec![], "step {step} ({what}): kept counts differ");
    assert_eq!(app::server::subtree::check(&app.db).await.unwrap(), vec![], "subtree figures differ from their unions");
    let events: Vec<(Option<CardState>, CardState)> =
        sqlx::query_as("SELECT from_state, to_state FROM card_events").fetch_all(&app.db.pool).await.unwrap();
    for (from, to) in events {
        if let Some(from) = from {
            assert!(from.can_move_to(to), "step {step} ({what}): an event {from:?} -> {to:?} the lifecycle forbids");
        }
    }
    // every state read back parses (a bad one would fail the decode above and here)
    let states: Vec<CardState> =
        sqlx::query_scalar("SELECT DISTINCT state FROM cards").fetch_all(&app.db.pool).await.unwrap();
    assert!(states.iter().all(|s| CardState::ALL.contains(s)));
    // each delivery holds its cards: open ones their 待送卡 cards, signed ones their 待发放 cards
    let deliveries: Vec<(i64, String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT d.id, d.stage, d.cards, d.outstanding, \
                (SELECT COUNT(*) FROM cards c WHERE c.delivery_id = d.id AND c.state = 'awaiting_delivery'), \
                (SELECT COUNT(*) FROM cards c WHERE c.delivery_id = d.id AND c.state = 'awaiting_distribution') \
         FROM card_deliveries d",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    for (id, stage, cards, outstanding, waiting, to_hand_out) in deliveries {
        if stage == "signed" {
            assert_eq!((waiting, outstanding), (0, to_hand_out), "step {step} ({what}): signed delivery {id}");
        } else {
            assert_eq!((waiting, to_hand_out), (cards, 0), "step {step} ({what}): open delivery {id} ({stage})");
        }
    }
    let stray: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cards c WHERE c.state = 'awaiting_distribution' \
         AND NOT EXISTS (SELECT 1 FROM card_deliveries d WHERE d.id = c.delivery_id AND d.stage = 'signed')",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(stray, 0, "step {step} ({what}): a 待发放 card no signed delivery holds");
}

async fn random_moves_by_every_role_stay_inside_the_lifecycle_and_the_counts_stay_true(app: TestApp) {
    let seed: u64 = std::env::var("LIFECYCLE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    println!("lifecycle seed {seed} (LIFECYCLE_SEED={seed} replays it)");
    let mut rng = StdRng::seed_from_u64(seed);
    let unions = [app.union_id(UNION_A).await, app.union_id(UNION_B).await];
    let clerk: UserId =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'shili'").fetch_one(&app.db.pool).await.unwrap();
    let (officer, bank): (UserId, BankId) =
        sqlx::query_as("SELECT id, bank_id FROM users WHERE username = 'boc'").fetch_one(&app.db.pool).await.unwrap();
    invariants(&app, 0, "the demo data").await;
    for step in 1..=STEPS {
        let union = *unions.choose(&mut rng).unwrap();
        let what = match rng.gen_range(0..13) {
            0 => {
                // a batch application of some pending cards, or of all; sometimes resent
                let pending = cards_in(&app, union, CardState::Pending).await;
                let some: Vec<MemberId> = pending.iter().copied().filter(|_| rng.gen_bool(0.5)).collect();
                let key = format!("k{}", rng.gen_range(0..8));
                let selection = if rng.gen_bool(0.3) { Selection::All } else { Selection::Members(&some) };
                let _ = batches::submit(&app.db, union, clerk, &key, selection).await;
                "submit"
            }
            1 => {
                // a review of one of the bank's batches: reject some, approve some or the rest
                let ids: Vec<app::domain::ids::BatchId> =
                    sqlx::query_scalar("SELECT id FROM card_batches").fetch_all(&app.db.pool).await.unwrap();
                if let Some(batch) = ids.choose(&mut rng).copied() {
                    let members: Vec<MemberId> = sqlx::query_scalar("SELECT member_id FROM cards WHERE batch_id = $1")
                        .bind(batch)
                        .fetch_all(&app.db.pool)
                        .await
                        .unwrap();
                    let mut rejections: Vec<MemberRejection> = Vec::new();
                    for m in &members {
                        if rng.gen_bool(0.3) {
                            let reason = *RejectionReason::ALL.choose(&mut rng).unwrap();
                            rejections.push(MemberRejection {
                                member: *m,
                                reasons: vec![Rejection { reason, text: "随机".into() }],
                            });
                        }
                    }
                    let approve: Vec<MemberId> = members.iter().copied().filter(|_| rng.gen_bool(0.4)).collect();
                    let rest = rng.gen_bool(0.3);
                    let _ = batches::review(&app.db, bank, officer, batch, &rejections, &approve, rest).await;
                }
                "review"
            }
            2 => {
                let rejected = cards_in(&app, union, CardState::Rejected).await;
                let some: Vec<MemberId> = rejected.iter().copied().filter(|_| rng.gen_bool(0.6)).collect();
                let _ = batches::reset_rejected(&app.db, union, clerk, &some).await;
                "reset"
            }
            3 => {
                // a removal of any member (only 待办卡 and 待处理 may go)
                let all: Vec<MemberId> = sqlx::query_scalar("SELECT id FROM members WHERE union_id = $1")
                    .bind(union)
                    .fetch_all(&app.db.pool)
                    .await
                    .unwrap();
                if let Some(id) = all.choose(&mut rng).copied() {
                    let mut tx = app.db.begin_write().await.unwrap();
                    let before: CardState = sqlx::query_scalar("SELECT state FROM cards WHERE member_id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .unwrap();
                    let removed = cards::remove_member(&mut tx, union, id).await.unwrap();
                    assert_eq!(
                        removed.is_some(),
                        matches!(before, CardState::Pending | CardState::Rejected),
                        "removal of a card in {before:?}"
                    );
                    tx.commit().await.unwrap();
                }
                "remove"
            }
            4 => {
                // cards of a batch recorded made, each with a tail (sometimes a bad one)
                let made: Vec<(MemberId, app::domain::ids::BatchId)> = sqlx::query_as(
                    "SELECT member_id, batch_id FROM cards WHERE union_id = $1 AND state = 'in_production' AND batch_id IS NOT NULL",
                )
                .bind(union)
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
                if let Some((_, batch)) = made.choose(&mut rng).copied() {
                    let mut cards: Vec<MadeCard> = Vec::new();
                    for (m, b) in &made {
                        if *b == batch && rng.gen_bool(0.6) {
                            cards.push(MadeCard { member: *m, tail: format!("{:04}", rng.gen_range(0..10_000)) });
                        }
                    }
                    let _ = deliveries::mark_made(&app.db, bank, Some(officer), batch, &cards, None).await;
                }
                "made"
            }
            5 => {
                let _ = deliveries::open(&app.db, bank, Some(officer), union, now() + 86_400, None).await;
                "open delivery"
            }
            6 | 7 => {
                // a step of any delivery by either side, as seen now or on a stale page
                // mostly one under way
                let which = if rng.gen_bool(0.8) { "WHERE stage <> 'signed'" } else { "" };
                let ids: Vec<DeliveryId> = sqlx::query_scalar(&format!("SELECT id FROM card_deliveries {which}"))
                    .fetch_all(&app.db.pool)
                    .await
                    .unwrap();
                if let Some(id) = ids.choose(&mut rng).copied() {
                    let owner: UnionId = sqlx::query_scalar("SELECT union_id FROM card_deliveries WHERE id = $1")
                        .bind(id)
                        .fetch_one(&app.db.pool)
                        .await
                        .unwrap();
                    let side = if rng.gen_bool(0.5) { Side::Bank(bank) } else { Side::Union(owner) };
                    if let Ok(d) = deliveries::one(&app.db, side, id).await {
                        // mostly a step the lifecycle allows this side now, sometimes any
                        let allowed: Vec<DeliveryAction> = DeliveryAction::ALL
                            .into_iter()
                            .filter(|a| check_delivery(d.stage().unwrap(), *a, side.role(), Some(0)).is_ok())
                            .collect();
                        // mostly forward (confirm, deliver) when that is allowed
                        let forward = allowed.iter().copied().find(|a| *a != DeliveryAction::ProposeTime);
                        let action = match (forward, allowed.choose(&mut rng)) {
                            (Some(a), _) if rng.gen_bool(0.6) => a,
                            (_, Some(a)) if rng.gen_bool(0.7) => *a,
                            _ => *DeliveryAction::ALL.choose(&mut rng).unwrap(),
                        };
                        let stale = rng.gen_bool(0.2);
                        let seen = Seen {
                            stage: d.stage().unwrap(),
                            scheduled_at: if stale { d.scheduled_at - 60 } else { d.scheduled_at },
                        };
                        let step = Step { action, scheduled_at: Some(now() + 2 * 86_400), seen };
                        let actor = Some(if matches!(side, Side::Bank(_)) { officer } else { clerk });
                        let done = deliveries::step(&app.db, side, actor, id, step, None).await;
                        assert!(!(stale && done.is_ok()), "a step on a stale page applied");
                        if rng.gen_bool(0.5) {
                            let count = if rng.gen_bool(0.8) { d.cards } else { d.cards + 1 };
                            let signed = deliveries::sign(&app.db, d.union_id, Some(clerk), id, count, None).await;
                            assert!(!(count != d.cards && signed.is_ok()), "a wrong count signed for");
                        }
                    }
                }
                "delivery step"
            }
            8 => {
                let waiting = cards_in(&app, union, CardState::AwaitingDistribution).await;
                let some: Vec<MemberId> = waiting.iter().copied().filter(|_| rng.gen_bool(0.4)).collect();
                let department = ["生产部", "行政部", "财务部", "仓储部"].choose(&mut rng).copied().unwrap();
                let delivery: Option<DeliveryId> =
                    sqlx::query_scalar("SELECT id FROM card_deliveries WHERE union_id = $1 AND stage = 'signed'")
                        .bind(union)
                        .fetch_optional(&app.db.pool)
                        .await
                        .unwrap();
                let which = match (rng.gen_range(0..3), delivery) {
                    (0, Some(d)) => HandOut::Delivery(d),
                    (1, _) => HandOut::Department(department),
                    _ => HandOut::Members(&some),
                };
                let _ = deliveries::hand_out(&app.db, union, Some(clerk), which, None).await;
                "hand out"
            }
            9 => {
                let handed = cards_in(&app, union, CardState::Distributed).await;
                let some: Vec<MemberId> = handed.iter().copied().filter(|_| rng.gen_bool(0.5)).collect();
                let how = if rng.gen_bool(0.5) {
                    Activation::OnSite { at: now() }
                } else {
                    Activation::AtBranch { branch: BRANCHES[0].0 }
                };
                let _ = deliveries::activate(&app.db, bank, Some(officer), union, &some, &how, "激活").await;
                "activate"
            }
            10 => {
                // a card recalled and made again, from any state (only 待发放 and 已发放 may)
                let all: Vec<(MemberId, CardState)> =
                    sqlx::query_as("SELECT member_id, state FROM cards WHERE union_id = $1")
                        .bind(union)
                        .fetch_all(&app.db.pool)
                        .await
                        .unwrap();
                if let Some((id, state)) = all.choose(&mut rng).copied() {
                    let done = deliveries::remake(&app.db, bank, Some(officer), id, state, "卡面有误").await;
                    let may = matches!(state, CardState::AwaitingDistribution | CardState::Distributed);
                    assert!(done.is_ok() || !may, "a remake of a card in {state:?} refused: {done:?}");
                    assert!(done.is_err() || may, "a remake of a card in {state:?} applied");
                }
                "remake"
            }
            _ => {
                // a raw move between any two states outside the deliveries, for random cards
                let held = [CardState::AwaitingDelivery, CardState::AwaitingDistribution];
                let from =
                    *CardState::ALL.iter().filter(|s| !held.contains(s)).collect::<Vec<_>>().choose(&mut rng).unwrap();
                let from = *from;
                let to = *CardState::ALL.choose(&mut rng).unwrap();
                let cards = cards_in(&app, union, from).await;
                let some: Vec<MemberId> = cards.iter().copied().filter(|_| rng.gen_bool(0.5)).collect();
                let mut tx = app.db.begin_write().await.unwrap();
                let mv = Move {
                    union,
                    selection: Selection::Members(&some),
                    from,
                    to,
                    actor: None,
                    reason: None,
                    into_batch: None,
                    at: None,
                    card: CardChange::Nothing,
                };
                match cards::move_cards(&mut tx, app.db.backend, &mv).await {
                    Ok(moved) => {
                        assert!(from.can_move_to(to) || moved.is_empty(), "{from:?} -> {to:?} moved {moved:?}");
                        assert_eq!(moved.len(), some.len(), "every selected card was in {from:?}");
                        tx.commit().await.unwrap();
                    }
                    Err(e) => assert!(!from.can_move_to(to), "{from:?} -> {to:?} refused: {e:?}"),
                }
                "move"
            }
        };
        invariants(&app, step, what).await;
    }
    // what the run reached, for whoever reads its output
    let stages: Vec<(String, i64)> =
        sqlx::query_as("SELECT stage, COUNT(*) FROM card_deliveries GROUP BY stage ORDER BY stage")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let states: Vec<(String, i64)> =
        sqlx::query_as("SELECT to_state, COUNT(*) FROM card_events GROUP BY to_state ORDER BY to_state")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    println!("deliveries by stage {stages:?}; events by state reached {states:?}");
}
