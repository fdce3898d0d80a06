//! 会员服务平台: a member signs in with an SMS code, reads where their card is and what to do,
//! answers whether they received it, and reports wrong information; the union reads and
//! resolves what its members sent (会员反馈).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{card::CardState, ids::MemberId, member_portal::ReceiptAnswer, member_portal::ReportStatus},
    error::AppError,
};

/// What the browser is told after asking for a code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeAnswer {
    /// No SMS gateway: the code is in the server log (演示环境).
    pub demo: bool,
    /// Seconds before a new code may be asked for.
    pub resend_after: i64,
}

/// Asks for a 短信验证码 to the phone on record for this ID number. The answer is the same for
/// someone who is not a member.
#[server(endpoint = "me/code", output = crate::wire::Answer)]
pub async fn request_member_code(id_number: String, phone: String) -> Result<CodeAnswer, AppError> {
    use crate::server::{auth, member_signin, state};
    let state = use_context::<state::AppState>().ok_or(AppError::Internal)?;
    if id_number.len() > 200 || phone.len() > 200 {
        return Err(AppError::invalid("id_number", "证件号码或手机号码有误。"));
    }
    let session = auth::session().await?;
    let address = auth::client_address().await;
    let sent = member_signin::request_code(&state.db, &state.sms, &session, &address, &id_number, &phone).await?;
    Ok(CodeAnswer { demo: sent.demo, resend_after: sent.resend_after })
}

/// Where this browser's sign-in stands, for the sign-in page to render the right step without
/// a script: whether a code was sent that may still be typed, and (only then) the ID number and
/// phone it was sent for, as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignInStep {
    pub id_number: String,
    pub phone: String,
    pub code_sent: bool,
    /// No SMS gateway: the code is in the server log (演示环境).
    pub demo: bool,
    /// Seconds before a new code may be asked for.
    pub resend_after: i64,
}

#[server(endpoint = "me/sign_in_step", output = crate::wire::Answer)]
pub async fn member_sign_in_step() -> Result<SignInStep, AppError> {
    use crate::server::{auth, member_signin, state};
    let state = use_context::<state::AppState>().ok_or(AppError::Internal)?;
    let session = auth::session().await?;
    let step = member_signin::step(&state.db, &session).await?;
    Ok(SignInStep {
        id_number: step.id_number,
        phone: step.phone,
        code_sent: step.code.is_some(),
        demo: state.sms.is_demo(),
        resend_after: step.code.map_or(0, |c| c.resend_after),
    })
}

/// Signs in with the code this browser asked for.
#[server(endpoint = "me/sign_in", output = crate::wire::Answer)]
pub async fn member_sign_in(code: String) -> Result<(), AppError> {
    use crate::server::{auth, member_signin, state};
    let db = state::db()?;
    if code.len() > 64 {
        return Err(AppError::invalid("code", "请输入6位数字验证码。"));
    }
    let session = auth::session().await?;
    let address = auth::client_address().await;
    member_signin::verify_code(&db, &session, &address, &code).await?;
    leptos_axum::redirect("/me");
    Ok(())
}

/// One entry of the card's history as the member reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: i64,
    pub what: String,
    pub note: Option<String>,
}

/// A report of wrong information and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportItem {
    pub id: i64,
    pub member: MemberId,
    pub member_name: String,
    pub field: String,
    pub field_label: String,
    pub proposed: String,
    pub status: ReportStatus,
    pub answer: Option<String>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

#[cfg(feature = "ssr")]
impl From<crate::server::member_portal::ReportRow> for ReportItem {
    fn from(r: crate::server::member_portal::ReportRow) -> Self {
        ReportItem {
            id: r.id,
            member: r.member_id,
            member_name: r.member_name,
            field_label: crate::domain::member_portal::reportable_label(&r.field).unwrap_or("").to_string(),
            // a list: an ID or phone number the member gave is masked like any other (the
            // member's record, opened from here, shows it in full, audited)
            proposed: match r.field.as_str() {
                "id_number" => crate::domain::mask_id(r.proposed.trim()),
                "phone" => crate::domain::phone::mask(r.proposed.trim()),
                _ => r.proposed,
            },
            field: r.field,
            status: r.status,
            answer: r.answer,
            created_at: r.created_at,
            resolved_at: r.resolved_at,
        }
    }
}

