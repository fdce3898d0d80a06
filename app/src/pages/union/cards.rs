//! 会员服务卡: the union's cards by state, one tab each with its count. From 未办卡—待办卡 the
//! clerk sends the selected members, or all of them, as one batch application; 未办卡—待处理
//! shows each rejection with the bank's reasons and what to do, and sets fixed members back to
//! 待办卡. Which buttons show comes from the shared lifecycle (`domain::card::available`).

use leptos::prelude::*;

use super::InfoLock;
use crate::{
    api::{
        cards::{list_rejected, ResetRejected, SubmitBatch},
        deliveries::{list_union_deliveries, DeliveryStep, HandOutCards, SignDelivery},
        members::list_members,
        overview::union::get_union_overview,
        unions::get_union_info,
    },
    components::{ErrorNotice, FieldMessage, Pager, Portal, TableRegion},
    domain::{
        calendar::Urgency,
        card::{available, CardAction, CardState, DeliveryAction},
        format_time,
        ids::MemberId,
        role::Role,
    },
    pages::act::Act,
};

/// The tabs of the 会员服务卡 menu, as the guide names them. 办卡中 holds two states.
const TABS: [(&str, &[CardState]); 7] = [
    ("未办卡—待办卡", &[CardState::Pending]),
    ("未办卡—待处理", &[CardState::Rejected]),
    ("办卡中", &[CardState::Submitted, CardState::InProduction]),
    ("待送卡", &[CardState::AwaitingDelivery]),
    ("待发放", &[CardState::AwaitingDistribution]),
    ("已发放", &[CardState::Distributed]),
    ("已激活", &[CardState::Activated]),
];

/// A key for one click of a batch button: the server makes one batch per key, so the same click
/// sent twice (a double click, a resend) makes one batch.
fn new_request_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        let mut bytes = [0u8; 16];
        let filled = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
            .is_some();
        if filled {
            return bytes.iter().map(|b| format!("{b:02x}")).collect();
        }
    }
    // without the browser's random source (never expected): the time is still unique per click
    format!("t{}", js_now())
}

#[cfg(feature = "hydrate")]
fn js_now() -> u64 {
    web_sys::js_sys::Date::now() as u64
}

#[cfg(not(feature = "hydrate"))]
fn js_now() -> u64 {
    0
}

/// The tab holding `state`, as the address names it (`/union/cards?tab=rejected`); the first
/// when it names none.
fn tab_of(state: Option<&str>) -> usize {
    state.and_then(CardState::parse).and_then(|s| TABS.iter().position(|(_, states)| states.contains(&s))).unwrap_or(0)
}

/// The address of the tab holding `state`, for links from elsewhere (the start page's 待办) and for a reload.
pub fn tab_href(state: CardState) -> String {
    format!("/union/cards?tab={}", state.as_str())
}

#[component]
pub fn CardsPage() -> impl IntoView {
    let tab = tab_of(leptos_router::hooks::use_query_map().read_untracked().get("tab").as_deref());
    view! {
        <Portal role=Role::Union title="会员服务卡">
            <UnionCardsIsland tab=tab/>
        </Portal>
    }
}

