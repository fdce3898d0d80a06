//! A model-based run of the card writer: random sequences of moves by every role — batch
//! applications of random selections or of all, bank reviews that reject some and approve some
//! or the rest, resets of rejections, removals, and raw moves between any two states (allowed or
//! not) — against the real database. After every step: every card is in a state the lifecycle
//! knows, every recorded event is a move the lifecycle allows, and the kept counts equal a
//! recount. The sequences come from a seeded generator (the seed is printed), so a failure can be
//! replayed.

use app::{
    domain::{
        card::{CardState, Rejection, RejectionReason},
        ids::{BankId, MemberId, UnionId, UserId},
    },
    server::{
        batches::{self, MemberRejection},
        cards::{self, check_counts, CardChange, Move, Selection},
    },
};
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use unioncard_server::seed::{UNION_A, UNION_B};

use crate::common::TestApp;

on_both_engines!(random_moves_by_every_role_stay_inside_the_lifecycle_and_the_counts_stay_true);

const STEPS: usize = 120;

async fn cards_in(app: &TestApp, union: UnionId, state: CardState) -> Vec<MemberId> {
    sqlx::query_scalar("SELECT id FROM members WHERE union_id = $1 AND card_state = $2 ORDER BY id")
        .bind(union)
        .bind(state)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

async fn invariants(app: &TestApp, step: usize, what: &str) {
    assert_eq!(check_counts(&app.db).await.unwrap(), vec![], "step {step} ({what}): kept counts differ");
    let events: Vec<(Option<CardState>, CardState)> =
        sqlx::query_as("SELECT from_state, to_state FROM card_events").fetch_all(&app.db.pool).await.unwrap();
    for (from, to) in events {
        if let Some(from) = from {
            assert!(from.can_move_to(to), "step {step} ({what}): an event {from:?} -> {to:?} the lifecycle forbids");
        }
    }
    // every state read back parses (a bad one would fail the decode above and here)
    let states: Vec<CardState> =
        sqlx::query_scalar("SELECT DISTINCT card_state FROM members").fetch_all(&app.db.pool).await.unwrap();
    assert!(states.iter().all(|s| CardState::ALL.contains(s)));
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
        let what = match rng.gen_range(0..6) {
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
                    let members: Vec<MemberId> = sqlx::query_scalar("SELECT id FROM members WHERE batch_id = $1")
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
                    let before: CardState = sqlx::query_scalar("SELECT card_state FROM members WHERE id = $1")
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
            _ => {
                // a raw move between any two states, for random cards of the union
                let from = *CardState::ALL.choose(&mut rng).unwrap();
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
}