/// The member's card page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyCard {
    pub name: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub department: String,
    pub card_state: CardState,
    /// The card number's last four digits, once made.
    pub card_tail: Option<String>,
    pub union_name: String,
    pub union_contact: Option<String>,
    pub union_phone: Option<String>,
    pub union_address: Option<String>,
    /// The 中国银行 branch the union's cards are made at and activated at.
    pub branch_name: Option<String>,
    /// 待领取: the last day to collect the card (`12月9日`), when the calendar can count it.
    pub collect_by: Option<String>,
    /// The current rejection's reasons, in words.
    pub rejections: Vec<String>,
    /// The member's latest answer to a card handed out.
    pub receipt: Option<ReceiptAnswer>,
    pub history: Vec<TimelineEntry>,
    pub reports: Vec<ReportItem>,
}

#[server(endpoint = "me/card", output = crate::wire::Answer)]
pub async fn get_my_card() -> Result<MyCard, AppError> {
    use crate::{
        domain::{
            calendar::{Date, DISTRIBUTION_WORKING_DAYS},
            card::RejectionReason,
            mask_id,
            phone::mask,
            role::Role,
        },
        server::{calendar, caller, cards, member_portal},
    };
    let (db, me) = caller::require(&[Role::Member]).await?;
    let member = me.member()?;
    let m = member_portal::card_page(&db, member).await?.ok_or(AppError::NotFound)?;
    let collect_by = match (m.card_state, m.signed_on.as_deref().and_then(Date::parse)) {
        (CardState::AwaitingDistribution, Some(signed)) => {
            match calendar::due_date(&db, signed, DISTRIBUTION_WORKING_DAYS).await? {
                Ok((due, _)) => Some(format!("{}月{}日", due.month(), due.day())),
                Err(_) => None,
            }
        }
        _ => None,
    };
    let rejections = member_portal::current_rejections(&db, member)
        .await?
        .into_iter()
        .map(|(code, text)| {
            let label = RejectionReason::parse(&code).map(|r| r.label()).unwrap_or("其他原因");
            match text.filter(|t| !t.trim().is_empty()) {
                Some(t) => format!("{label}：{t}"),
                None => label.to_string(),
            }
        })
        .collect();
    let receipts = member_portal::receipts_of(&db, member).await?;
    // the record's creation, the card's moves and the member's answers, in time order
    let mut history = vec![TimelineEntry { at: m.created_at, what: "工会已采集您的信息".into(), note: None }];
    history.extend(cards::events(&db, member).await?.into_iter().map(|(state, at, reason)| TimelineEntry {
        at,
        what: moment(state).into(),
        note: reason,
    }));
    history.extend(receipts.iter().map(|(a, at)| TimelineEntry { at: *at, what: a.label().into(), note: None }));
    history.sort_by_key(|e| e.at);
    let reports =
        member_portal::reports_of_member(&db, member, false).await?.into_iter().map(ReportItem::from).collect();
    Ok(MyCard {
        name: m.name,
        id_number_masked: mask_id(&m.id_number),
        phone_masked: mask(&m.phone),
        department: m.department.unwrap_or_default(),
        card_state: m.card_state,
        card_tail: m.card_tail,
        union_name: m.union_name,
        union_contact: m.contact_person,
        union_phone: m.contact_phone,
        union_address: m.union_address,
        branch_name: m.branch_name,
        collect_by,
        rejections,
        receipt: receipts.last().map(|(a, _)| *a).filter(|_| m.card_state == CardState::Distributed),
        history,
        reports,
    })
}

/// A move of the card as the member's history says it (the state it reached).
pub fn moment(state: CardState) -> &'static str {
    match state {
        CardState::Pending => "已退回工会，待重新提交",
        CardState::Submitted => "工会已提交办卡申请",
        CardState::Rejected => "银行审核未通过",
        CardState::InProduction => "银行审核通过，开始制卡",
        CardState::AwaitingDelivery => "卡片制作完成",
        CardState::AwaitingDistribution => "卡片已送达工会",
        CardState::Distributed => "工会登记已发放",
        CardState::Activated => "会员服务卡已激活",
    }
}

