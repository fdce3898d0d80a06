//! 审核批次: the bank's review queue, the batch applications routed to its branches, those with
//! cards still to review first. Sent without scripts (`script_free_path`): it only lists and
//! links, a page at a time (`?page=`).

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::cards::{list_batches, BatchItem},
    components::{PagerLinks, Portal, TableRegion},
    domain::{format_time, role::Role},
};

/// Whether the batch still has cards under review.
pub(crate) fn waiting(b: &BatchItem) -> bool {
    b.reviewed < b.members
}

/// The batch's status as a badge: 待审核 or 已审核.
pub(crate) fn status_badge(b: &BatchItem) -> impl IntoView {
    if waiting(b) {
        view! { <span class="badge wait">"待审核"</span> }
    } else {
        view! { <span class="badge ok">"已审核"</span> }
    }
}

#[component]
pub fn BatchesPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || crate::pages::page_number(&query.read());
    let list = crate::wire::resource(page, list_batches);
    view! {
        <Portal role=Role::Bank title="审核批次">
            <h1>"审核批次"</h1>
            <p class="hint">"基层工会发起的批量办卡申请，按领卡网点分派到本行。待审核的批次排在前面，最早提交的在最前。"</p>
            <Transition fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(p) if p.total == 0 => view! { <p class="empty">"还没有批量办卡申请。"</p> }.into_any(),
                        Ok(p) => view! {
                            <p class="queue-count">
                                {if p.waiting > 0 { format!("待审核批次 {} 个", p.waiting) } else { "所有批次都已审核。".to_string() }}
                            </p>
                            <TableRegion label="审核批次列表">
                                <table class="stack batch-list">
                                    <thead><tr><th scope="col">"批次号"</th><th scope="col">"工会"</th><th scope="col">"领卡网点"</th>
                                        <th scope="col">"人数"</th><th scope="col">"已审核"</th><th scope="col">"提交时间"</th><th scope="col">"状态"</th></tr></thead>
                                    <tbody>
                                        {p.items.into_iter().map(|b| {
                                            let (open, badge) = (waiting(&b), status_badge(&b));
                                            view! {
                                            <tr class:waiting=open>
                                                <td class="title mono"><A href=format!("/bank/batches/{}", b.id)>{b.batch_no}</A></td>
                                                <td data-label="工会">{b.union_name}</td>
                                                <td data-label="领卡网点">{b.branch_name}</td>
                                                <td class="num" data-label="人数">{b.members}</td>
                                                <td class="num" data-label="已审核">{b.reviewed}</td>
                                                <td class="time" data-label="提交时间">{format_time(b.created_at)}</td>
                                                <td data-label="状态">{badge}</td>
                                            </tr>
                                        }}).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                            <PagerLinks page=p.page total=p.total page_size=p.page_size href=|n| format!("/bank/batches?page={n}") label="审核批次分页"/>
                        }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}
