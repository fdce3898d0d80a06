//! 会员服务平台 (mobile first): where the member's card is, who acts next and what the member
//! does now; their answer to a card handed out; reports of wrong information. Server-rendered
//! whole and sent without any script (`script_free_path`): its actions are plain forms, each
//! answered by this page again.

use leptos::prelude::*;

use crate::{
    api::member_portal::{get_my_card, AnswerReceipt, MyCard, ReportWrongInfo},
    components::{ErrorNotice, FieldMessage, Portal},
    domain::{
        card::CardState,
        format_time,
        member_portal::{current_step, guidance, ReceiptAnswer, REPORTABLE, STEPS},
        role::Role,
    },
    pages::{action_error, changes},
};

/// The seven steps, done / now / to come, with the deadline on 待领取.
#[component]
fn Steps(state: CardState, collect_by: Option<String>) -> impl IntoView {
    let now = current_step(state);
    view! {
        <ol class="card-steps" aria-label="办理进度">
            {STEPS.iter().enumerate().map(|(i, label)| {
                let (class, status) = match i.cmp(&now) {
                    std::cmp::Ordering::Less => ("done", "已完成"),
                    std::cmp::Ordering::Equal if state == CardState::Rejected => ("now problem", "未通过"),
                    std::cmp::Ordering::Equal => ("now", "当前"),
                    std::cmp::Ordering::Greater => ("todo", "未开始"),
                };
                let text = match (i, &collect_by) {
                    (4, Some(by)) if i == now => format!("待领取：请于 {by} 前到工会领取"),
                    _ => label.to_string(),
                };
                view! {
                    <li class=class aria-current=(i == now).then_some("step")>
                        <span class="step-text">{text}</span>
                        <span class="step-status">{status}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// 我已领到卡 / 未收到, while the union has recorded the card handed out.
#[component]
fn Receipt(current: Option<ReceiptAnswer>, action: ServerAction<AnswerReceipt>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="receipt" aria-labelledby="receipt-title">
            <h2 id="receipt-title">"您领到卡了吗？"</h2>
            <p>{match current {
                Some(ReceiptAnswer::Received) => "您已确认领到卡。如有变化可重新选择。",
                Some(ReceiptAnswer::NotReceived) => "您已反馈未收到卡，工会将与您联系。如已领到，请点“我已领到卡”。",
                None => "工会已登记将卡发放给您，请确认。",
            }}</p>
            <div class="actions">
                {ReceiptAnswer::ALL.into_iter().map(|a| {
                    let label = match a {
                        ReceiptAnswer::Received => "我已领到卡",
                        ReceiptAnswer::NotReceived => "未收到",
                    };
                    view! {
                        <ActionForm action=action attr:class="inline">
                            <input type="hidden" name="answer" value=a.as_str()/>
                            <button type="submit" class:primary={a == ReceiptAnswer::Received}
                                aria-pressed=if current == Some(a) { "true" } else { "false" }
                                disabled=move || action.pending().get()>{label}</button>
                        </ActionForm>
                    }
                }).collect_view()}
            </div>
            <ErrorNotice error=error/>
        </section>
    }
}

/// 信息有误，我要反馈: pick the field, write what is right.
#[component]
fn ReportForm(action: ServerAction<ReportWrongInfo>) -> impl IntoView {
    let error = action_error(action);
    let field = move |f: &'static str| Signal::derive(move || error.get().and_then(|e| e.field_message(f)));
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        // open when its form came back with an error (the page is script-free: the answer to
        // a refused report is this page again, the error in its address)
        <details class="report" open=move || error.get().is_some()>
            <summary>"信息有误，我要反馈"</summary>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <div class="field">
                    <label for="report-field">"有误的信息"</label>
                    <select id="report-field" name="field" aria-describedby="report-field-error">
                        {REPORTABLE.iter().map(|(f, l)| view! { <option value=*f>{*l}</option> }).collect_view()}
                    </select>
                    <FieldMessage id="report-field-error" message=field("field")/>
                </div>
                <div class="field">
                    <label for="report-proposed">"正确的信息"</label>
                    <textarea id="report-proposed" name="proposed" rows="2" maxlength="200" required
                        aria-describedby="report-proposed-error"></textarea>
                    <FieldMessage id="report-proposed-error" message=field("proposed")/>
                </div>
                <ErrorNotice error=Signal::derive(move || error.get().filter(|e| !matches!(e, crate::error::AppError::Invalid { .. })))/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>"提交给工会"</button>
                {move || done().then(|| view! { <p class="notice" role="status">"已提交，工会处理后会在此显示结果。"</p> })}
            </ActionForm>
        </details>
    }
}

#[component]
fn CardView(c: MyCard, receipt: ServerAction<AnswerReceipt>, report: ServerAction<ReportWrongInfo>) -> impl IntoView {
    let state = c.card_state;
    let activation = (state == CardState::Distributed).then(|| match c.branch_name.clone() {
        Some(branch) if branch.starts_with("中国银行") => format!("激活网点：{branch}"),
        Some(branch) => format!("激活网点：中国银行{branch}"),
        None => "激活网点：任一中国银行网点".to_string(),
    });
    let collect_at = (state == CardState::AwaitingDistribution).then(|| {
        format!("领取地点：{}{}", c.union_name, c.union_address.clone().map(|a| format!("（{a}）")).unwrap_or_default())
    });
    view! {
        <h1>"我的会员服务卡"</h1>
        <section class="member-card" aria-label="会员服务卡">
            <p class="card-bank">"中国银行 · 深圳工会会员服务卡"</p>
            <p class="card-name">{c.name.clone()}</p>
            {c.card_tail.clone().map(|t| view! { <p class="card-number mono">{format!("**** **** **** {t}")}</p> })}
            <p class=format!("card-state state-{}", state.as_str())>{state.label()}</p>
        </section>
        <section class="next-step" aria-labelledby="next-title">
            <h2 id="next-title">"现在需要做什么"</h2>
            <p>{guidance(state)}</p>
            {collect_at.map(|t| view! { <p>{t}</p> })}
            {activation.map(|t| view! { <p>{t}</p> })}
            {(!c.rejections.is_empty()).then(|| view! {
                <ul class="reasons" aria-label="未通过原因">
                    {c.rejections.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}
                </ul>
            })}
        </section>
        <Steps state=state collect_by=c.collect_by.clone()/>
        {(state == CardState::Distributed).then(|| view! { <Receipt current=c.receipt action=receipt/> })}
        <section aria-labelledby="union-title">
            <h2 id="union-title">"我的工会"</h2>
            <dl class="facts">
                <dt>"所属工会"</dt><dd>{c.union_name.clone()}</dd>
                {c.union_contact.clone().map(|p| view! { <dt>"联系人"</dt><dd>{p}</dd> })}
                {c.union_phone.clone().map(|p| view! {
                    <dt>"联系电话"</dt><dd><a href=format!("tel:{p}") class="mono">{p.clone()}</a></dd>
                })}
            </dl>
        </section>
        <section aria-labelledby="record-title">
            <h2 id="record-title">"我的登记信息"</h2>
            <dl class="facts">
                <dt>"姓名"</dt><dd>{c.name.clone()}</dd>
                <dt>"证件号码"</dt><dd class="mono">{c.id_number_masked.clone()}</dd>
                <dt>"手机号码"</dt><dd class="mono">{c.phone_masked.clone()}</dd>
                {(!c.department.is_empty()).then(|| view! { <dt>"部门"</dt><dd>{c.department.clone()}</dd> })}
            </dl>
            <ReportForm action=report/>
            {(!c.reports.is_empty()).then(|| view! {
                <h3>"我的反馈"</h3>
                <ul class="reports">
                    {c.reports.iter().map(|r| view! {
                        <li>
                            <span class="what">{format!("{}：{}", r.field_label, r.proposed)}</span>
                            <span class=format!("status report-{}", r.status.as_str())>{r.status.label()}</span>
                            {r.answer.clone().map(|a| view! { <span class="why">{format!("工会答复：{a}")}</span> })}
                            <span class="when">{format_time(r.created_at)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
        <section aria-labelledby="history-title">
            <h2 id="history-title">"办理记录"</h2>
            <ol class="timeline">
                {c.history.iter().map(|e| view! {
                    <li>
                        <span class="when">{format_time(e.at)}</span>
                        <span class="what">{e.what.clone()}</span>
                        {e.note.clone().map(|r| view! { <span class="why">{r}</span> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
        <p class="hint">"遇到问题可拨打工会热线 12351，或联系您所在的工会。"</p>
    }
}

#[component]
pub fn MyCardPage() -> impl IntoView {
    let receipt = ServerAction::<AnswerReceipt>::new();
    let report = ServerAction::<ReportWrongInfo>::new();
    let receipt_changes = changes(receipt);
    let report_changes = changes(report);
    let data = crate::wire::resource(move || (receipt_changes.get(), report_changes.get()), |_| get_my_card());
    view! {
        <Portal role=Role::Member title="我的会员卡">
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(c) => view! { <CardView c=c receipt=receipt report=report/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}
