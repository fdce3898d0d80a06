//! `unioncard seed-demo`: a small demo city for trying the system and for the browser tests.
//! Idempotent: it fills an empty database and leaves one that has accounts alone.

use app::{
    domain::{card::CardState, credit_code, id_number, role::UnionLevel, union_info::UnionInfoForm},
    server::{
        accounts::{self, NewAccount},
        auth::hash_password,
        db::{now, Db},
        import::reversed,
        unions,
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

/// The lifecycle path up to each state, for the demo card histories.
fn path_to(state: CardState) -> Vec<CardState> {
    use CardState::*;
    let happy = [Pending, Submitted, InProduction, AwaitingDelivery, AwaitingDistribution, Distributed, Activated];
    match state {
        Rejected => vec![Pending, Submitted, Rejected],
        s => happy[..=happy.iter().position(|x| *x == s).unwrap_or(0)].to_vec(),
    }
}

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
    let bank_id: i64 = sqlx::query_scalar("INSERT INTO banks (name) VALUES ($1) RETURNING id")
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
    let city = node_in(&mut tx, city_id).await?;
    let district_id = unions::create(&mut tx, Some(&city), UnionLevel::District, DISTRICT).await?;
    let district = node_in(&mut tx, district_id).await?;
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
        }
        .parse()
        .expect("demo info is valid");
        unions::save_info(&mut tx, id, &info).await?;
    }

    // Members in every card state, with their histories.
    let states = CardState::ALL;
    let mut member_user = None;
    let t0 = now() - 40 * 86_400;
    for i in 0..36u32 {
        let union_id = if i % 3 == 2 { b } else { a };
        let name = if i == 0 {
            "黄丽".to_string()
        } else {
            format!("{}{}", SURNAMES[(i as usize) % 12], GIVEN[(i as usize * 5 + 1) % 12])
        };
        let birth = format!("19{:02}{:02}{:02}", 70 + i % 30, 1 + i % 12, 1 + i % 28);
        let id_number = resident_id(&birth, 100 + i * 2 + (i % 2));
        let phone = format!("1380013{:04}", 8000 + i);
        let state = if i == 0 { CardState::Distributed } else { states[(i as usize) % states.len()] };
        let member_id: i64 = sqlx::query_scalar(
            "INSERT INTO members (union_id, name, id_type, id_number, phone, department, card_state, created_at, updated_at, id_rev, phone_rev) \
             VALUES ($1, $2, '01', $3, $4, $5, $6, $7, $7, $8, $9) RETURNING id",
        )
        .bind(union_id)
        .bind(&name)
        .bind(&id_number)
        .bind(&phone)
        .bind(DEPARTMENTS[(i as usize) % 4])
        .bind(state.as_str())
        .bind(t0)
        .bind(reversed(&id_number))
        .bind(reversed(&phone))
        .fetch_one(&mut *tx)
        .await?;
        // entering 未办卡 is the member's creation (created_at); the card's transitions follow
        let mut from: Option<CardState> = Some(CardState::Pending);
        for (step, s) in path_to(state).into_iter().enumerate().skip(1) {
            let reason = (s == CardState::Rejected).then_some("证件号码与姓名不对应，请核实后重新提交。");
            sqlx::query(
                "INSERT INTO card_events (member_id, from_state, to_state, actor_id, reason, at) VALUES ($1, $2, $3, NULL, $4, $5)",
            )
            .bind(member_id)
            .bind(from.map(|f| f.as_str()))
            .bind(s.as_str())
            .bind(reason)
            .bind(t0 + step as i64 * 3 * 86_400)
            .execute(&mut *tx)
            .await?;
            from = Some(s);
        }
        if i == 0 {
            member_user = Some(member_id);
        }
    }

    // (username, display name, role, union, bank, member)
    type Account<'a> = (&'a str, &'a str, &'a str, Option<i64>, Option<i64>, Option<i64>);
    let accounts_to_make: [Account; 6] = [
        ("szzgh", CITY, "supervisor", Some(city_id), None, None),
        ("futian", DISTRICT, "supervisor", Some(district_id), None, None),
        ("shili", UNION_A, "union", Some(a), None, None),
        ("yangban", UNION_B, "union", Some(b), None, None),
        ("boc", BANK_NAME, "bank", None, Some(bank_id), None),
        ("member", "黄丽", "member", None, None, member_user),
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
    Ok(Outcome::Seeded)
}

async fn node_in(tx: &mut app::server::db::Tx, id: i64) -> Result<unions::UnionNode, sqlx::Error> {
    sqlx::query_as("SELECT id, parent_id, level, name, path FROM unions WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await
}
