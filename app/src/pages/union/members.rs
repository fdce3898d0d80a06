//! 会员信息: the union's members, masked, searched, filtered and paged. Sent without scripts
//! (`script_free_path`), so the clerk's most used page loads no wasm: 查询 is a plain form
//! (`search_members` keeps the search text in the session and answers with the list's address
//! for the filters) and the pages are links, so a reload or Back keeps the list.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

use super::InfoLock;
use crate::{
    api::{
        members::{list_departments, list_members, member_list_href, member_search, SearchMembers, DEPARTMENT_CHOICES},
        overview::union::get_union_overview,
    },
    components::{PagerLinks, Portal, TableRegion},
    domain::{card::CardState, role::Role},
};

#[component]
pub fn MembersPage() -> impl IntoView {
    let query = use_query_map();
    let searched = query.read_untracked().get("search").is_some();
    let state = query.read_untracked().get("state").and_then(|s| CardState::parse(&s));
    let department = query.read_untracked().get("department").unwrap_or_default();
    let page = crate::pages::page_number(&query.read_untracked());
    let overview = crate::wire::resource(|| (), |_| get_union_overview());
    let departments = crate::wire::resource(|| (), |_| list_departments());
    let filtered = searched || state.is_some() || !department.is_empty();
    // the page is rendered once (no script): the filters are values, kept where each part reads them
    let department = StoredValue::new(department);
    // the search text, kept in the session (never in the address), then the list it finds
    let list = crate::wire::resource(
        move || (searched, state, department.get_value(), page),
        |(searched, s, d, p)| async move {
            let q = if searched { member_search().await.unwrap_or_default() } else { String::new() };
            (q.clone(), list_members(q, s, d, p).await)
        },
    );
    view! {
        <Portal role=Role::Union title="会员管理">
            <h1>"会员信息"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    overview.await.ok().map(|o| if o.missing.is_empty() {
                        view! {
                            <div class="actions toolbar">
                                <a class="button" href="/union/template.xlsx" download>"下载会员模板"</a>
                                <A href="/union/import" attr:class="button primary">"导入会员"</A>
                            </div>
                        }.into_any()
                    } else {
                        view! { <InfoLock missing=o.missing/> }.into_any()
                    })
                })}
            </Suspense>
            <form class="filters" method="post" action={<SearchMembers as leptos::server_fn::ServerFn>::url()}
                role="search" aria-label="查找会员">
                <div class="field search">
                    <label for="member-search">"姓名或证件号码、手机号后4至6位"</label>
                    <Suspense fallback=|| view! { <input id="member-search" name="q" type="search"/> }>
                        {move || Suspend::new(async move {
                            let (typed, _) = list.await;
                            view! { <input id="member-search" name="q" type="search" value=typed/> }
                        })}
                    </Suspense>
                </div>
                <div class="field">
                    <label for="state-filter">"办卡状态"</label>
                    <select id="state-filter" name="state">
                        <option value="">"全部"</option>
                        {CardState::ALL.iter().map(|s| view! {
                            <option value=s.as_str() selected=state == Some(*s)>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="department-filter">"部门"</label>
                    <select id="department-filter" name="department">
                        <option value="">"全部部门"</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                let chosen = department.get_value();
                                let list = departments.await.unwrap_or_default();
                                // a department chosen earlier stays offered even when it is not
                                // among the largest
                                let missing = (!chosen.is_empty() && !list.iter().any(|d| d.name == chosen))
                                    .then(|| view! { <option value=chosen.clone() selected=true>{chosen.clone()}</option> });
                                view! {
                                    {list.into_iter().map(|d| view! {
                                        <option value=d.name.clone() selected=d.name == chosen>{format!("{}（{}人）", d.name, d.members)}</option>
                                    }).collect_view()}
                                    {missing}
                                }
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
                <div class="actions">
                    <button type="submit" class="primary">"查询"</button>
                    {filtered.then(|| view! { <a class="button" href="/union/members">"清除条件"</a> })}
                </div>
            </form>
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || {
                    Suspend::new(async move {
                        match list.await.1 {
                            Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                            Ok(p) if p.total == 0 => view! { <p class="empty">"没有符合条件的会员。"</p> }.into_any(),
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
                                <PagerLinks page=p.page total=p.total page_size=p.page_size
                                    href=move |n| member_list_href(searched, state, &department.get_value(), n) label="分页"/>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </Portal>
    }
}
