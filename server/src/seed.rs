//! `unioncard seed-demo`: a small demo city for trying the system and for the browser tests.
//! Idempotent: it fills an empty database and leaves one that has accounts alone.

use app::{
    domain::{
        card::{CardState, DeliveryAction, Rejection, RejectionReason},
        credit_code, id_number,
        ids::{BankId, BatchId, MemberId, UnionId},
        member::StoredMember,
        role::{Role, UnionLevel},
        union_info::UnionInfoForm,
    },
    error::AppError,
    server::{
        accounts::{self, NewAccount},
        auth::hash_password,
        batches::{self, MemberRejection},
        cards::{self, Selection},
        db::{now, Db},
        deliveries, members, unions,
    },
};

pub const DEMO_PASSWORD: &str = "Demo2026";

pub const BANK_NAME: &str = "中国银行深圳市分行";
pub const BRANCHES: [(&str, &str); 2] =
    [("104584000101", "中国银行深圳福田支行"), ("104584000102", "中国银行深圳车公庙支行")];
pub const CITY: &str = "深圳市总工会";
pub const DISTRICT: &str = "福田区总工会";
pub const UNION_A: &str = "深圳市示例电子有限公司工会委员会";
pub const UNION_B: &str = "深圳市样板物流有限公司工会委员会";

/// (account, role description) of the demo accounts, all with `DEMO_PASSWORD`.
pub const DEMO_ACCOUNTS: [(&str, &str); 6] = [
    ("szzgh", "上级工会：深圳市总工会"),
    ("futian", "上级工会：福田区总工会"),
    ("shili", "基层工会：深圳市示例电子有限公司工会委员会"),
    ("yangban", "基层工会：深圳市样板物流有限公司工会委员会"),
    ("boc", "银行：中国银行深圳市分行"),
    ("member", "会员：黄丽（示例电子）"),
];

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Seeded,
    AlreadyHasData,
}

const SURNAMES: [&str; 12] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"];
const GIVEN: [&str; 12] = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰"];
const DEPARTMENTS: [&str; 4] = ["生产部", "行政部", "财务部", "仓储部"];

fn resident_id(birth: &str, seq: u32) -> String {
    let first = format!("440304{birth}{seq:03}");
    let check = id_number::check_char(&first).expect("17 digits");
    format!("{first}{check}")
}

fn code(first17: &str) -> String {
    format!("{first17}{}", credit_code::check_char(first17).expect("valid characters"))
}