/// 我已领到卡 / 未收到: the member's answer once the union has recorded the card handed out.
#[server(endpoint = "me/receipt", output = crate::wire::Answer)]
pub async fn answer_receipt(answer: String) -> Result<(), AppError> {
    use crate::{
        domain::role::Role,
        server::{caller, member_portal},
    };
    let (db, me) = caller::require(&[Role::Member]).await?;
    let answer = ReceiptAnswer::parse(&answer).ok_or_else(|| AppError::invalid("answer", "请选择是否已领到卡。"))?;
    member_portal::answer_receipt(&db, me.member()?, answer, me.id()).await
}

/// 信息有误: the member names a field of their record and writes what is right.
#[server(endpoint = "me/report", output = crate::wire::Answer)]
pub async fn report_wrong_info(field: String, proposed: String) -> Result<(), AppError> {
    use crate::{
        domain::{member_portal, role::Role},
        server::{caller, member_portal as store},
    };
    let (db, me) = caller::require(&[Role::Member]).await?;
    if member_portal::reportable_label(&field).is_none() {
        return Err(AppError::invalid("field", "请选择有误的信息项。"));
    }
    let proposed = member_portal::clean_report_text(&proposed).map_err(|m| AppError::invalid("proposed", m))?;
    store::file_report(&db, me.member()?, &field, &proposed, me.id()).await?;
    Ok(())
}

/// A member who answered 未收到, as the union sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotReceivedItem {
    pub member: MemberId,
    pub name: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub department: String,
    pub at: i64,
}

/// 会员反馈: what the union's members sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub not_received: Vec<NotReceivedItem>,
    pub open: Vec<ReportItem>,
    pub closed: Vec<ReportItem>,
    /// Cards handed out whose members confirmed them.
    pub confirmed: i64,
}

#[server(endpoint = "union/feedback", output = crate::wire::Answer)]
pub async fn get_feedback() -> Result<Feedback, AppError> {
    use crate::{
        domain::{mask_id, phone::mask, role::Role},
        server::{caller, member_portal},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    let union = me.union()?;
    let not_received = member_portal::not_received(&db, union)
        .await?
        .into_iter()
        .map(|r| NotReceivedItem {
            member: r.member_id,
            name: r.name,
            id_number_masked: mask_id(&r.id_number),
            phone_masked: mask(&r.phone),
            department: r.department.unwrap_or_default(),
            at: r.at,
        })
        .collect();
    let open = member_portal::reports_of_union(&db, union, true).await?.into_iter().map(ReportItem::from).collect();
    let closed = member_portal::reports_of_union(&db, union, false).await?.into_iter().map(ReportItem::from).collect();
    let (confirmed, _) = member_portal::receipt_counts(&db, union).await?;
    Ok(Feedback { not_received, open, closed, confirmed })
}

/// The answer field of report `id` on 会员反馈, which a refusal of its answer names.
pub fn report_answer_field(id: i64) -> String {
    format!("answer-{id}")
}

/// The union closes a report: `fixed` once it has edited the record, or `answered` in words.
#[server(endpoint = "union/feedback/resolve", output = crate::wire::Answer)]
pub async fn resolve_report(id: i64, status: String, answer: String) -> Result<(), AppError> {
    use crate::{
        domain::{member_portal::clean_report_text, role::Role},
        server::{caller, member_portal},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    // a refusal names the report's own answer field (`answer-{id}`): the page, one form per
    // report, shows it beside the report it is about
    let field = report_answer_field(id);
    let checked = match ReportStatus::parse(&status) {
        Some(s @ (ReportStatus::Fixed | ReportStatus::Answered)) => match (s, clean_report_text(&answer)) {
            (_, Ok(text)) => Ok((s, text)),
            (ReportStatus::Fixed, Err(_)) if answer.trim().is_empty() => Ok((s, "已按您的反馈修改信息。".to_string())),
            (_, Err(m)) => {
                let m = if answer.trim().is_empty() { "请填写答复内容。" } else { m };
                Err(AppError::invalid(&field, m))
            }
        },
        _ => Err(AppError::invalid(&field, "请选择处理方式。")),
    };
    // a report closed meanwhile is said so first: its row, where the answer's refusal would
    // stand, is gone from the page
    member_portal::resolve_report(&db, me.union()?, id, checked, me.id()).await
}
