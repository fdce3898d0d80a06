//! 操作日志: the supervisor searches the audit log of its subtree by account, union and date.
//! The filters live in the address (a plain GET form), so a search can be bookmarked or sent.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::audit::search_audit_log,
    components::{Portal, TableRegion},
    domain::{percent_encode, role::Role},
};

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let params =
        move || (get("account"), get("union"), get("from"), get("to"), crate::pages::page_number(&query.read()));
    let entries = crate::wire::resource(params, |(account, union, from, to, page)| {
        search_audit_log(account, union, from, to, page)
    });
    let link = move |page: i64| {
        format!(
            "/supervisor/audit?account={}&union={}&from={}&to={}&page={page}",
            percent_encode(&get("account")),
            percent_encode(&get("union")),
            percent_encode(&get("from")),
            percent_encode(&get("to"))
        )
    };
    view! {
        <Portal role=Role::Supervisor title="操作日志">
            <h1>"操作日志"</h1>
            <p class="hint">"谁在何时查看或修改了哪位会员的完整信息、下载了哪些表格；本级及下级工会的记录。"</p>
            <form method="get" action="/supervisor/audit" class="filters">
                <label>"账号"<input type="text" name="account" value=move || get("account") autocomplete="off"/></label>
                <label>"工会名称"<input type="text" name="union" value=move || get("union") autocomplete="off"/></label>
                <label>"从"<input type="date" name="from" value=move || get("from")/></label>
                <label>"到"<input type="date" name="to" value=move || get("to")/></label>
                <button type="submit">"查询"</button>
            </form>
            <Transition fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(p) if p.items.is_empty() => view! { <p class="empty">"没有符合条件的记录。"</p> }.into_any(),
                        Ok(p) => view! {
                            <TableRegion label="操作日志">
                                <table class="stack">
                                    <thead><tr><th scope="col">"时间"</th><th scope="col">"账号"</th><th scope="col">"所属工会"</th>
                                        <th scope="col">"操作"</th><th scope="col">"对象"</th><th scope="col">"说明"</th></tr></thead>
                                    <tbody>
                                        {p.items.into_iter().map(|e| view! {
                                            <tr>
                                                <td class="title">{e.at}</td>
                                                <td data-label="账号">{e.account}</td>
                                                <td data-label="所属工会">{e.union_name}</td>
                                                <td data-label="操作">{e.action}</td>
                                                <td data-label="对象">{e.target}</td>
                                                <td data-label="说明">{e.detail}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                            <nav class="pager" aria-label="操作日志分页">
                                {(p.page > 1).then(|| view! { <A href=link(p.page - 1)>"上一页"</A> })}
                                <span>{format!("第 {} 页", p.page)}</span>
                                {p.has_more.then(|| view! { <A href=link(p.page + 1)>"下一页"</A> })}
                            </nav>
                        }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}