pub async fn seed_demo(db: &Db) -> Result<Outcome, sqlx::Error> {
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&db.pool).await?;
    if users > 0 {
        return Ok(Outcome::AlreadyHasData);
    }
    let hash = hash_password(DEMO_PASSWORD.to_string()).await.map_err(|_| sqlx::Error::PoolClosed)?;
    let mut tx = db.begin_write().await?;
    let bank_id: BankId = sqlx::query_scalar("INSERT INTO banks (name) VALUES ($1) RETURNING id")
        .bind(BANK_NAME)
        .fetch_one(&mut *tx)
        .await?;
    for (code, name) in BRANCHES {
        sqlx::query("INSERT INTO bank_branches (code, bank_id, name) VALUES ($1, $2, $3)")
            .bind(code)
            .bind(bank_id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
    }
    let city_id = unions::create(&mut tx, None, UnionLevel::City, CITY).await?;
    let city = unions::node_in(&mut tx, city_id).await?;
    let district_id = unions::create(&mut tx, Some(&city), UnionLevel::District, DISTRICT).await?;
    let district = unions::node_in(&mut tx, district_id).await?;
    let a = unions::create(&mut tx, Some(&district), UnionLevel::Grassroots, UNION_A).await?;
    let b = unions::create(&mut tx, Some(&district), UnionLevel::Grassroots, UNION_B).await?;
    let infos = [
        (
            a,
            UNION_A,
            "深圳市示例电子有限公司",
            "91440300MA5F0DEM0",
            "深圳市福田区深南大道6008号",
            "王芳",
            "0755-83288060",
            BRANCHES[0].0,
        ),
        (
            b,
            UNION_B,
            "深圳市样板物流有限公司",
            "91440300MA5F0DEM1",
            "深圳市福田区车公庙泰然九路1号",
            "李强",
            "13823456789",
            BRANCHES[1].0,
        ),
    ];
    for (id, union_name, unit, credit17, address, person, phone, branch) in infos {
        let info = UnionInfoForm {
            union_name: union_name.into(),
            unit_name: unit.into(),
            credit_code: code(credit17),
            address: address.into(),
            contact_person: person.into(),
            contact_phone: phone.into(),
            pickup_branch: branch.into(),
            agreement_branch: branch.into(),
            agreement_signed_on: "2026-03-02".into(),
        }
        .parse()
        .expect("demo info is valid");
        unions::save_info(&mut tx, id, &info).await?;
    }

    // Members in every card state, with their histories: created through the card writer, then
    // moved along the lifecycle by it, a few days apart.
    let t0 = now() - 40 * 86_400;
    let mut planned: Vec<(UnionId, StoredMember, CardState)> = Vec::new();
    for i in 0..36u32 {
        let union_id = if i % 3 == 2 { b } else { a };
        let name = if i == 0 {
            "黄丽".to_string()
        } else {
            format!("{}{}", SURNAMES[(i as usize) % 12], GIVEN[(i as usize * 5 + 1) % 12])
        };
        let birth = format!("19{:02}{:02}{:02}", 70 + i % 30, 1 + i % 12, 1 + i % 28);
        let record = StoredMember {
            name,
            id_type: "01".into(),
            id_number: resident_id(&birth, 100 + i * 2 + (i % 2)),
            country: None,
            sex: None,
            birth_date: None,
            phone: format!("1380013{:04}", 8000 + i),
            ethnicity: None,
            education: None,
            migrant_worker: None,
            department: Some(DEPARTMENTS[(i as usize) % 4].into()),
            remark: None,
        };
        let state = if i == 0 { CardState::Distributed } else { CardState::ALL[(i as usize) % CardState::ALL.len()] };
        planned.push((union_id, record, state));
    }
    let mut member_user: Option<MemberId> = None;
    // per union: its batch and each member's planned state, for the steps after the review
    let mut later = Vec::new();
    for union_id in [a, b] {
        let mine: Vec<&(UnionId, StoredMember, CardState)> = planned.iter().filter(|p| p.0 == union_id).collect();
        let records: Vec<StoredMember> = mine.iter().map(|p| p.1.clone()).collect();
        cards::enroll(&mut tx, db.backend, union_id, None, &records).await?;
        let numbers: Vec<&str> = records.iter().map(|r| r.id_number.as_str()).collect();
        let ids = members::ids_of(&mut tx, union_id, &numbers).await?;
        // ids_of answers in id order, which is the order enrolled
        let planned_ids: Vec<(MemberId, &StoredMember, CardState)> =
            ids.iter().zip(&mine).map(|(id, p)| (*id, &p.1, p.2)).collect();
        if let Some(huang) = planned_ids.iter().find(|p| p.1.name == "黄丽") {
            member_user = Some(huang.0);
        }
        let demo = |e: AppError| sqlx::Error::Protocol(format!("demo cards: {e}"));
        // one batch application of every card past 未办卡, three days after the members came
        let sent: Vec<MemberId> = planned_ids.iter().filter(|p| p.2 != CardState::Pending).map(|p| p.0).collect();
        let batch = match batches::submit_in(
            &mut tx,
            db.backend,
            union_id,
            None,
            "demo",
            Selection::Members(&sent),
            t0 + 3 * 86_400,
        )
        .await
        {
            Ok(done) => done.batch,
            Err(batches::SubmitError::App(e)) => return Err(demo(e)),
            Err(batches::SubmitError::SameRequest) => return Err(sqlx::Error::Protocol("demo batch twice".into())),
        };
        // the bank's review three days later: rejections with a reason, approval of the cards
        // that go further, the rest still under review
        let rejections: Vec<MemberRejection> = planned_ids
            .iter()
            .filter(|p| p.2 == CardState::Rejected)
            .map(|p| MemberRejection {
                member: p.0,
                reasons: vec![Rejection {
                    reason: RejectionReason::NameIdMismatch,
                    text: "请核对证件上的姓名后重新提交。".into(),
                }],
            })
            .collect();
        let approve: Vec<MemberId> = planned_ids
            .iter()
            .filter(|p| !matches!(p.2, CardState::Pending | CardState::Submitted | CardState::Rejected))
            .map(|p| p.0)
            .collect();
        batches::review_in(&mut tx, db.backend, &batch, None, &rejections, &approve, false, t0 + 6 * 86_400)
            .await
            .map_err(demo)?;
        later.push((union_id, batch.id, planned_ids.iter().map(|p| (p.0, p.2)).collect::<Vec<_>>()));
    }
    sqlx::query("UPDATE members SET created_at = $1 WHERE union_id IN ($2, $3)")
        .bind(t0)
        .bind(a)
        .bind(b)
        .execute(&mut *tx)
        .await?;

    // (username, display name, role, union, bank, member)
    type Account<'a> = (&'a str, &'a str, Role, Option<UnionId>, Option<BankId>, Option<MemberId>);
    let accounts_to_make: [Account; 6] = [
        ("szzgh", CITY, Role::Supervisor, Some(city_id), None, None),
        ("futian", DISTRICT, Role::Supervisor, Some(district_id), None, None),
        ("shili", UNION_A, Role::Union, Some(a), None, None),
        ("yangban", UNION_B, Role::Union, Some(b), None, None),
        ("boc", BANK_NAME, Role::Bank, None, Some(bank_id), None),
        ("member", "黄丽", Role::Member, None, None, member_user),
    ];
    for (username, display, role, union_id, bank, member) in accounts_to_make {
        accounts::insert(
            &mut tx,
            &NewAccount {
                username,
                display_name: display,
                role,
                union_id,
                bank_id: bank,
                member_id: member,
                password_hash: &hash,
                must_change_password: false,
                created_by: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    for (union, batch, planned) in later {
        demo_deliveries(db, bank_id, union, batch, &planned, t0, union == b)
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("demo deliveries: {e}")))?;
    }
    Ok(Outcome::Seeded)
}

/// The demo's cards after the review, through the same calls as the bank's desk and the union's
/// page: the cards that go further are made and delivered in one delivery, signed for a month ago
/// (so its cards still to hand out are overdue), handed out and activated; the cards left in
/// 待送卡 were made two days ago and wait for a delivery to be arranged, or (`proposed`) for the
/// union to confirm the bank's proposed time.
async fn demo_deliveries(
    db: &Db,
    bank: BankId,
    union: UnionId,
    batch: BatchId,
    planned: &[(MemberId, CardState)],
    t0: i64,
    proposed: bool,
) -> Result<(), AppError> {
    use deliveries::{Activation, HandOut, MadeCard, Seen, Side, Step};
    let day = 86_400;
    let in_states = |states: &[CardState]| -> Vec<MemberId> {
        planned.iter().filter(|p| states.contains(&p.1)).map(|p| p.0).collect()
    };
    let made = |ids: &[MemberId]| -> Vec<MadeCard> {
        ids.iter().map(|id| MadeCard { member: *id, tail: format!("{:04}", 6000 + id.0 % 4000) }).collect()
    };
    let further = in_states(&[CardState::AwaitingDistribution, CardState::Distributed, CardState::Activated]);
    if !further.is_empty() {
        deliveries::mark_made(db, bank, None, batch, &made(&further), Some(t0 + 9 * day)).await?;
        // proposed for 10:00 Beijing time three days later
        let time = (t0 + 12 * day).div_euclid(day) * day + 2 * 3600;
        let d = deliveries::open(db, bank, None, union, time, Some(t0 + 9 * day)).await?;
        let seen = Seen { stage: d.stage()?, scheduled_at: time };
        let confirm = Step { action: DeliveryAction::ConfirmTime, scheduled_at: None, seen };
        let d = deliveries::step(db, Side::Union(union), None, d.id, confirm, Some(t0 + 10 * day)).await?;
        let seen = Seen { stage: d.stage()?, scheduled_at: time };
        let deliver = Step { action: DeliveryAction::RecordDelivered, scheduled_at: None, seen };
        let d = deliveries::step(db, Side::Bank(bank), None, d.id, deliver, Some(time + 3600)).await?;
        deliveries::sign(db, union, None, d.id, d.cards, Some(time + 2 * 3600)).await?;
        let handed = in_states(&[CardState::Distributed, CardState::Activated]);
        if !handed.is_empty() {
            deliveries::hand_out(db, union, None, HandOut::Members(&handed), Some(time + 2 * day)).await?;
        }
        let activated = in_states(&[CardState::Activated]);
        if !activated.is_empty() {
            let how = Activation::OnSite { at: time + 4 * day };
            deliveries::activate(db, bank, None, union, &activated, &how, "上门激活").await?;
        }
    }
    let waiting = in_states(&[CardState::AwaitingDelivery]);
    if !waiting.is_empty() {
        let two_days_ago = now() - 2 * day;
        deliveries::mark_made(db, bank, None, batch, &made(&waiting), Some(two_days_ago)).await?;
        if proposed {
            let time = (now() + 3 * day).div_euclid(day) * day + 2 * 3600;
            deliveries::open(db, bank, None, union, time, Some(two_days_ago)).await?;
        }
    }
    Ok(())
}
