//! A union's own members: view one (full values, audited), edit with the template's rules,
//! remove while no card is under way.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{card::CardState, member::MemberInput},
    error::AppError,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberDetail {
    pub id: i64,
    pub input: MemberInput,
    pub card_state: CardState,
    /// YYYYMMDD on the server: the browser checks birth dates against it.
    pub today: String,
}

impl MemberDetail {
    /// A card under way is not removed from the list; the bank holds it.
    pub fn removable(&self) -> bool {
        matches!(self.card_state, CardState::Pending | CardState::Rejected)
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::{
        domain::{card::CardState, id_document::IdType, member::MemberInput},
        error::AppError,
        server::{auth::AuthUser, Db},
    };

    pub type Row = (
        i64,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
    );

    /// The member `id` if it belongs to the caller's union; otherwise not found.
    pub async fn own_member(db: &Db, me: &AuthUser, id: i64) -> Result<(MemberInput, CardState), AppError> {
        let row: Option<Row> = sqlx::query_as(
            "SELECT union_id, name, id_type, id_number, country, sex, birth_date, phone, ethnicity, education, \
             migrant_worker, department, remark, card_state FROM members WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
        let Some(r) = row else { return Err(AppError::NotFound) };
        if Some(r.0) != me.union_id {
            return Err(AppError::NotFound);
        }
        let input = MemberInput {
            seq: String::new(),
            name: r.1,
            id_type: IdType::from_code(&r.2).map(|t| t.label().to_string()).unwrap_or_default(),
            id_number: r.3,
            country: r.4.unwrap_or_default(),
            sex: r.5.unwrap_or_default(),
            birth_date: r.6.unwrap_or_default(),
            phone: r.7,
            ethnicity: r.8.unwrap_or_default(),
            education: r.9.unwrap_or_default(),
            migrant_worker: r.10.unwrap_or_default(),
            department: r.11.unwrap_or_default(),
            remark: r.12.unwrap_or_default(),
        };
        Ok((input, CardState::parse(&r.13).unwrap_or(CardState::Pending)))
    }
}

#[server(endpoint = "members/get")]
pub async fn get_member(id: i64) -> Result<MemberDetail, AppError> {
    use crate::{
        domain::role::Role,
        server::{audit, auth, import::today},
    };
    let (db, me) = auth::require(&[Role::Union]).await?;
    let (input, card_state) = ssr::own_member(&db, &me, id).await?;
    // the edit form shows the full ID and phone: that access is recorded
    audit::record(&db.pool, Some(me.id), "member_viewed", &format!("member:{id}"), "").await?;
    Ok(MemberDetail { id, input, card_state, today: today() })
}

#[server(endpoint = "members/update")]
pub async fn update_member(id: i64, input: MemberInput) -> Result<MemberDetail, AppError> {
    use crate::{
        domain::{member::StoredMember, role::Role, FieldError},
        server::{audit, auth, import::today},
    };
    let (db, me) = auth::require(&[Role::Union]).await?;
    let (before, card_state) = ssr::own_member(&db, &me, id).await?;
    let (record, _) = input.parse(&today()).map_err(|errors| AppError::Invalid {
        errors: errors.into_iter().map(|e| FieldError { field: e.field, message: e.message }).collect(),
    })?;
    let taken: Option<(i64, String)> = sqlx::query_as(
        "SELECT m.union_id, u.name FROM members m JOIN unions u ON u.id = m.union_id WHERE m.id_number = $1 AND m.id <> $2",
    )
    .bind(&record.id_number)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    if let Some((owner, union_name)) = taken {
        // another union's name is not revealed
        let message = if Some(owner) == me.union_id {
            format!("该证件号码在【{union_name}】中已存在！")
        } else {
            "该证件号码已存在！".to_string()
        };
        return Err(AppError::invalid("id_number", message));
    }
    let s = StoredMember::from(&record);
    let after = record.to_input();
    let changed: Vec<&str> = crate::domain::member::FIELDS
        .iter()
        .filter(|(f, _)| before.get(f) != after.get(f))
        .map(|(_, label)| *label)
        .collect();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE members SET name = $1, id_type = $2, id_number = $3, country = $4, sex = $5, birth_date = $6, phone = $7, \
         ethnicity = $8, education = $9, migrant_worker = $10, department = $11, remark = $12, updated_at = $13, \
         id_rev = $15, phone_rev = $16 WHERE id = $14",
    )
    .bind(s.name)
    .bind(s.id_type)
    .bind(s.id_number.clone())
    .bind(s.country)
    .bind(s.sex)
    .bind(s.birth_date)
    .bind(s.phone.clone())
    .bind(s.ethnicity)
    .bind(s.education)
    .bind(s.migrant_worker)
    .bind(s.department)
    .bind(s.remark)
    .bind(crate::server::db::now())
    .bind(id)
    .bind(crate::server::import::reversed(&s.id_number))
    .bind(crate::server::import::reversed(&s.phone))
    .execute(&mut *tx)
    .await?;
    audit::record(&mut *tx, Some(me.id), "member_updated", &format!("member:{id}"), &changed.join("、")).await?;
    tx.commit().await?;
    Ok(MemberDetail { id, input: after, card_state, today: today() })
}

#[server(endpoint = "members/delete")]
pub async fn delete_member(id: i64) -> Result<(), AppError> {
    use crate::{
        domain::{mask_id, role::Role},
        server::{audit, auth},
    };
    let (db, me) = auth::require(&[Role::Union]).await?;
    let (input, state) = ssr::own_member(&db, &me, id).await?;
    if !matches!(state, CardState::Pending | CardState::Rejected) {
        return Err(AppError::refused(format!("该会员的会员服务卡处于“{}”，不能删除。", state.label())));
    }
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM card_events WHERE member_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("UPDATE users SET member_id = NULL WHERE member_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM members WHERE id = $1").bind(id).execute(&mut *tx).await?;
    audit::record(
        &mut *tx,
        Some(me.id),
        "member_deleted",
        &format!("member:{id}"),
        &format!("{} {}", input.name, mask_id(&input.id_number)),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/union/members");
    Ok(())
}
