//! 会员服务平台 (mobile first): a member's own card.

use leptos::prelude::*;

use crate::{
    api::cards::get_my_card,
    components::Portal,
    domain::{format_time, role::Role},
};

#[component]
pub fn MyCardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_my_card());
    view! {
        <Portal role=Role::Member title="我的会员卡">
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(c) => view! {
                            <h1>"我的会员服务卡"</h1>
                            <section class="member-card" aria-label="会员服务卡">
                                <p class="card-bank">"中国银行 · 深圳工会会员服务卡"</p>
                                <p class="card-name">{c.name.clone()}</p>
                                <p class=format!("card-state state-{}", c.card_state.as_str())>{c.card_state.label()}</p>
                            </section>
                            <dl class="facts">
                                <dt>"所属工会"</dt><dd>{c.union_name.clone()}</dd>
                                <dt>"证件号码"</dt><dd class="mono">{c.id_number_masked.clone()}</dd>
                                <dt>"手机号码"</dt><dd class="mono">{c.phone_masked.clone()}</dd>
                                {(!c.department.is_empty()).then(|| view! { <dt>"部门"</dt><dd>{c.department.clone()}</dd> })}
                            </dl>
                            <h2>"办理进度"</h2>
                            <ol class="timeline">
                                {c.events.iter().map(|e| view! {
                                    <li>
                                        <span class="when">{format_time(e.at)}</span>
                                        <span class="what">{e.state.label()}</span>
                                        {e.reason.clone().map(|r| view! { <span class="why">{r}</span> })}
                                    </li>
                                }).collect_view()}
                            </ol>
                            <p class="hint">"信息有误请联系所在工会；卡片激活可到中国银行网点办理。"</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}
