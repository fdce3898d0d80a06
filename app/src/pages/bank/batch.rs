//! 审核批次 → one batch: the members' full records as the bank checks them, a 退回 form per
//! member still under review (every reason that applies at once), the members to return collected
//! on the page, then one decision: return them and approve the rest, or only return them.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::batches::{status_badge, waiting};
use crate::{
    api::{
        cards::{get_batch, BatchItem, RejectionInput, ReviewBatch, ReviewItem},
        deliveries::{MadeInput, MarkCardsMade},
    },
    components::{ErrorNotice, FieldMessage, Pager, Portal, TableRegion},
    domain::{
        card::{check, CardAction, CardMove, CardState, MoveRefusal, Rejection, RejectionReason},
        format_time,
        ids::{BatchId, MemberId},
        role::Role,
    },
    error::AppError,
    pages::act::Act,
};

/// A member the bank has chosen to return, with every reason, kept on the page until sent.
#[derive(Debug, Clone, PartialEq)]
struct Chosen {
    member: MemberId,
    name: String,
    reasons: Vec<Rejection>,
}

/// The open 退回 form (one at a time).
#[derive(Debug, Clone, Default, PartialEq)]
struct Draft {
    member: Option<MemberId>,
    reasons: Vec<RejectionReason>,
    text: String,
    /// 加入退回名单 was pressed: the form's messages show from then on.
    tried: bool,
}

impl Draft {
    /// The form of `member`, filled with what was chosen for it before.
    fn of(member: MemberId, before: Option<&Chosen>) -> Draft {
        let reasons = before.map(|c| c.reasons.iter().map(|r| r.reason).collect()).unwrap_or_default();
        let text = before
            .and_then(|c| c.reasons.iter().map(|r| r.text.trim()).find(|t| !t.is_empty()))
            .unwrap_or_default()
            .to_string();
        Draft { member: Some(member), reasons, text, tried: false }
    }

    /// The ticked reasons in the list's order. The bank's words go with 其他 when it is ticked,
    /// otherwise with the first reason.
    fn rejections(&self) -> Vec<Rejection> {
        let text = self.text.trim();
        let other = self.reasons.contains(&RejectionReason::Other);
        RejectionReason::ALL
            .into_iter()
            .filter(|r| self.reasons.contains(r))
            .enumerate()
            .map(|(i, reason)| {
                let with_text = if other { reason == RejectionReason::Other } else { i == 0 };
                Rejection { reason, text: if with_text { text.to_string() } else { String::new() } }
            })
            .collect()
    }

    /// What the shared lifecycle says of these reasons: the server's own rule, checked here first.
    fn refusal(&self) -> Option<MoveRefusal> {
        let input = CardMove { reasons: self.rejections(), ..CardMove::default() };
        check(CardState::Submitted, CardAction::Reject, Role::Bank, &input).err()
    }
}

