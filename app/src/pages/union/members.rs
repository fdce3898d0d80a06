//! 会员信息: the union's members, masked, searched, filtered and paged.

use leptos::prelude::*;
use leptos_router::components::A;

use super::InfoLock;
use crate::{
    api::{
        members::{list_departments, list_members, DEPARTMENT_CHOICES},
        overview::union::get_union_overview,
    },
    components::{Pager, Portal, TableRegion},
    domain::{card::CardState, role::Role},
};

#[component]
pub fn MembersPage() -> impl IntoView {
    let overview = crate::wire::resource(|| (), |_| get_union_overview());
    let search = RwSignal::new(String::new());
    let state = RwSignal::new(None::<CardState>);
    let department = RwSignal::new(String::new());
    let page = RwSignal::new(1i64);
    let departments = crate::wire::resource(|| (), |_| list_departments());
    let list = crate::wire::resource(
        move || (search.get(), state.get(), department.get(), page.get()),
        |(q, s, d, p)| list_members(q, s, d, p),
    );
    view! {
        <Portal role=Role::Union title="会员管理">
            <h1>"会员信息"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    overview.await.ok().map(|o| if o.missing.is_empty() {
                        view! {
                            <div class="actions toolbar">
                                <a class="button" href="/union/template.xlsx" download rel="external">"下载会员模板"</a>
                                <A href="/union/import" attr:class="button primary">"导入会员"</A>
                            </div>
                        }.into_any()
                    } else {
                        view! { <InfoLock missing=o.missing/> }.into_any()
                    })
                })}
            </Suspense>
            <div class="filters">
                <div class="field search">
                    <label for="member-search">"姓名或证件号码、手机号后4至6位"</label>
                    <input id="member-search" type="search" prop:value=move || search.get()
                        on:change=move |ev| { search.set(event_target_value(&ev)); page.set(1); }/>
                </div>
                <div class="field">
                    <label for="state-filter">"办卡状态"</label>
                    <select id="state-filter" on:change=move |ev| { state.set(CardState::parse(&event_target_value(&ev))); page.set(1); }>
                        <option value="">"全部"</option>
                        {CardState::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="department-filter">"部门"</label>
                    <select id="department-filter" on:change=move |ev| { department.set(event_target_value(&ev)); page.set(1); }>
                        <option value="">"全部部门"</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                departments.await.unwrap_or_default().into_iter().map(|d| view! {
                                    <option value=d.name.clone()>{format!("{}（{}人）", d.name, d.members)}</option>
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let many = departments.await.map(|d| d.len() >= DEPARTMENT_CHOICES).unwrap_or(false);
                            many.then(|| view! {
                                <p class="hint">{format!("部门较多，这里列出人数最多的 {DEPARTMENT_CHOICES} 个。")}</p>
                            })
                        })}
                    </Suspense>
                </div>
            </div>
            <Transition fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(p) if p.items.is_empty() => view! { <p class="empty">"没有符合条件的会员。"</p> }.into_any(),
                        Ok(p) => view! {
                            <TableRegion label="会员列表">
                                <table class="stack member-list">
                                    <thead><tr><th scope="col">"姓名"</th><th scope="col">"证件号码"</th><th scope="col">"手机号码"</th>
                                        <th scope="col">"部门"</th><th scope="col">"办卡状态"</th></tr></thead>
                                    <tbody>
                                        {p.items.iter().cloned().map(|m| view! {
                                            <tr>
                                                <td class="name"><A href=format!("/union/members/{}", m.id)>{m.name.clone()}</A></td>
                                                <td class="mono id">{m.id_number_masked.clone()}</td>
                                                <td class="mono phone">{m.phone_masked.clone()}</td>
                                                <td class="department">{m.department.clone()}</td>
                                                <td class="state"><span class=format!("state-tag state-{}", m.card_state.as_str())>{m.card_state.label()}</span></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                            <Pager page=p.page total=p.total page_size=p.page_size on_page=Callback::new(move |n| page.set(n))/>
                        }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}
