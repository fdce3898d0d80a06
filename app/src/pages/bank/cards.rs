//! 激活与重新制卡: the cards of the bank's unions by state, searched by the member's ID number (a
//! member at the counter). The officer records cards activated on site at a union (with the
//! time) or at one of the bank's branches, and recalls a card with a wrong face to make it
//! again. The full records shown are audited on every page read.

use leptos::prelude::*;

use crate::{
    api::{
        deliveries::{list_bank_cards, ActivateCards, BankCard, RemakeCard},
        members::CorrectMember,
        overview::bank::get_bank_overview,
    },
    components::{ErrorNotice, FieldMessage, Pager, Portal, TableRegion},
    domain::{
        card::{check, CardAction, CardMove, CardState},
        ids::{MemberId, UnionId},
        role::Role,
    },
    pages::act::Act,
};

#[derive(Clone, Copy)]
struct Desk {
    activate: Act<ActivateCards>,
    remake: Act<RemakeCard>,
    correct: Act<CorrectMember>,
    /// The ticked cards, with their union (one activation is for one union's cards).
    selected: RwSignal<Vec<(MemberId, UnionId)>>,
}

#[component]
pub fn BankCardsPage() -> impl IntoView {
    view! {
        <Portal role=Role::Bank title="激活与重新制卡">
            <BankCardsIsland/>
        </Portal>
    }
}