#[island]
fn UnionCardsIsland(tab: usize) -> impl IntoView {
    let tab = RwSignal::new(tab.min(TABS.len() - 1));
    let sub_state = RwSignal::new(0usize);
    let page = RwSignal::new(1i64);
    let selected = RwSignal::new(Vec::<MemberId>::new());
    let submit = Act::<SubmitBatch>::new();
    let reset = Act::<ResetRejected>::new();
    let delivery = Desk {
        step: Act::<DeliveryStep>::new(),
        sign: Act::<SignDelivery>::new(),
        hand_out: Act::<HandOutCards>::new(),
    };
    // after a batch, a reset or a delivery step, counts and lists are read again
    let moved = (delivery.step.changes(), delivery.sign.changes(), delivery.hand_out.changes());
    let version = Memo::new(move |_| {
        (submit.version().get(), reset.version().get(), moved.0.get(), moved.1.get(), moved.2.get())
    });
    let deliveries = crate::wire::resource(move || version.get(), |_| list_union_deliveries());
    let overview = crate::wire::resource(move || version.get(), |_| get_union_overview());
    let info = crate::wire::resource(|| (), |_| get_union_info());
    let state = move || {
        let states = TABS[tab.get()].1;
        states[sub_state.get().min(states.len() - 1)]
    };
    let search = RwSignal::new(String::new());
    let list = crate::wire::resource(
        move || (state(), search.get(), page.get(), version.get()),
        |(s, q, p, _)| list_members(q, Some(s), String::new(), p),
    );
    let rejected = crate::wire::resource(move || (page.get(), version.get()), |(p, _)| list_rejected(p));
    let confirm_all = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = submit.value().get() {
            selected.set(Vec::new());
            confirm_all.set(None);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = reset.value().get() {
            selected.set(Vec::new());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = delivery.hand_out.value().get() {
            selected.set(Vec::new());
        }
    });
    let choose = move |i: usize| {
        tab.set(i);
        // the address names the tab, so a reload or a bookmark comes back to it
        if let Ok(history) = window().history() {
            let to = tab_href(TABS[i].1[0]);
            let _ = history.replace_state_with_url(&leptos::wasm_bindgen::JsValue::NULL, "", Some(&to));
        }
        search.set(String::new());
        sub_state.set(0);
        page.set(1);
        selected.set(Vec::new());
    };
    let toggle = move |id: MemberId, on: bool| {
        selected.update(|s| {
            s.retain(|x| *x != id);
            if on {
                s.push(id);
            }
        })
    };
    view! {
        <h1>"会员服务卡"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                overview.await.ok().map(|o| view! { <InfoLock missing=o.missing/> })
            })}
        </Suspense>
        <div class="tabs" role="tablist" aria-label="办卡状态">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let counts = overview.await.map(|o| o.by_state).unwrap_or_default();
                    TABS.iter().enumerate().map(|(i, (label, states))| {
                        let n: i64 = counts.iter().filter(|c| states.contains(&c.state)).map(|c| c.count).sum();
                        view! {
                            <button type="button" role="tab" id=format!("tab-{i}") aria-controls="card-panel"
                                aria-selected=move || (tab.get() == i).to_string()
                                class:active=move || tab.get() == i
                                on:click=move |_| choose(i)>
                                {*label}<span class="count">{n}</span>
                            </button>
                        }
                    }).collect_view()
                })}
            </Suspense>
        </div>
        <section id="card-panel" role="tabpanel" aria-labelledby=move || format!("tab-{}", tab.get())>
            <ErrorNotice error=submit.error()/>
            <ErrorNotice error=reset.error()/>
            {move || submit.value().get().and_then(|r| r.ok()).map(|r| {
                let mut text = if r.repeated {
                    format!("该申请已提交过：批次号 {}，共 {} 人。", r.batch.batch_no, r.batch.members)
                } else {
                    format!("已发起批量办卡：批次号 {}，共 {} 人，领卡网点 {}。", r.batch.batch_no, r.batch.members, r.batch.branch_name)
                };
                if r.skipped > 0 {
                    text.push_str(&format!("另有 {} 人已被他人处理。", r.skipped));
                }
                view! { <p class="notice" role="status">{text}</p> }
            })}
            {move || reset.value().get().and_then(|r| r.ok()).map(|n| view! {
                <p class="notice" role="status">{format!("已将 {n} 人改为待办卡，可再次发起批量办卡。")}</p>
            })}
            {move || (TABS[tab.get()].1.len() > 1).then(|| view! {
                <div class="field">
                    <label for="sub-state">"办卡进度"</label>
                    <select id="sub-state" on:change=move |ev| {
                        sub_state.set(event_target_value(&ev).parse().unwrap_or(0));
                        page.set(1);
                    }>
                        {TABS[tab.get()].1.iter().enumerate().map(|(i, s)| view! {
                            <option value=i.to_string()>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
            })}
            // the batch buttons, where the lifecycle lets a union act on this tab's cards
            {move || {
                let actions = available(state(), Role::Union);
                actions.contains(&CardAction::Submit).then(|| view! {
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let o = overview.await.ok();
                            let lock = o.as_ref().map(|o| o.batch_lock.clone()).unwrap_or_else(|| Some(String::new()));
            let locked = lock.is_some();
                            let pending = o.as_ref().and_then(|o| o.by_state.iter().find(|c| c.state == CardState::Pending).map(|c| c.count)).unwrap_or(0);
                            let branch = info.await.ok().map(|i| {
                                i.branches.iter().find(|b| b.code == i.form.pickup_branch).map(|b| b.name.clone()).unwrap_or_default()
                            }).unwrap_or_default();
                            // the info lock above says what is missing; the agreement is said here
                            let agreement_note = lock.filter(|why| !why.is_empty() && o.as_ref().is_some_and(|o| o.missing.is_empty()));
                            view! {
                                {agreement_note.map(|why| view! {
                                    <div class="lock" role="note">
                                        <p>{why}</p>
                                        <a href="/union/info">"去登记批量开卡协议"</a>
                                    </div>
                                })}
                                <div class="actions toolbar">
                                    <button type="button" class="button primary"
                                        disabled=move || locked || selected.read().is_empty() || submit.pending().get()
                                        on:click=move |_| {
                                            submit.dispatch(SubmitBatch { request_key: new_request_key(), members: selected.get(), all: false });
                                        }>
                                        {move || format!("发起批量办卡（已选 {} 人）", selected.read().len())}
                                    </button>
                                    <button type="button" class="button" disabled=locked || pending == 0
                                        on:click=move |_| confirm_all.set(Some(new_request_key()))>
                                        {format!("全部批量办卡（{pending} 人）")}
                                    </button>
                                </div>
                                {move || confirm_all.get().map(|key| {
                                    let branch = branch.clone();
                                    view! {
                                        <div class="confirm" role="alertdialog" aria-labelledby="confirm-all-text">
                                            <p id="confirm-all-text">{format!("将为全部 {pending} 名待办卡会员发起批量办卡，领卡网点：{branch}。确定提交吗？")}</p>
                                            <div class="actions">
                                                <button type="button" class="button primary" disabled=move || submit.pending().get()
                                                    on:click=move |_| {
                                                        submit.dispatch(SubmitBatch { request_key: key.clone(), members: Vec::new(), all: true });
                                                    }>"确定提交"</button>
                                                <button type="button" class="button" on:click=move |_| confirm_all.set(None)>"取消"</button>
                                            </div>
                                        </div>
                                    }
                                })}
                            }
                        })}
                    </Suspense>
                })
            }}
            {move || (state() == CardState::AwaitingDelivery).then(|| view! {
                <DeliveryPanel deliveries=deliveries desk=delivery/>
            })}
            {move || (state() == CardState::AwaitingDistribution).then(|| view! {
                <DuePanel deliveries=deliveries desk=delivery selected=selected/>
            })}
            {move || (state() != CardState::Rejected).then(|| view! {
                <div class="filters">
                    <div class="field search">
                        <label for="card-search">"查找：姓名或证件号码、手机号后4至6位"</label>
                        <input id="card-search" type="search" prop:value=move || search.get()
                            on:change=move |ev| { search.set(event_target_value(&ev)); page.set(1); }/>
                    </div>
                </div>
            })}
            {move || if state() == CardState::Rejected {
                view! { <RejectedList rejected=rejected page=page selected=selected reset=reset toggle=toggle/> }.into_any()
            } else {
                let actions = available(state(), Role::Union);
                let selectable = actions.contains(&CardAction::Submit) || actions.contains(&CardAction::Distribute);
                view! {
                    <Transition fallback=|| view! { <p role="status">"正在加载…"</p> }>
                        {move || Suspend::new(async move {
                            match list.await {
                                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                                Ok(p) if p.items.is_empty() => view! { <p class="empty">"这里暂时没有会员。"</p> }.into_any(),
                                Ok(p) => view! {
                                    <TableRegion label="会员列表">
                                        <table class="stack card-list">
                                            <thead><tr>
                                                {selectable.then(|| view! { <th scope="col">"选择"</th> })}
                                                <th scope="col">"姓名"</th><th scope="col">"证件号码"</th><th scope="col">"手机号码"</th>
                                                <th scope="col">"部门"</th><th scope="col">"办卡状态"</th>
                                            </tr></thead>
                                            <tbody>
                                                {p.items.iter().map(|m| {
                                                    let id = m.id;
                                                    view! {
                                                        <tr>
                                                            {selectable.then(|| view! {
                                                                <td data-label="选择">
                                                                    <input type="checkbox" id=format!("pick-{id}") aria-label=format!("选择 {}", m.name)
                                                                        prop:checked=move || selected.read().contains(&id)
                                                                        on:change=move |ev| toggle(id, event_target_checked(&ev))/>
                                                                </td>
                                                            })}
                                                            <td data-label="姓名"><a href=format!("/union/members/{id}")>{m.name.clone()}</a></td>
                                                            <td data-label="证件号码" class="mono">{m.id_number_masked.clone()}</td>
                                                            <td data-label="手机号码" class="mono">{m.phone_masked.clone()}</td>
                                                            <td data-label="部门">{m.department.clone()}</td>
                                                            <td data-label="办卡状态"><span class=format!("state-tag state-{}", m.card_state.as_str())>{m.card_state.label()}</span></td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </TableRegion>
                                    <Pager page=p.page total=p.total page_size=p.page_size on_page=Callback::new(move |n| page.set(n))/>
                                }.into_any(),
                            }
                        })}
                    </Transition>
                }.into_any()
            }}
        </section>
    }
}

/// 未办卡—待处理: each rejected member with every reason the bank gave and what to do.
#[component]
fn RejectedList(
    rejected: crate::wire::Res<Result<crate::api::cards::RejectedPage, crate::error::AppError>>,
    page: RwSignal<i64>,
    selected: RwSignal<Vec<MemberId>>,
    reset: Act<ResetRejected>,
    toggle: impl Fn(MemberId, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <p class="hint">"请按银行退回的原因修改会员信息（点姓名进入修改），修改好后勾选并点“改为待办卡”，再发起批量办卡。"</p>
        <div class="actions toolbar">
            <button type="button" class="button primary"
                disabled=move || selected.read().is_empty() || reset.pending().get()
                on:click=move |_| { reset.dispatch(ResetRejected { members: selected.get() }); }>
                {move || format!("改为待办卡（已选 {} 人）", selected.read().len())}
            </button>
            <a class="button" href="/union/cards/rejected.xlsx" download>"下载待处理清单"</a>
        </div>
        <Transition fallback=|| view! { <p role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match rejected.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p class="empty">"没有被银行退回的会员。"</p> }.into_any(),
                    Ok(p) => view! {
                        <ul class="rejections">
                            {p.items.into_iter().map(|m| {
                                let id = m.id;
                                view! {
                                    <li class="rejection">
                                        <div class="who">
                                            <input type="checkbox" id=format!("fix-{id}") prop:checked=move || selected.read().contains(&id)
                                                on:change=move |ev| toggle(id, event_target_checked(&ev))/>
                                            <label for=format!("fix-{id}")>{format!("{}（{}）", m.name, m.id_number_masked)}</label>
                                            <a href=format!("/union/members/{id}")>"修改信息"</a>
                                        </div>
                                        <p class="meta">{format!("批次 {} · {} 退回 · {}", m.batch_no, format_time(m.rejected_at), m.department)}</p>
                                        <ReasonList reasons=m.reasons/>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <Pager page=p.page total=p.total page_size=p.page_size on_page=Callback::new(move |n| page.set(n))/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// 全部发放 for one signed delivery, asked once more: cards recorded as handed out are not taken
/// back.
#[component]
fn HandOutAll(cards: i64, desk: Desk, hand_out: Callback<()>) -> impl IntoView {
    let asking = RwSignal::new(false);
    move || {
        if asking.get() {
            view! {
                <p class="confirm" role="alert">{format!("确定将这 {cards} 张会员服务卡全部登记为已发放吗？请先确认会员都已领到卡，登记后不能撤回。")}</p>
                <button type="button" class="button primary" disabled=move || desk.hand_out.pending().get()
                    on:click=move |_| { asking.set(false); hand_out.run(()); }>"确定发放"</button>
                <button type="button" class="button" on:click=move |_| asking.set(false)>"取消"</button>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="button" disabled=move || desk.hand_out.pending().get()
                    on:click=move |_| asking.set(true)>{format!("全部发放（{cards} 张）")}</button>
            }
            .into_any()
        }
    }
}

/// The reasons of a member's rejection, each with what the union does about it (待处理 and the
/// member's own page).
#[component]
pub(crate) fn ReasonList(reasons: Vec<crate::api::cards::ReasonView>) -> impl IntoView {
    view! {
        <ul class="reasons">
            {reasons.into_iter().map(|r| view! {
                <li>
                    <strong>{r.label}</strong>
                    {(!r.text.is_empty()).then(|| format!("：{}", r.text))}
                    <span class="remedy">{format!("处理方法：{}", r.remedy)}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The union's delivery and hand-out actions, shared by the 待送卡 and 待发放 panels.
#[derive(Clone, Copy)]
struct Desk {
    step: Act<DeliveryStep>,
    sign: Act<SignDelivery>,
    hand_out: Act<HandOutCards>,
}

type Deliveries = crate::wire::Res<Result<crate::api::deliveries::UnionDeliveries, crate::error::AppError>>;

/// 待送卡: the bank's delivery appointments. The clerk confirms the proposed time or proposes
/// another, and signs for the cards once the bank has delivered them, with the count checked.
#[component]
fn DeliveryPanel(deliveries: Deliveries, desk: Desk) -> impl IntoView {
    view! {
        <ErrorNotice error=desk.step.error()/>
        <ErrorNotice error=desk.sign.error()/>
        {move || desk.sign.value().get().and_then(|r| r.ok()).map(|d| view! {
            <p class="notice" role="status">{format!("已签收 {} 张会员服务卡，请在 5 个工作日内发放给会员（见“待发放”）。", d.cards)}</p>
        })}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match deliveries.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(d) if d.open.is_empty() => view! {
                        <p class="hint">"银行制卡完成后会与工会约定送卡上门的时间，约好的时间会显示在这里。"</p>
                    }.into_any(),
                    Ok(d) => view! {
                        <ul class="deliveries">
                            {d.open.into_iter().map(|item| view! { <DeliveryCard item=item desk=desk/> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One delivery appointment with the steps the shared lifecycle lets the union take now.
#[component]
fn DeliveryCard(item: crate::api::deliveries::DeliveryItem, desk: Desk) -> impl IntoView {
    let id = item.id;
    let proposing = RwSignal::new(false);
    let proposal = desk.step.for_row(proposing);
    let time = RwSignal::new(String::new());
    let count = RwSignal::new(String::new());
    let count_problem = RwSignal::new(None::<String>);
    let time_id = format!("propose-{id}");
    let count_id = format!("count-{id}");
    let can = |a: DeliveryAction| item.actions.contains(&a);
    let (can_confirm, can_propose) = (can(DeliveryAction::ConfirmTime), can(DeliveryAction::ProposeTime));
    let delivered = item.stage_code == "delivered";
    let step =
        move |action: DeliveryAction, scheduled: String, item: &crate::api::deliveries::DeliveryItem| DeliveryStep {
            delivery: item.id,
            action,
            scheduled,
            seen_stage: item.stage_code.clone(),
            seen_by: item.proposed_by,
            seen_time: item.scheduled_at,
        };
    let who = match item.proposed_by {
        Some(Role::Bank) => "银行提议",
        Some(Role::Union) => "本工会提议",
        _ => "约定",
    };
    let confirm_step = step(DeliveryAction::ConfirmTime, String::new(), &item);
    let item_for_propose = item.clone();
    view! {
        <li class="delivery card">
            <h2>{format!("送卡上门：{} 张", item.cards)}</h2>
            <dl class="facts">
                <dt>"进度"</dt><dd><span class="badge">{item.stage_label.clone()}</span></dd>
                <dt>"送卡时间"</dt><dd>{format!("{}（{who}）", format_time(item.scheduled_at))}</dd>
            </dl>
            <div class="actions">
                {can_confirm.then(|| view! {
                    <button type="button" class="button primary" disabled=move || desk.step.pending().get()
                        on:click=move |_| { desk.step.dispatch(confirm_step.clone()); }>"确认送卡时间"</button>
                })}
                {can_propose.then(|| view! {
                    <button type="button" class="button" aria-expanded=move || proposing.get().to_string()
                        on:click=move |_| proposing.update(|p| *p = !*p)>"另约时间"</button>
                })}
            </div>
            {move || proposing.get().then(|| {
                let item = item_for_propose.clone();
                let time_id = time_id.clone();
                let error_id = format!("{time_id}-error");
                view! {
                    <form class="inline-form" on:submit=move |ev| {
                        ev.prevent_default();
                        desk.step.dispatch_for(proposal, step(DeliveryAction::ProposeTime, time.get_untracked(), &item));
                    }>
                        <div class="field">
                            <label for=time_id.clone()>"希望的送卡时间"</label>
                            <input id=time_id type="datetime-local" required=true aria-describedby=error_id.clone()
                                prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev))/>
                            <FieldMessage id=error_id message=proposal.field_message("scheduled")/>
                        </div>
                        <button type="submit" class="button primary" disabled=move || desk.step.pending().get()>"提交新的时间"</button>
                    </form>
                }
            })}
            {delivered.then(|| view! {
                // the count is checked here and by the server, in Chinese, not by the browser
                <form class="inline-form" novalidate=true on:submit=move |ev| {
                    ev.prevent_default();
                    match count.get_untracked().trim().parse::<i64>() {
                        Ok(n) if n > 0 => {
                            count_problem.set(None);
                            desk.sign.dispatch(SignDelivery { delivery: id, count: n });
                        }
                        _ => count_problem.set(Some("请填写清点的卡片数量（张）。".into())),
                    }
                }>
                    <p class="hint">"银行已送达，请清点卡片数量后签收。"</p>
                    <div class="field">
                        <label for=count_id.clone()>"清点数量（张）"</label>
                        <input id=count_id.clone() type="number" min="1" inputmode="numeric" required=true
                            aria-describedby=format!("{count_id}-error")
                            prop:value=move || count.get() on:input=move |ev| count.set(event_target_value(&ev))/>
                        <FieldMessage id=format!("{count_id}-error") message=Signal::derive(move || count_problem.get())/>
                    </div>
                    <button type="submit" class="button primary" disabled=move || desk.sign.pending().get()>"签收"</button>
                </form>
            })}
        </li>
    }
}

/// 待发放: the signed-for deliveries with their deadline (five working days from signing, by the
/// calendar), overdue first; the clerk hands out a delivery's cards, a department's, or the
/// members ticked in the list below.
#[component]
fn DuePanel(deliveries: Deliveries, desk: Desk, selected: RwSignal<Vec<MemberId>>) -> impl IntoView {
    let department = RwSignal::new(String::new());
    view! {
        <ErrorNotice error=desk.hand_out.error()/>
        {move || desk.hand_out.value().get().and_then(|r| r.ok()).map(|n| view! {
            <p class="notice" role="status">{format!("已发放 {n} 张会员服务卡。")}</p>
        })}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match deliveries.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(d) if d.due.is_empty() => ().into_any(),
                    Ok(d) => view! {
                        <TableRegion label="待发放的送卡批次">
                            <table class="stack due-list">
                                <thead><tr><th scope="col">"签收日期"</th><th scope="col">"发放期限"</th><th scope="col">"待发放"</th>
                                    <th scope="col">"状态"</th><th scope="col">"操作"</th></tr></thead>
                                <tbody>
                                    {d.due.into_iter().map(|due| {
                                        let id = due.delivery.id;
                                        let outstanding = due.delivery.outstanding;
                                        let (tag, label, note) = match (due.urgency, due.calendar_gap.clone()) {
                                            (Some(u), _) => (
                                                match u { Urgency::Overdue { .. } => "badge danger", Urgency::DueSoon { .. } => "badge wait", _ => "badge ok" },
                                                u.label().to_string(),
                                                u.summary(),
                                            ),
                                            (None, gap) => ("badge wait", "日历未维护".to_string(), gap.unwrap_or_default()),
                                        };
                                        view! {
                                            <tr>
                                                <td data-label="签收日期">{due.signed_on.clone()}</td>
                                                <td data-label="发放期限">{due.due_on.clone().unwrap_or_else(|| "—".into())}</td>
                                                <td data-label="待发放">{format!("{outstanding} 张")}</td>
                                                <td data-label="状态"><span class=tag>{label}</span><span class="due-note">{note}</span></td>
                                                <td data-label="操作">
                                                    <HandOutAll cards=outstanding desk=desk
                                                        hand_out=Callback::new(move |_| {
                                                            desk.hand_out.dispatch(HandOutCards { members: vec![], department: String::new(), delivery: Some(id) });
                                                        })/>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </TableRegion>
                    }.into_any(),
                }
            })}
        </Transition>
        <div class="hand-out">
            <button type="button" class="button primary"
                disabled=move || selected.read().is_empty() || desk.hand_out.pending().get()
                on:click=move |_| { desk.hand_out.dispatch(HandOutCards { members: selected.get(), department: String::new(), delivery: None }); }>
                {move || format!("发放所选（已选 {} 人）", selected.read().len())}
            </button>
            <form class="inline-form" on:submit=move |ev| {
                ev.prevent_default();
                desk.hand_out.dispatch(HandOutCards { members: vec![], department: department.get_untracked(), delivery: None });
            }>
                <div class="field">
                    <label for="hand-out-department">"按部门发放"</label>
                    <input id="hand-out-department" type="text" placeholder="部门名称" required=true
                        aria-describedby="hand-out-department-error"
                        prop:value=move || department.get() on:input=move |ev| department.set(event_target_value(&ev))/>
                    <FieldMessage id="hand-out-department-error"
                        message=Signal::derive(move || desk.hand_out.error().get().and_then(|e| e.field_message("department")))/>
                </div>
                <button type="submit" class="button" disabled=move || desk.hand_out.pending().get()>"发放该部门"</button>
            </form>
        </div>
    }
}
