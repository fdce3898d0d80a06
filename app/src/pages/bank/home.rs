//! The bank desk: what waits for the bank (待办), its branches and the cards of the unions that
//! pick up there.

use leptos::prelude::*;

use crate::{
    api::overview::bank::get_bank_overview,
    components::{Portal, StateCounts, TableRegion},
    domain::{card::CardState, role::Role},
};

#[component]
pub fn BankHomePage() -> impl IntoView {
    let data = crate::wire::resource(|| (), |_| get_bank_overview());
    view! {
        <Portal role=Role::Bank title="工作台">
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(o) => view! {
                            <h1>{o.bank_name.clone()}</h1>
                            <section class="todo" aria-labelledby="todo-title">
                                <h2 id="todo-title">"待办"</h2>
                                {
                                    let n = |s: CardState| o.by_state.iter().find(|c| c.state == s).map(|c| c.count).unwrap_or(0);
                                    let items = [
                                        (o.batches_waiting, "/bank/batches", "个批量办卡申请待审核"),
                                        (n(CardState::InProduction), "/bank/batches", "张会员服务卡制卡中，制卡完成后在批次中登记卡号后四位"),
                                        (n(CardState::AwaitingDelivery), "/bank/deliveries", "张会员服务卡待送卡上门"),
                                        (n(CardState::Distributed), "/bank/cards", "张会员服务卡已发放，待激活"),
                                    ];
                                    let due: Vec<_> = items.into_iter().filter(|i| i.0 > 0).collect();
                                    if due.is_empty() {
                                        view! { <p class="empty">"目前没有待办事项。"</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul>
                                                {due.into_iter().map(|(k, href, what)| view! {
                                                    <li><a href=href><strong>{k}</strong>{what}</a></li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }
                                }
                            </section>
                            <h2>"对接工会的会员服务卡"</h2>
                            <StateCounts counts=o.by_state.clone()/>
                            <h2>"网点"</h2>
                            <TableRegion label="网点列表">
                                <table class="stack">
                                    <thead><tr><th scope="col">"网点名称"</th><th scope="col">"行号"</th><th scope="col">"对接工会"</th></tr></thead>
                                    <tbody>
                                        {o.branches.iter().map(|b| view! {
                                            <tr><td class="title">{b.name.clone()}</td><td class="mono" data-label="行号">{b.code.clone()}</td><td data-label="对接工会">{b.unions}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}