/// The reasons as the bank reads them back: 姓名与证件号码不符；其他：…
fn reasons_line(reasons: &[Rejection]) -> String {
    reasons
        .iter()
        .map(|r| match r.text.trim() {
            "" => r.reason.label().to_string(),
            t => format!("{}：{t}", r.reason.label()),
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// Moves the keyboard focus to the element with this id, once it is on the page.
fn focus_id(id: String) {
    request_animation_frame(move || {
        use leptos::wasm_bindgen::JsCast;
        if let Some(el) =
            document().get_element_by_id(&id).and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// What the page shares with its rows and forms.
#[derive(Clone, Copy)]
struct Review {
    chosen: RwSignal<Vec<Chosen>>,
    draft: RwSignal<Draft>,
}

#[component]
pub fn BatchPage() -> impl IntoView {
    let id = use_params_map().read_untracked().get("id").and_then(|s| s.parse::<BatchId>().ok()).unwrap_or(BatchId(0));
    view! {
        <Portal role=Role::Bank title="审核批次">
            <BankBatchIsland id=id/>
        </Portal>
    }
}

#[island]
fn BankBatchIsland(id: BatchId) -> impl IntoView {
    let id = Signal::stored(id);
    let state = RwSignal::new(Some(CardState::Submitted));
    let page = RwSignal::new(1i64);
    let send = Act::<ReviewBatch>::new();
    let made = Act::<MarkCardsMade>::new();
    let made_changes = made.changes();
    let data = crate::wire::resource(
        move || (id.get(), state.get(), page.get(), send.version().get(), made_changes.get()),
        |(b, s, p, _, _)| get_batch(b, s, p),
    );
    let review = Review { chosen: RwSignal::new(Vec::new()), draft: RwSignal::new(Draft::default()) };
    let error = send.error();
    let outcome = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let Some(result) = send.value().get() else { return };
        // sent, or someone else had reviewed them all: the list starts again from what is left
        if matches!(result, Ok(_) | Err(AppError::Conflict { .. })) {
            review.chosen.set(Vec::new());
            review.draft.set(Draft::default());
            page.set(1);
        }
        if let Some(el) = outcome.get_untracked() {
            let _ = el.focus();
        }
    });
    let decide = move |approve_rest: bool| {
        let rejections = review
            .chosen
            .get_untracked()
            .into_iter()
            .map(|c| RejectionInput { member: c.member, reasons: c.reasons })
            .collect();
        send.dispatch(ReviewBatch { batch: id.get_untracked(), rejections, approve: Vec::new(), approve_rest });
    };
    view! {
        <p><a href="/bank/batches">"← 返回审核批次"</a></p>
        <Transition fallback=|| view! { <p role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <h1>"审核批次"</h1><p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(d) => view! { <BatchFacts batch=d.batch/> }.into_any(),
                }
            })}
        </Transition>
        <div class="filters batch-filter">
            <div class="field">
                <label for="member-filter">"显示会员"</label>
                <select id="member-filter" on:change=move |ev| {
                    state.set(CardState::parse(&event_target_value(&ev)));
                    page.set(1);
                }>
                    <option value=CardState::Submitted.as_str() selected=true>"待审核"</option>
                    <option value=CardState::InProduction.as_str()>"制卡中（登记制卡完成）"</option>
                    <option value="">"全部"</option>
                </select>
            </div>
        </div>
        // the outcome of 登记制卡完成 stays when the cards it moved leave the list
        <ErrorNotice error=made.error()/>
        {move || made.value().get().and_then(|r| r.ok()).map(|n| view! {
            <p class="success" role="status">{format!("已登记 {n} 张会员服务卡制卡完成，转入待送卡。")}</p>
        })}
        <Transition fallback=|| view! { <p role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(_) => ().into_any(),
                    Ok(d) if d.items.is_empty() => view! {
                        <p class="empty">{match state.get_untracked() {
                            Some(CardState::InProduction) => "该批次没有制卡中的会员服务卡。",
                            Some(_) => "该批次没有待审核的会员。",
                            None => "该批次没有会员。",
                        }}</p>
                    }.into_any(),
                    Ok(d) if state.get_untracked() == Some(CardState::InProduction) => view! {
                        <MadeTable batch=d.batch.id items=d.items made=made/>
                        <Pager page=d.page total=d.total page_size=d.page_size on_page=Callback::new(move |n| page.set(n))/>
                    }.into_any(),
                    Ok(d) => view! {
                        <TableRegion label="批次会员列表">
                            <table class="stack review-list">
                                <thead><tr><th scope="col">"姓名"</th><th scope="col">"证件类型"</th><th scope="col">"证件号码"</th>
                                    <th scope="col">"手机号码"</th><th scope="col">"部门"</th><th scope="col">"深圳通"</th><th scope="col">"状态"</th>
                                    <th scope="col">"操作"</th></tr></thead>
                                <tbody>
                                    {d.items.into_iter().map(|m| view! { <MemberRow member=m review=review/> }).collect_view()}
                                </tbody>
                            </table>
                        </TableRegion>
                        <Pager page=d.page total=d.total page_size=d.page_size on_page=Callback::new(move |n| page.set(n))/>
                    }.into_any(),
                }
            })}
        </Transition>
        <section class="card review-decision" aria-labelledby="decision-heading">
            <h2 id="decision-heading">"审核决定"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) if waiting(&d.batch) => view! {
                            <ChosenList review=review/>
                            <p class="hint">"“退回所选并通过其余”会通过该批次中其余所有待审核的会员，包括其他页上的会员。"</p>
                            <div class="actions decision-buttons">
                                <button type="button" class="primary" disabled=move || send.pending().get()
                                    on:click=move |_| decide(true)>"退回所选并通过其余"</button>
                                <button type="button" disabled=move || send.pending().get() || review.chosen.read().is_empty()
                                    on:click=move |_| decide(false)>"仅退回所选"</button>
                            </div>
                        }.into_any(),
                        Ok(_) => view! { <p>"该批次的会员已全部审核。"</p> }.into_any(),
                        Err(_) => ().into_any(),
                    }
                })}
            </Transition>
            <div class="decision-outcome" tabindex="-1" node_ref=outcome>
                <ErrorNotice error=error/>
                {move || send.value().get().and_then(|r| r.ok()).map(|r| view! {
                    <p class="success" role="status">
                        {format!("已通过 {} 人，已退回 {} 人。", r.approved, r.rejected)}
                        {(r.skipped > 0).then(|| format!("另有 {} 人已由他人审核，未作改动。", r.skipped))}
                    </p>
                })}
            </div>
        </section>
    }
}

