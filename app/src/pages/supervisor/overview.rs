//! 工作概览: the supervisor's subtree, drilled down one union at a time.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::overview::supervisor::{
        find_unions, get_supervisor_overview, Cause, ChildOrder, SupervisorOverview, UnionProfile, CHILDREN_PAGE,
        FOUND_SHOWN,
    },
    components::{Bar, BarChart, Column, ColumnChart, Portal, StateCounts, TableRegion},
    domain::{card::CardState, format_time, last_login_label, role::Role},
};

/// A ranking of causes: each with how often, an import error linking to its FAQ entry.
fn causes_table(causes: Vec<Cause>, what: &'static str, none: &'static str) -> impl IntoView {
    if causes.is_empty() {
        return view! { <p class="empty">{none}</p> }.into_any();
    }
    view! {
        <table class="stack">
            <thead><tr><th scope="col">{what}</th><th scope="col">"次数"</th></tr></thead>
            <tbody>
                {causes.into_iter().map(|c| view! {
                    <tr>
                        <td class="title">{match c.faq {
                            Some(slug) => view! { <a href=format!("/help/faq#{slug}")>{c.label}</a> }.into_any(),
                            None => c.label.into_any(),
                        }}</td>
                        <td data-label="次数">{c.n}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The address of this page for `union`, ordered and paged.
fn href(union: crate::domain::ids::UnionId, order: ChildOrder, page: i64) -> String {
    format!("/supervisor?union={union}&sort={}&page={page}", order.code())
}

/// A column head of the table below that orders it: a link, marked while it is the order.
fn sort_head(o: &SupervisorOverview, order: ChildOrder, label: &'static str) -> impl IntoView {
    let current = o.order == order;
    let aria = current.then_some(if matches!(order, ChildOrder::Name | ChildOrder::OnTimeRate) {
        "ascending"
    } else {
        "descending"
    });
    view! {
        <th scope="col" aria-sort=aria>
            <A href=href(o.id, order, 1) attr:class=if current { "sorted" } else { "" }>{label}</A>
        </th>
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (
            q.get("union").and_then(|s| s.parse::<crate::domain::ids::UnionId>().ok()),
            q.get("sort"),
            q.get("page").and_then(|s| s.parse::<i64>().ok()),
        )
    };
    let data = crate::wire::resource(params, |(union, sort, page)| get_supervisor_overview(union, sort, page));
    view! {
        <Portal role=Role::Supervisor title="工作概览">
            <FindUnion/>
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
                                {(!o.overdue.is_empty()).then(|| { let overdue = o.overdue.clone(); let node = o.id; view! {
                                    <section class="notice overdue" aria-labelledby="overdue-title">
                                        <h2 id="overdue-title">{format!("逾期未发放：{} 次送卡超过5个工作日仍有卡未发放", o.overdue_total)}</h2>
                                        <p><a class="button" href=format!("/supervisor/export/overdue.xlsx?union={}", node) download>"下载逾期未发放表"</a></p>
                                        <TableRegion label="逾期未发放">
                                            <table class="stack">
                                                <thead><tr><th scope="col">"工会名称"</th><th scope="col">"签收日期"</th>
                                                    <th scope="col">"应发放截止"</th><th scope="col">"未发放（张）"</th>
                                                    <th scope="col">"逾期（工作日）"</th></tr></thead>
                                                <tbody>
                                                    {overdue.into_iter().map(|d| view! {
                                                        <tr>
                                                            <td class="title"><A href=format!("/supervisor?union={}", d.union_id)>{d.union_name}</A></td>
                                                            <td data-label="签收日期">{d.signed_on}</td>
                                                            <td data-label="应发放截止">{d.due_on}</td>
                                                            <td data-label="未发放（张）">{d.outstanding}</td>
                                                            <td data-label="逾期（工作日）">{d.working_days_overdue}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </TableRegion>
                                    </section>
                                }})}
                                {(!o.id_hit_unions.is_empty()).then(|| { let id_hits = o.id_hit_unions.clone(); view! {
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
                                                    {id_hits.iter().map(|u| view! {
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
                                }})}
                                <h2>"会员服务卡办理进度"</h2>
                                <BarChart title="各环节人数"
                                    bars=std::iter::once(Bar { label: "已采集会员".into(), value: o.members_total })
                                        .chain(o.by_state.iter().map(|s| Bar { label: s.state.label().into(), value: s.count }))
                                        .collect()/>
                                <StateCounts counts=o.by_state.clone()/>
                                <p class="hint">
                                    {format!(
                                        "按时发放率（签收后5个工作日内发放）：{}（按时 {} 张，逾期发放 {} 张{}）",
                                        o.handouts.label(),
                                        o.handouts.on_time,
                                        o.handouts.late,
                                        if o.handouts.undetermined > 0 { format!("，日历未维护无法判断 {} 张", o.handouts.undetermined) } else { String::new() },
                                    )}
                                </p>
                                <p class="hint receipts">
                                    {format!(
                                        "已发放（含已激活）{} 张：会员确认领到 {} 张，会员反馈未收到 {} 张，仅工会登记 {} 张。",
                                        o.receipts.handed_out,
                                        o.receipts.confirmed,
                                        o.receipts.not_received,
                                        o.receipts.union_only(),
                                    )}
                                </p>
                                <h2>"近26周办卡申请与激活"</h2>
                                <ColumnChart title="每周办卡申请与激活人数" series=vec!["办卡申请", "激活"]
                                    columns=o.weeks.iter().map(|w| Column {
                                        label: w.week[5..].to_string(),
                                        values: vec![w.applied, w.activated],
                                    }).collect()/>
                                <div class="causes">
                                    <section aria-labelledby="import-causes-title">
                                        <h2 id="import-causes-title">"常见导入错误"</h2>
                                        {causes_table(o.import_causes.clone(), "导入错误", "暂无导入错误记录。")}
                                    </section>
                                    <section aria-labelledby="rejection-causes-title">
                                        <h2 id="rejection-causes-title">"银行退回原因"</h2>
                                        {causes_table(o.rejection_causes.clone(), "退回原因", "暂无银行退回记录。")}
                                    </section>
                                </div>
                                {if o.level == crate::domain::role::UnionLevel::Grassroots {
                                    view! {
                                        {o.profile.clone().map(|p| view! { <Profile profile=p/> })}
                                        <h2>"会员名单"</h2>
                                        <p><a class="button" href=format!("/supervisor/export/members.xlsx?union={}", o.id) download>"下载会员名单（证件号码、手机号码隐藏部分）"</a></p>
                                        <SupervisedMembers union=o.id/>
                                    }.into_any()
                                } else if o.children.is_empty() {
                                    view! { <h2>"下属工会"</h2><p class="empty">"暂无下属工会。可在“账号管理”中开设。"</p> }.into_any()
                                } else {
                                    let pages = ((o.children_total + CHILDREN_PAGE - 1) / CHILDREN_PAGE).max(1);
                                    let (id, order, page, total) = (o.id, o.order, o.page, o.children_total);
                                    let head_name = sort_head(&o, ChildOrder::Name, "工会名称");
                                    let head_rest = view! {
                                        {sort_head(&o, ChildOrder::Members, "会员")}
                                        {CardState::ALL.into_iter().map(|s| sort_head(&o, ChildOrder::State(s), s.label())).collect_view()}
                                        {sort_head(&o, ChildOrder::OnTimeRate, "按时发放率")}
                                        <th scope="col">"已完善信息"</th>
                                        <th scope="col">"已签协议"</th>
                                        <th scope="col">"最近登录"</th>
                                    };
                                    let children = o.children.clone();
                                    view! {
                                        <h2>"下属工会"</h2>
                                        <p><a class="button" href=format!("/supervisor/export/unions.xlsx?union={id}") download>"下载下属工会表"</a></p>
                                        <TableRegion label="下属工会列表">
                                            <table class="stack">
                                                <thead><tr>
                                                    {head_name}
                                                    <th scope="col">"类型"</th>
                                                    <th scope="col">"基层工会"</th>
                                                    {head_rest}
                                                </tr></thead>
                                                <tbody>
                                                    {children.into_iter().map(|c| {
                                                        let name = c.name.clone();
                                                        let link = Some(format!("/supervisor?union={}", c.id));
                                                        view! {
                                                            <tr>
                                                                <td class="title">{match link {
                                                                    Some(href) => view! { <A href=href>{name}</A> }.into_any(),
                                                                    None => name.into_any(),
                                                                }}</td>
                                                                <td data-label="类型">{c.level.label()}</td>
                                                                <td data-label="基层工会">{c.grassroots}</td>
                                                                <td data-label="会员">{c.members}</td>
                                                                {CardState::ALL.iter().zip(c.by_state.iter()).map(|(s, n)| view! {
                                                                    <td data-label=s.label()>{*n}</td>
                                                                }).collect_view()}
                                                                <td data-label="按时发放率">{c.handouts.label()}</td>
                                                                <td data-label="已完善信息">{c.share(c.info_complete)}</td>
                                                                <td data-label="已签协议">{c.share(c.agreement_signed)}</td>
                                                                <td data-label="最近登录">{last_login_label(c.last_login_at)}</td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </TableRegion>
                                        {(pages > 1).then(|| view! {
                                            <nav class="pager" aria-label="下属工会分页">
                                                {(page > 1).then(|| view! { <A href=href(id, order, page - 1)>"上一页"</A> })}
                                                <span>{format!("第 {page} / {pages} 页，共 {total} 个")}</span>
                                                {(page < pages).then(|| view! { <A href=href(id, order, page + 1)>"下一页"</A> })}
                                            </nav>
                                        })}
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

/// 查找工会: a name search over the supervisor's whole subtree, each union found a link to its
/// overview. A plain GET form, so it works before and without any script.
#[component]
fn FindUnion() -> impl IntoView {
    let query = use_query_map();
    let find = move || query.read().get("find").unwrap_or_default();
    let found = crate::wire::resource(find, |q| async move {
        if q.trim().is_empty() {
            Ok(None)
        } else {
            find_unions(q).await.map(Some)
        }
    });
    view! {
        <form method="get" action="/supervisor" class="filters find-union" role="search" aria-label="查找工会">
            <label>"查找工会"<input type="search" name="find" value=find placeholder="工会名称中的字词"/></label>
            <button type="submit">"查找"</button>
        </form>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match found.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(None) => ().into_any(),
                    Ok(Some(list)) if list.is_empty() => view! {
                        <p class="empty" role="status">"没有名称包含“"{find()}"”的下属工会。"</p>
                    }.into_any(),
                    Ok(Some(list)) => {
                        let more = list.len() as i64 >= FOUND_SHOWN;
                        view! {
                            <section class="card found" aria-labelledby="found-title">
                                <h2 id="found-title">{format!("查找结果：{} 个工会", list.len())}</h2>
                                <ul class="found-list">
                                    {list.into_iter().map(|u| view! {
                                        <li>
                                            <A href=format!("/supervisor?union={}", u.id)>{u.name}</A>
                                            <span class="hint">{format!(" {}", u.level.label())}
                                                {(!u.trail.is_empty()).then(|| format!(" · {}", u.trail.join(" › ")))}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                {more.then(|| view! { <p class="hint">{format!("只列出前 {FOUND_SHOWN} 个，请输入更完整的名称。")}</p> })}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// 工会情况: a grassroots union's information, agreement, accounts and last import.
#[component]
fn Profile(profile: UnionProfile) -> impl IntoView {
    let or_none = |s: String| if s.is_empty() { "未填写".to_string() } else { s };
    view! {
        <section class="card profile" aria-labelledby="profile-title">
            <h2 id="profile-title">"工会情况"</h2>
            <dl class="facts">
                <dt>"单位/工会信息"</dt>
                <dd>{if profile.info_complete { "已完善" } else { "未完善" }}</dd>
                <dt>"单位名称"</dt><dd>{or_none(profile.unit_name)}</dd>
                <dt>"统一社会信用代码"</dt><dd>{or_none(profile.credit_code)}</dd>
                <dt>"联系人"</dt><dd>{or_none(profile.contact_person)}" "{profile.contact_phone}</dd>
                <dt>"领卡网点"</dt><dd>{or_none(profile.pickup_branch)}</dd>
                <dt>"批量开卡协议"</dt>
                <dd>{match profile.agreement {
                    Some((branch, on)) => format!("已签订（{branch}，{on}）"),
                    None => "未签订".to_string(),
                }}</dd>
                <dt>"最近导入"</dt>
                <dd>{match profile.last_import {
                    Some((at, n)) => format!("{}，导入 {n} 人", format_time(at)),
                    None => "尚未导入会员".to_string(),
                }}</dd>
            </dl>
            <h3>"账号"</h3>
            {if profile.accounts.is_empty() {
                view! { <p class="empty">"尚未开设账号。"</p> }.into_any()
            } else {
                view! {
                    <ul class="accounts">
                        {profile.accounts.into_iter().map(|a| view! {
                            <li>
                                <code>{a.username}</code>" "
                                {if a.disabled { "已停用" } else if a.pending_activation { "待激活" } else { "正常" }}
                                "，最近登录："{last_login_label(a.last_login_at)}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p><A href="/supervisor/accounts">"到账号管理重置密码或停用账号"</A></p>
        </section>
    }
}

/// A grassroots union's members, masked, searched and paged: what lies behind its figures.
#[component]
fn SupervisedMembers(union: crate::domain::ids::UnionId) -> impl IntoView {
    use crate::api::members::list_supervised_members;
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (
            q.get("q").unwrap_or_default(),
            q.get("state").and_then(|s| CardState::ALL.into_iter().find(|c| c.as_str() == s)),
            q.get("mpage").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1),
        )
    };
    let members = crate::wire::resource(params, move |(q, state, page)| list_supervised_members(union, q, state, page));
    view! {
        <form method="get" action="/supervisor" class="filters">
            <input type="hidden" name="union" value=union.to_string()/>
            <label>"查询"<input type="search" name="q" value=move || query.read().get("q").unwrap_or_default()
                placeholder="姓名、证件号码后几位或手机号"/></label>
            <label>"办卡状态"
                <select name="state">
                    <option value="">"全部"</option>
                    {CardState::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || query.read().get("state").as_deref() == Some(s.as_str())>{s.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit">"查询"</button>
        </form>
        <Transition fallback=|| view! { <p role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match members.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p class="empty">"没有符合条件的会员。"</p> }.into_any(),
                    Ok(p) => {
                        let pages = ((p.total + p.page_size - 1) / p.page_size).max(1);
                        let link = move |page: i64| {
                            let q = query.read_untracked();
                            format!(
                                "/supervisor?union={union}&q={}&state={}&mpage={page}",
                                crate::domain::percent_encode(&q.get("q").unwrap_or_default()),
                                q.get("state").unwrap_or_default()
                            )
                        };
                        view! {
                            <TableRegion label="会员名单">
                                <table class="stack">
                                    <thead><tr><th scope="col">"姓名"</th><th scope="col">"证件号码"</th>
                                        <th scope="col">"手机号码"</th><th scope="col">"部门"</th><th scope="col">"办卡状态"</th></tr></thead>
                                    <tbody>
                                        {p.items.into_iter().map(|m| view! {
                                            <tr>
                                                <td class="title">{m.name}</td>
                                                <td data-label="证件号码">{m.id_number_masked}</td>
                                                <td data-label="手机号码">{m.phone_masked}</td>
                                                <td data-label="部门">{m.department}</td>
                                                <td data-label="办卡状态">{m.card_state.label()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                            <nav class="pager" aria-label="会员名单分页">
                                {(p.page > 1).then(|| view! { <A href=link(p.page - 1)>"上一页"</A> })}
                                <span>{format!("第 {} / {pages} 页，共 {} 人", p.page, p.total)}</span>
                                {(p.page < pages).then(|| view! { <A href=link(p.page + 1)>"下一页"</A> })}
                            </nav>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