#[island]
fn BankCardsIsland() -> impl IntoView {
    let state = RwSignal::new(CardState::Distributed);
    let query = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1i64);
    let desk = Desk {
        activate: Act::<ActivateCards>::new(),
        remake: Act::<RemakeCard>::new(),
        correct: Act::<CorrectMember>::new(),
        selected: RwSignal::new(Vec::new()),
    };
    let moved = (desk.activate.changes(), desk.remake.changes(), desk.correct.changes());
    let list = crate::wire::resource(
        move || (state.get(), search.get(), page.get(), (moved.0.get(), moved.1.get(), moved.2.get())),
        |(s, q, p, _)| list_bank_cards(s, q, p),
    );
    let overview = crate::wire::resource(|| (), |_| get_bank_overview());
    Effect::new(move |_| {
        if let Some(Ok(_)) = desk.activate.value().get() {
            desk.selected.set(Vec::new());
        }
    });
    view! {
        <h1>"激活与重新制卡"</h1>
        <p class="hint">"会员领到卡后，由本行上门激活或到网点激活。会员到网点办理时，按证件号码查找。此页显示完整的证件号码，每次查看都会记入操作日志。"</p>
        <form class="filters" on:submit=move |ev| {
            ev.prevent_default();
            search.set(query.get_untracked());
            page.set(1);
        }>
            <div class="field">
                <label for="card-state">"办卡状态"</label>
                <select id="card-state" on:change=move |ev| {
                    // the options are the desk's states; anything else changes nothing
                    if let Some(chosen) = CardState::parse(&event_target_value(&ev)) {
                        state.set(chosen);
                        page.set(1);
                        desk.selected.set(Vec::new());
                    }
                }>
                    {CardState::BANK_DESK.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="card-search">"证件号码"</label>
                <input id="card-search" type="search" autocomplete="off" placeholder="完整的证件号码"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="button">"查找"</button>
        </form>
        <div role="status" aria-live="polite">
            <ErrorNotice error=desk.activate.error()/>
            <ErrorNotice error=desk.remake.error()/>
            <ErrorNotice error=desk.correct.error()/>
            {move || desk.correct.value().get().and_then(|r| r.ok()).map(|labels| view! {
                <p class="notice">{format!("已更正会员信息：{}。工会可在会员信息中看到更正记录。", labels.join("、"))}</p>
            })}
            {move || desk.activate.value().get().and_then(|r| r.ok()).map(|n| view! {
                <p class="notice">{format!("已登记 {n} 张会员服务卡激活。")}</p>
            })}
            {move || desk.remake.value().get().and_then(|r| r.ok()).map(|_| view! {
                <p class="notice">"已登记重新制卡，该卡转回制卡中。"</p>
            })}
        </div>
        {move || (state.get() == CardState::Distributed).then(|| view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let branches = overview.await.map(|o| o.branches).unwrap_or_default();
                    view! { <ActivateForm desk=desk branches=branches/> }
                })}
            </Suspense>
        })}
        <Transition fallback=|| view! { <p role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p class="empty">"没有找到会员服务卡。"</p> }.into_any(),
                    Ok(p) => view! {
                        <TableRegion label="会员服务卡列表">
                            <table class="stack bank-cards">
                                <thead><tr><th scope="col">"选择"</th><th scope="col">"姓名"</th><th scope="col">"证件号码"</th>
                                    <th scope="col">"工会"</th><th scope="col">"卡号后四位"</th><th scope="col">"状态"</th>
                                    <th scope="col">"操作"</th></tr></thead>
                                <tbody>
                                    {p.items.into_iter().map(|c| view! { <CardRow card=c desk=desk/> }).collect_view()}
                                </tbody>
                            </table>
                        </TableRegion>
                        <Pager page=p.page total=p.total page_size=p.page_size on_page=Callback::new(move |n| page.set(n))/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Activation of the ticked cards: on site with the time, or at a branch.
#[component]
fn ActivateForm(desk: Desk, branches: Vec<crate::api::overview::bank::BranchLoad>) -> impl IntoView {
    let at_branch = RwSignal::new(false);
    let time = RwSignal::new(String::new());
    let branch = RwSignal::new(branches.first().map(|b| b.code.clone()).unwrap_or_default());
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = desk.selected.get_untracked();
        let Some((_, union)) = chosen.first().copied() else {
            problem.set(Some("请先勾选要激活的会员服务卡。".into()));
            return;
        };
        if chosen.iter().any(|(_, u)| *u != union) {
            problem.set(Some("一次只能登记同一工会的会员服务卡，请只勾选一个工会的会员。".into()));
            return;
        }
        let (action, input) = if at_branch.get_untracked() {
            (CardAction::ActivateAtBranch, CardMove { branch: Some(branch.get_untracked()), ..CardMove::default() })
        } else {
            (
                CardAction::ActivateOnSite,
                CardMove { at: crate::domain::parse_time(&time.get_untracked()), ..CardMove::default() },
            )
        };
        if let Err(r) = check(CardState::Distributed, action, Role::Bank, &input) {
            problem.set(Some(r.message()));
            return;
        }
        problem.set(None);
        let members = chosen.into_iter().map(|(m, _)| m).collect();
        let (at, branch) = if at_branch.get_untracked() {
            (String::new(), branch.get_untracked())
        } else {
            (time.get_untracked(), String::new())
        };
        desk.activate.dispatch(ActivateCards { union, members, at, branch });
    };
    view! {
        <form class="card activate-form" on:submit=submit novalidate=true>
            <fieldset>
                <legend>"激活方式"</legend>
                <label class="check" for="mode-onsite">
                    <input type="radio" id="mode-onsite" name="mode" prop:checked=move || !at_branch.get() on:change=move |_| at_branch.set(false)/>
                    <span>"上门激活"</span>
                </label>
                <label class="check" for="mode-branch">
                    <input type="radio" id="mode-branch" name="mode" prop:checked=move || at_branch.get() on:change=move |_| at_branch.set(true)/>
                    <span>"网点激活"</span>
                </label>
            </fieldset>
            {move || if at_branch.get() {
                view! {
                    <div class="field">
                        <label for="activate-branch">"办理网点"</label>
                        <select id="activate-branch" on:change=move |ev| branch.set(event_target_value(&ev))>
                            {branches.iter().map(|b| view! { <option value=b.code.clone()>{b.name.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                }.into_any()
            } else {
                view! {
                    <div class="field">
                        <label for="activate-time">"上门激活时间"</label>
                        <input id="activate-time" type="datetime-local" prop:value=move || time.get()
                            on:input=move |ev| time.set(event_target_value(&ev))/>
                    </div>
                }.into_any()
            }}
            <FieldMessage id="activate-error" message=Signal::derive(move || problem.get())/>
            <button type="submit" class="button primary" disabled=move || desk.activate.pending().get()>
                {move || format!("登记激活（已选 {} 张）", desk.selected.read().len())}
            </button>
        </form>
    }
}

/// One card with its tick (for activation) and its 重新制卡 form.
#[component]
fn CardRow(card: BankCard, desk: Desk) -> impl IntoView {
    let id = card.id;
    let union = card.union_id;
    let seen = card.card_state;
    let can_activate = card.actions.contains(&CardAction::ActivateOnSite);
    let can_remake = card.actions.contains(&CardAction::Remake);
    let can_correct = card.card_state == CardState::Distributed;
    let correcting = RwSignal::new(false);
    let correction = desk.correct.for_row(correcting);
    let fix = RwSignal::new((card.name.clone(), card.id_number.clone(), card.phone.clone()));
    let remaking = RwSignal::new(false);
    let remake_call = desk.remake.for_row(remaking);
    let remake_refused = remake_call.field_message("text");
    let text = RwSignal::new(String::new());
    let text_id = format!("remake-{id}");
    let error_id = format!("remake-{id}-error");
    let problem = RwSignal::new(None::<String>);
    let name = card.name.clone();
    view! {
        <tr>
            <td data-label="选择">
                {can_activate.then(|| view! {
                    <input type="checkbox" id=format!("pick-{id}") aria-label=format!("选择 {}", card.name)
                        prop:checked=move || desk.selected.read().iter().any(|x| x.0 == id)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            desk.selected.update(|s| {
                                s.retain(|x| x.0 != id);
                                if on { s.push((id, union)); }
                            });
                        }/>
                })}
            </td>
            <td class="title name">{card.name.clone()}</td>
            <td class="mono" data-label="证件号码">{card.id_number.clone()}</td>
            <td data-label="工会">{card.union_name.clone()}</td>
            <td class="mono" data-label="卡号后四位">{card.card_tail.clone()}</td>
            <td data-label="状态"><span class=format!("state-tag state-{}", card.card_state.as_str())>{card.card_state.label()}</span></td>
            <td data-label="操作">
                {can_correct.then(|| view! {
                    <button type="button" class="button" aria-expanded=move || correcting.get().to_string()
                        on:click=move |_| correcting.update(|c| *c = !*c)>
                        "更正信息"<span class="visually-hidden">{card.name.clone()}</span>
                    </button>
                })}
                {can_remake.then(|| view! {
                    <button type="button" class="button" aria-expanded=move || remaking.get().to_string()
                        on:click=move |_| remaking.update(|r| *r = !*r)>
                        "重新制卡"<span class="visually-hidden">{name.clone()}</span>
                    </button>
                })}
            </td>
        </tr>
        {move || correcting.get().then(|| view! {
            <tr class="reject-row">
                <td colspan="7">
                    <form class="inline-form" novalidate=true on:submit=move |ev| {
                        ev.prevent_default();
                        let (name, id_number, phone) = fix.get_untracked();
                        desk.correct.dispatch_for(correction, CorrectMember { member: id, name, id_number, phone });
                    }>
                        <p class="hint">"按会员出示的证件更正，保存后工会可看到更正记录。"</p>
                        <div class="field">
                            <label for=format!("fix-name-{id}")>"姓名"</label>
                            <input id=format!("fix-name-{id}") aria-describedby=format!("fix-name-{id}-error") type="text" prop:value=move || fix.get().0
                                on:input=move |ev| fix.update(|f| f.0 = event_target_value(&ev))/>
                            <FieldMessage id=format!("fix-name-{id}-error") message=correction.field_message("name")/>
                        </div>
                        <div class="field">
                            <label for=format!("fix-id-{id}")>"证件号码"</label>
                            <input id=format!("fix-id-{id}") aria-describedby=format!("fix-id-{id}-error") type="text" prop:value=move || fix.get().1
                                on:input=move |ev| fix.update(|f| f.1 = event_target_value(&ev))/>
                            <FieldMessage id=format!("fix-id-{id}-error") message=correction.field_message("id_number")/>
                        </div>
                        <div class="field">
                            <label for=format!("fix-phone-{id}")>"手机号码"</label>
                            <input id=format!("fix-phone-{id}") aria-describedby=format!("fix-phone-{id}-error") type="tel" prop:value=move || fix.get().2
                                on:input=move |ev| fix.update(|f| f.2 = event_target_value(&ev))/>
                            <FieldMessage id=format!("fix-phone-{id}-error") message=correction.field_message("phone")/>
                        </div>
                        <button type="submit" class="button primary" disabled=move || desk.correct.pending().get()>"保存更正"</button>
                    </form>
                </td>
            </tr>
        })}
        {move || remaking.get().then(|| {
            let (text_id, error_id) = (text_id.clone(), error_id.clone());
            view! {
                <tr class="reject-row">
                    <td colspan="7">
                        <form class="inline-form" novalidate=true on:submit=move |ev| {
                            ev.prevent_default();
                            let input = CardMove { text: Some(text.get_untracked()), ..CardMove::default() };
                            if let Err(r) = check(seen, CardAction::Remake, Role::Bank, &input) {
                                problem.set(Some(r.message()));
                                return;
                            }
                            problem.set(None);
                            desk.remake.dispatch_for(remake_call, RemakeCard { member: id, seen, text: text.get_untracked() });
                        }>
                            <div class="field">
                                <label for=text_id.clone()>"卡面哪项信息有误"</label>
                                <input id=text_id type="text" maxlength="200" aria-describedby=error_id.clone()
                                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                                <FieldMessage id=error_id message=Signal::derive(move || problem.get().or_else(|| remake_refused.get()))/>
                            </div>
                            <button type="submit" class="button primary" disabled=move || desk.remake.pending().get()>"登记重新制卡"</button>
                        </form>
                    </td>
                </tr>
            }
        })}
    }
}
