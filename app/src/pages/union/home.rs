//! The union's home: what is missing, where its cards stand, and the procedure.

use leptos::prelude::*;

use super::InfoLock;
use crate::{
    api::{
        cards::StateCount,
        deliveries::{list_union_deliveries, UnionDeliveries},
        members::list_corrections,
        overview::union::get_union_overview,
    },
    components::{Portal, StateCounts},
    domain::{
        calendar::Urgency,
        card::{CardState, DeliveryAction},
        role::Role,
    },
};

/// 待办: what waits for this union, from its kept counts and its deliveries, each linked to where
/// it is done; overdue cards first.
#[component]
fn ToDo(counts: Vec<StateCount>, deliveries: Option<UnionDeliveries>, feedback: (i64, i64)) -> impl IntoView {
    let n = |s: CardState| counts.iter().find(|c| c.state == s).map(|c| c.count).unwrap_or(0);
    let d = deliveries.unwrap_or(UnionDeliveries { open: Vec::new(), due: Vec::new() });
    let outstanding = |overdue: bool| -> i64 {
        d.due
            .iter()
            .filter(|x| matches!(x.urgency, Some(Urgency::Overdue { .. })) == overdue)
            .map(|x| x.delivery.outstanding)
            .sum()
    };
    let to_confirm = d.open.iter().filter(|x| x.actions.contains(&DeliveryAction::ConfirmTime)).count() as i64;
    let to_sign = d.open.iter().filter(|x| x.stage_code == "delivered").map(|x| x.cards).sum::<i64>();
    let (not_received, open_reports) = feedback;
    let tab = super::cards::tab_href;
    let items = [
        (not_received, "名会员反馈未收到卡，请尽快核实", "/union/feedback".to_string()),
        (
            outstanding(true),
            "张会员服务卡已超过签收后5个工作日仍未发放，请尽快发放",
            tab(CardState::AwaitingDistribution),
        ),
        (to_sign, "张会员服务卡银行已送达，请清点签收", tab(CardState::AwaitingDelivery)),
        (to_confirm, "个送卡时间待确认", tab(CardState::AwaitingDelivery)),
        (n(CardState::Rejected), "名会员被银行退回，请按原因修改后重新提交", tab(CardState::Rejected)),
        (open_reports, "条会员反馈信息有误，请核对处理", "/union/feedback".to_string()),
        (n(CardState::Pending), "名会员待发起批量办卡", tab(CardState::Pending)),
        (
            outstanding(false),
            "张会员服务卡已签收，须在签收后5个工作日内发放给会员",
            tab(CardState::AwaitingDistribution),
        ),
    ];
    let due: Vec<_> = items.into_iter().filter(|(k, _, _)| *k > 0).collect();
    view! {
        <section class="todo" aria-labelledby="todo-title">
            <h2 id="todo-title">"待办"</h2>
            {if due.is_empty() {
                view! { <p class="empty">"目前没有待办事项。"</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {due.into_iter().map(|(k, what, href)| view! {
                            <li><a href=href><strong>{k}</strong>{what}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let data = crate::wire::resource(|| (), |_| get_union_overview());
    let deliveries = crate::wire::resource(|| (), |_| list_union_deliveries());
    let corrections = crate::wire::resource(|| (), |_| list_corrections(None));
    view! {
        <Portal role=Role::Union title="首页">
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    let d = deliveries.await.ok();
                    let fixed = corrections.await.ok().filter(|c| !c.is_empty());
                    match data.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(o) => view! {
                            <h1>{o.name.clone()}</h1>
                            <InfoLock missing=o.missing.clone()/>
                            <ToDo counts=o.by_state.clone() deliveries=d feedback=(o.not_received, o.open_reports)/>
                            {fixed.map(|c| view! {
                                <section aria-labelledby="corrections-heading">
                                    <h2 id="corrections-heading">"银行更正的会员信息"</h2>
                                    <super::member::CorrectionList items=c/>
                                </section>
                            })}
                            <h2>{format!("会员服务卡办理进度（会员 {} 人）", o.members_total)}</h2>
                            <StateCounts counts=o.by_state.clone()/>
                            <h2>"办理流程"</h2>
                            <ol class="steps">
                                <li>"完善单位信息和工会组织信息"</li>
                                <li>"会员管理 → 会员信息 → 下载会员模板，填写后导入会员"</li>
                                <li>"会员服务卡 → 未办卡 → 待办卡，发起批量办卡申请"</li>
                                <li>"银行审核、制卡、送卡上门；签收后5个工作日内发放给会员"</li>
                                <li>"会员服务卡激活：银行上门激活或会员到网点自行激活"</li>
                            </ol>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}
