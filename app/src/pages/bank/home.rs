//! The bank desk: what waits for the bank (待办), its branches and the cards of the unions that
//! pick up there.

use leptos::prelude::*;

use crate::{
    api::overview::bank::get_bank_overview,
    components::{Portal, StateCounts, TableRegion},
    domain::role::Role,
};

#[component]
pub fn BankHomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_bank_overview());
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
                                {if o.batches_waiting > 0 {
                                    view! {
                                        <ul><li><a href="/bank/batches"><strong>{o.batches_waiting}</strong>"个批量办卡申请待审核"</a></li></ul>
                                    }.into_any()
                                } else {
                                    view! { <p class="empty">"目前没有待办事项。"</p> }.into_any()
                                }}
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
