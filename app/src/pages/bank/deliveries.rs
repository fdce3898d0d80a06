//! 送卡上门: the bank's unions with made cards to deliver. The officer proposes a time to a union
//! (that opens a delivery of all its made cards), confirms or re-proposes a time the union asked
//! for, and records the delivery once the cards are handed to the union, which then signs for
//! them. Which steps show comes from the shared lifecycle (`domain::card::check_delivery`).

use leptos::prelude::*;

use crate::{
    api::deliveries::{list_bank_deliveries, DeliveryItem, DeliveryStep, OpenDelivery, UnscheduledItem},
    components::{ErrorNotice, FieldMessage, Pager, Portal},
    domain::{card::DeliveryAction, format_time, role::Role},
    pages::act::Act,
};

#[derive(Clone, Copy)]
struct Desk {
    open: Act<OpenDelivery>,
    step: Act<DeliveryStep>,
}

#[component]
pub fn DeliveriesPage() -> impl IntoView {
    view! {
        <Portal role=Role::Bank title="送卡上门">
            <BankDeliveriesIsland/>
        </Portal>
    }
}

#[island]
fn BankDeliveriesIsland() -> impl IntoView {
    let desk = Desk { open: Act::<OpenDelivery>::new(), step: Act::<DeliveryStep>::new() };
    let moved = (desk.open.changes(), desk.step.changes());
    let query = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let pages = (RwSignal::new(1i64), RwSignal::new(1i64));
    let data = crate::wire::resource(
        move || (search.get(), pages.0.get(), pages.1.get(), moved.0.get(), moved.1.get()),
        |(name, unscheduled, open, _, _)| list_bank_deliveries(name, unscheduled, open),
    );
    view! {
        <h1>"送卡上门"</h1>
        <p class="hint">"制卡完成的会员服务卡由本行送到工会。先与工会约定送卡时间，送达后登记，工会清点签收。"</p>
        <form class="filters" on:submit=move |ev| {
            ev.prevent_default();
            search.set(query.get_untracked());
            pages.0.set(1);
            pages.1.set(1);
        }>
            <div class="field">
                <label for="delivery-search">"工会名称"</label>
                <input id="delivery-search" type="search" autocomplete="off" placeholder="名称中的字词"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="button">"查找"</button>
        </form>
        <div role="status" aria-live="polite">
            <ErrorNotice error=desk.open.error()/>
            <ErrorNotice error=desk.step.error()/>
            {move || desk.open.value().get().and_then(|r| r.ok()).map(|d| view! {
                <p class="notice">{format!("已向{}提议送卡时间 {}，共 {} 张，等待工会确认。", d.union_name, format_time(d.scheduled_at), d.cards)}</p>
            })}
            {move || desk.step.value().get().and_then(|r| r.ok()).map(|d| view! {
                <p class="notice">{format!("{}：{}（{}）。", d.union_name, d.stage_label, format_time(d.scheduled_at))}</p>
            })}
        </div>
        <Transition fallback=|| view! { <p role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(d) => view! {
                        <section aria-labelledby="unscheduled-title">
                            <h2 id="unscheduled-title">{format!("待约定送卡（{} 个工会）", d.unscheduled_total)}</h2>
                            {if d.unscheduled.is_empty() {
                                view! { <p class="empty">"没有待约定送卡的工会。"</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="deliveries">
                                        {d.unscheduled.into_iter().map(|u| view! { <Unscheduled item=u desk=desk/> }).collect_view()}
                                    </ul>
                                    <Pager page=d.unscheduled_page total=d.unscheduled_total page_size=d.page_size
                                        label="待约定送卡分页" on_page=Callback::new(move |n| pages.0.set(n))/>
                                }.into_any()
                            }}
                        </section>
                        <section aria-labelledby="open-title">
                            <h2 id="open-title">{format!("进行中的送卡（{} 次）", d.open_total)}</h2>
                            {if d.open.is_empty() {
                                view! { <p class="empty">"没有进行中的送卡。"</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="deliveries">
                                        {d.open.into_iter().map(|item| view! { <OpenCard item=item desk=desk/> }).collect_view()}
                                    </ul>
                                    <Pager page=d.open_page total=d.open_total page_size=d.page_size
                                        label="进行中的送卡分页" on_page=Callback::new(move |n| pages.1.set(n))/>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A union whose made cards no delivery holds yet: propose a time.
#[component]
fn Unscheduled(item: UnscheduledItem, desk: Desk) -> impl IntoView {
    let time = RwSignal::new(String::new());
    let input_id = format!("open-{}", item.union_id);
    let union = item.union_id;
    view! {
        <li class="delivery card">
            <h3>{item.union_name.clone()}</h3>
            <p>{format!("{} 张会员服务卡制卡完成，待约定送卡时间。", item.cards)}</p>
            <form class="inline-form" on:submit=move |ev| {
                ev.prevent_default();
                desk.open.dispatch(OpenDelivery { union, scheduled: time.get_untracked() });
            }>
                <div class="field">
                    <label for=input_id.clone()>"提议送卡时间"</label>
                    <input id=input_id type="datetime-local" required=true
                        prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="button primary" disabled=move || desk.open.pending().get()>"提议送卡时间"</button>
            </form>
        </li>
    }
}

/// A delivery under way, with the steps the bank may take now.
#[component]
fn OpenCard(item: DeliveryItem, desk: Desk) -> impl IntoView {
    let proposing = RwSignal::new(false);
    let proposal = desk.step.for_row(proposing);
    let time = RwSignal::new(String::new());
    let input_id = format!("repropose-{}", item.id);
    let can = |a: DeliveryAction| item.actions.contains(&a);
    let step_of = {
        let item = item.clone();
        move |action: DeliveryAction, scheduled: String| DeliveryStep {
            delivery: item.id,
            action,
            scheduled,
            seen_stage: item.stage_code.clone(),
            seen_by: item.proposed_by,
            seen_time: item.scheduled_at,
        }
    };
    let who = match item.proposed_by {
        Some(Role::Bank) => "本行提议，等待工会确认",
        Some(Role::Union) => "工会提议，请确认或另约",
        _ => "已约定",
    };
    let confirm = can(DeliveryAction::ConfirmTime).then(|| step_of(DeliveryAction::ConfirmTime, String::new()));
    let deliver = can(DeliveryAction::RecordDelivered).then(|| step_of(DeliveryAction::RecordDelivered, String::new()));
    let can_propose = can(DeliveryAction::ProposeTime);
    let awaiting_sign = item.stage_code == "delivered";
    view! {
        <li class="delivery card">
            <h3>{item.union_name.clone()}</h3>
            <dl class="facts">
                <dt>"卡数"</dt><dd>{format!("{} 张", item.cards)}</dd>
                <dt>"进度"</dt><dd><span class="badge">{item.stage_label.clone()}</span></dd>
                <dt>"送卡时间"</dt><dd>{format!("{}（{who}）", format_time(item.scheduled_at))}</dd>
            </dl>
            {awaiting_sign.then(|| view! { <p class="hint">"已送达，等待工会清点签收。"</p> })}
            <div class="actions">
                {confirm.map(|s| view! {
                    <button type="button" class="button primary" disabled=move || desk.step.pending().get()
                        on:click=move |_| { desk.step.dispatch(s.clone()); }>"确认送卡时间"</button>
                })}
                {deliver.map(|s| view! {
                    <button type="button" class="button primary" disabled=move || desk.step.pending().get()
                        on:click=move |_| { desk.step.dispatch(s.clone()); }>"登记已送达"</button>
                })}
                {can_propose.then(|| view! {
                    <button type="button" class="button" aria-expanded=move || proposing.get().to_string()
                        on:click=move |_| proposing.update(|p| *p = !*p)>"另约时间"</button>
                })}
            </div>
            {move || proposing.get().then(|| {
                let input_id = input_id.clone();
                let error_id = format!("{input_id}-error");
                let step_of = step_of.clone();
                view! {
                    <form class="inline-form" on:submit=move |ev| {
                        ev.prevent_default();
                        desk.step.dispatch_for(proposal, step_of(DeliveryAction::ProposeTime, time.get_untracked()));
                    }>
                        <div class="field">
                            <label for=input_id.clone()>"新的送卡时间"</label>
                            <input id=input_id type="datetime-local" required=true aria-describedby=error_id.clone()
                                prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev))/>
                            <FieldMessage id=error_id message=proposal.field_message("scheduled")/>
                        </div>
                        <button type="submit" class="button primary" disabled=move || desk.step.pending().get()>"提交新的时间"</button>
                    </form>
                }
            })}
        </li>
    }
}