/// 制卡中: the bank records made cards, each with its number's last four digits (the shared
/// lifecycle checks them here first, then on the server). Rows left empty stay 制卡中.
#[component]
fn MadeTable(batch: BatchId, items: Vec<ReviewItem>, made: Act<MarkCardsMade>) -> impl IntoView {
    let tails = RwSignal::new(Vec::<(MemberId, String)>::new());
    let tried = RwSignal::new(false);
    let tail_of =
        move |id: MemberId| tails.with(|t| t.iter().find(|x| x.0 == id).map(|x| x.1.clone()).unwrap_or_default());
    let problem = move |tail: &str| -> Option<String> {
        let input = CardMove { card_tail: Some(tail.trim().to_string()), ..CardMove::default() };
        check(CardState::InProduction, CardAction::MarkMade, Role::Bank, &input).err().map(|r| r.message())
    };
    let filled = move || tails.with(|t| t.iter().filter(|x| !x.1.trim().is_empty()).cloned().collect::<Vec<_>>());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        let chosen = filled();
        if chosen.is_empty() || chosen.iter().any(|(_, t)| problem(t).is_some()) {
            return;
        }
        let made_cards =
            chosen.into_iter().map(|(member, tail)| MadeInput { member, tail: tail.trim().to_string() }).collect();
        made.dispatch(MarkCardsMade { batch, made: made_cards });
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = made.value().get() {
            tails.set(Vec::new());
            tried.set(false);
        }
    });
    view! {
        <form class="made-form" novalidate=true on:submit=submit>
            <p class="hint">"卡片制作完成后，在对应会员行填写卡号后四位，再点“登记制卡完成”。未填写的会员仍为制卡中。"</p>
            <TableRegion label="制卡中的会员">
                <table class="stack made-list">
                    <thead><tr><th scope="col">"姓名"</th><th scope="col">"证件号码"</th><th scope="col">"部门"</th>
                        <th scope="col">"卡号后四位"</th></tr></thead>
                    <tbody>
                        {items.into_iter().map(|m| {
                            let id = m.id;
                            let input_id = format!("tail-{id}");
                            let error_id = format!("tail-{id}-error");
                            let message = Signal::derive(move || {
                                let t = tail_of(id);
                                (tried.get() && !t.trim().is_empty()).then(|| problem(&t)).flatten()
                            });
                            view! {
                                <tr>
                                    <td class="title name">{m.name.clone()}</td>
                                    <td class="mono" data-label="证件号码">{m.id_number.clone()}</td>
                                    <td data-label="部门">{m.department.clone()}</td>
                                    <td data-label="卡号后四位">
                                        <label class="visually-hidden" for=input_id.clone()>{format!("{} 的卡号后四位", m.name)}</label>
                                        <input id=input_id class="tail-input" type="text" inputmode="numeric" maxlength="4"
                                            autocomplete="off" aria-describedby=error_id.clone()
                                            aria-invalid=move || message.get().is_some().to_string()
                                            prop:value=move || tail_of(id)
                                            on:input=move |ev| {
                                                let v = event_target_value(&ev);
                                                tails.update(|t| {
                                                    t.retain(|x| x.0 != id);
                                                    t.push((id, v));
                                                });
                                            }/>
                                        <FieldMessage id=error_id message=message/>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
            {move || (tried.get() && filled().is_empty()).then(|| view! {
                <p class="error" role="alert">"请先填写制卡完成的会员服务卡的卡号后四位。"</p>
            })}
            <div class="actions">
                <button type="submit" class="primary" disabled=move || made.pending().get()>
                    {move || format!("登记制卡完成（{} 张）", filled().len())}
                </button>
            </div>
        </form>
    }
}

/// The members chosen to return, each with its reasons, until the decision is sent.
#[component]
fn ChosenList(review: Review) -> impl IntoView {
    move || {
        let chosen = review.chosen.get();
        if chosen.is_empty() {
            return view! { <p class="empty">"尚未选择要退回的会员。在会员所在行点“退回”，勾选原因后加入退回名单。"</p> }
                .into_any();
        }
        view! {
            <h3>{format!("退回名单（{} 人）", chosen.len())}</h3>
            <ul class="chosen-list">
                {chosen.into_iter().map(|c| {
                    let member = c.member;
                    view! {
                        <li>
                            <span class="who">{c.name.clone()}</span>
                            <span class="why">{reasons_line(&c.reasons)}</span>
                            <button type="button" class="link-button"
                                on:click=move |_| review.chosen.update(|l| l.retain(|x| x.member != member))>
                                "移出名单"<span class="visually-hidden">{c.name.clone()}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

/// The batch's facts at the top of the page.
#[component]
fn BatchFacts(batch: BatchItem) -> impl IntoView {
    view! {
        <h1>{format!("批次 {}", batch.batch_no)}</h1>
        <dl class="facts batch-facts">
            <dt>"工会"</dt><dd>{batch.union_name.clone()}</dd>
            <dt>"领卡网点"</dt><dd>{batch.branch_name.clone()}</dd>
            <dt>"人数"</dt><dd>{batch.members}</dd>
            <dt>"已审核"</dt><dd>{batch.reviewed}</dd>
            <dt>"提交时间"</dt><dd>{format_time(batch.created_at)}</dd>
            <dt>"状态"</dt><dd>{status_badge(&batch)}</dd>
        </dl>
        <p class="hint">"此页显示会员完整的证件号码和手机号码，每次查看都会记入操作日志。"</p>
    }
}

/// One member of the batch, with its 退回 control while the card is under review, and the form
/// under the row while it is open.
#[component]
fn MemberRow(member: ReviewItem, review: Review) -> impl IntoView {
    let id = member.id;
    let name = member.name.clone();
    let open = move || review.draft.read().member == Some(id);
    let chosen = move || review.chosen.read().iter().any(|c| c.member == id);
    let button_id = format!("reject-btn-{id}");
    let form_id = format!("reject-form-{id}");
    let toggle = {
        let form_id = form_id.clone();
        move |_| {
            if open() {
                review.draft.set(Draft::default());
            } else {
                let before = review.chosen.read_untracked().iter().find(|c| c.member == id).cloned();
                review.draft.set(Draft::of(id, before.as_ref()));
                focus_id(format!("{form_id}-first"));
            }
        }
    };
    let under_review = member.card_state == CardState::Submitted;
    view! {
        <tr class:chosen=chosen class:open=open>
            <td class="title name">{member.name.clone()}</td>
            <td data-label="证件类型">{member.id_type.clone()}</td>
            <td class="mono" data-label="证件号码">{member.id_number.clone()}</td>
            <td class="mono" data-label="手机号码">{member.phone.clone()}</td>
            <td data-label="部门">{member.department.clone()}</td>
            <td data-label="深圳通">{match member.shenzhen_tong { Some(true) => "加载", Some(false) => "不加载", None => "—" }}</td>
            <td data-label="状态">
                <span class=format!("state-tag state-{}", member.card_state.as_str())>{member.card_state.label()}</span>
                {move || chosen().then(|| view! { " " <span class="badge wait">"待退回"</span> })}
            </td>
            <td class="reject-cell">
                {under_review.then(|| {
                    let form_id = form_id.clone();
                    view! {
                        <button type="button" id=button_id.clone() aria-expanded=move || open().to_string()
                            aria-controls=move || open().then(|| form_id.clone())
                            on:click=toggle>
                            {move || if chosen() { "修改退回原因" } else { "退回" }}
                            <span class="visually-hidden">{name}</span>
                        </button>
                    }
                })}
            </td>
        </tr>
        {move || open().then(|| view! {
            <tr class="reject-row">
                <td colspan="8"><RejectForm member=id name=member.name.clone() form_id=form_id.clone() review=review/></td>
            </tr>
        })}
    }
}

/// The reasons a member is returned for: every one that applies, and the bank's words.
#[component]
fn RejectForm(member: MemberId, name: String, form_id: String, review: Review) -> impl IntoView {
    let draft = review.draft;
    let refusal = move || draft.with(|d| d.tried.then(|| d.refusal()).flatten());
    let reasons_error = format!("{form_id}-reasons-error");
    let reasons_error_ref = reasons_error.clone();
    let text_id = format!("{form_id}-text");
    let text_error = format!("{form_id}-text-error");
    let reasons_message = Signal::derive(move || match refusal() {
        Some(r @ (MoveRefusal::ReasonRequired | MoveRefusal::ReasonRepeated { .. })) => Some(r.message()),
        _ => None,
    });
    let text_message = Signal::derive(move || match refusal() {
        Some(r @ MoveRefusal::OtherNeedsText) => Some(r.message()),
        _ => None,
    });
    let other_ticked = move || draft.read().reasons.contains(&RejectionReason::Other);
    let add = {
        let name = name.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            draft.update(|d| d.tried = true);
            let d = draft.get_untracked();
            if d.refusal().is_some() {
                return;
            }
            let chosen = Chosen { member, name: name.clone(), reasons: d.rejections() };
            review.chosen.update(|l| match l.iter_mut().find(|c| c.member == member) {
                Some(c) => *c = chosen,
                None => l.push(chosen),
            });
            draft.set(Draft::default());
            focus_id(format!("reject-btn-{member}"));
        }
    };
    let cancel = move |_| {
        draft.set(Draft::default());
        focus_id(format!("reject-btn-{member}"));
    };
    view! {
        <form class="reject-form" id=form_id.clone() novalidate=true on:submit=add>
            <fieldset aria-describedby=reasons_error_ref>
                <legend>{format!("退回 {name} 的原因（可多选，请一次选全）")}</legend>
                <div class="reason-choices">
                    {RejectionReason::ALL.into_iter().enumerate().map(|(i, reason)| {
                        let input_id = if i == 0 { format!("{form_id}-first") } else { format!("{form_id}-{}", reason.as_str()) };
                        view! {
                            <label class="check" for=input_id.clone()>
                                <input type="checkbox" id=input_id.clone() name="reason" value=reason.as_str()
                                    prop:checked=move || draft.read().reasons.contains(&reason)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        draft.update(|d| {
                                            d.reasons.retain(|r| *r != reason);
                                            if on { d.reasons.push(reason); }
                                        });
                                    }/>
                                <span>{reason.label()}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
                <FieldMessage id=reasons_error message=reasons_message/>
            </fieldset>
            <div class="field">
                <label for=text_id.clone()>"说明"
                    {move || if other_ticked() { "（选择“其他”时必填）" } else { "（选填；选择“其他”时必填）" }}
                </label>
                <input id=text_id type="text" maxlength="200" aria-describedby=text_error.clone()
                    aria-required=move || other_ticked().to_string()
                    aria-invalid=move || text_message.get().is_some().to_string()
                    prop:value=move || draft.read().text.clone()
                    on:input=move |ev| draft.update(|d| d.text = event_target_value(&ev))/>
                <FieldMessage id=text_error message=text_message/>
            </div>
            <div class="actions">
                <button type="submit" class="primary">"加入退回名单"</button>
                <button type="button" on:click=cancel>"取消"</button>
            </div>
        </form>
    }
}
