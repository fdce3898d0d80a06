//! 工作概览: the supervisor's subtree, drilled down one union at a time.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::overview::supervisor::get_supervisor_overview,
    components::{Portal, StateCounts, TableRegion},
    domain::role::Role,
};

#[component]
pub fn OverviewPage() -> impl IntoView {
    let query = use_query_map();
    let union_id = move || query.read().get("union").and_then(|s| s.parse::<crate::domain::ids::UnionId>().ok());
    let data = Resource::new(union_id, get_supervisor_overview);
    view! {
        <Portal role=Role::Supervisor title="工作概览">
            <Suspense fallback=|| view! { <p role="status">"正在统计…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(o) => {
                            let rate = |n: i64| if o.grassroots_total == 0 { "—".to_string() } else {
                                format!("{:.0}%", n as f64 * 100.0 / o.grassroots_total as f64)
                            };
                            view! {
                                <h1>{o.name.clone()}</h1>
                                <p class="subtitle">{o.level.label()}
                                    {o.parent_id.map(|p| view! { " · " <A href=format!("/supervisor?union={p}")>"返回上一级"</A> })}
                                </p>
                                <section class="stats" aria-label="下属基层工会">
                                    <div class="stat"><span class="value">{o.grassroots_total}</span><span class="label">"基层工会"</span></div>
                                    <div class="stat"><span class="value">{o.grassroots_activated}</span>
                                        <span class="label">"已激活账号 "{rate(o.grassroots_activated)}</span></div>
                                    <div class="stat"><span class="value">{o.grassroots_info_complete}</span>
                                        <span class="label">"已完善信息 "{rate(o.grassroots_info_complete)}</span></div>
                                    <div class="stat"><span class="value">{o.members_total}</span><span class="label">"会员"</span></div>
                                </section>
                                {(!o.id_hit_unions.is_empty()).then(|| view! {
                                    <section class="notice" aria-labelledby="id-hits-title">
                                        <h2 id="id-hits-title">"证件号码查重提示（近24小时）"</h2>
                                        <p>"以下工会上传的文件或修改的会员信息中，查出了其他工会或其他姓名下的证件号码。"
                                            "每次查出的会员已记入操作日志；一天内超过"{crate::api::overview::supervisor::ID_HIT_REPORTS_PER_DAY}
                                            "次的，导入和证件号码修改暂停至次日。如非正常办理，请与该工会核实。"</p>
                                        <TableRegion label="证件号码查重提示">
                                            <table class="stack">
                                                <thead><tr><th scope="col">"工会名称"</th><th scope="col">"查出次数"</th>
                                                    <th scope="col">"状态"</th></tr></thead>
                                                <tbody>
                                                    {o.id_hit_unions.iter().map(|u| view! {
                                                        <tr>
                                                            <td class="title">{u.name.clone()}</td>
                                                            <td data-label="查出次数">{u.reports}</td>
                                                            <td data-label="状态">{if u.throttled { "已暂停导入" } else { "正常" }}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </TableRegion>
                                    </section>
                                })}
                                <h2>"会员服务卡办理进度"</h2>
                                <StateCounts counts=o.by_state.clone()/>
                                <p class="hint receipts">
                                    {format!(
                                        "已发放（含已激活）{} 张：会员确认领到 {} 张，会员反馈未收到 {} 张，仅工会登记 {} 张。",
                                        o.receipts.handed_out,
                                        o.receipts.confirmed,
                                        o.receipts.not_received,
                                        o.receipts.union_only(),
                                    )}
                                </p>
                                <h2>"下属工会"</h2>
                                {if o.children.is_empty() {
                                    view! { <p class="empty">"暂无下属工会。可在“账号管理”中开设。"</p> }.into_any()
                                } else {
                                    view! {
                                        <TableRegion label="下属工会列表">
                                            <table class="stack">
                                                <thead><tr><th scope="col">"工会名称"</th><th scope="col">"类型"</th>
                                                    <th scope="col">"基层工会"</th><th scope="col">"会员"</th></tr></thead>
                                                <tbody>
                                                    {o.children.iter().map(|c| {
                                                        let name = c.name.clone();
                                                        let link = (c.level != crate::domain::role::UnionLevel::Grassroots)
                                                            .then(|| format!("/supervisor?union={}", c.id));
                                                        view! {
                                                            <tr>
                                                                <td class="title">{match link {
                                                                    Some(href) => view! { <A href=href>{name}</A> }.into_any(),
                                                                    None => name.into_any(),
                                                                }}</td>
                                                                <td data-label="类型">{c.level.label()}</td>
                                                                <td data-label="基层工会">{c.grassroots}</td>
                                                                <td data-label="会员">{c.members}</td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </TableRegion>
                                    }.into_any()
                                }}
                            }
                            .into_any()
                        }
                    }
                })}
            </Suspense>
        </Portal>
    }
}
