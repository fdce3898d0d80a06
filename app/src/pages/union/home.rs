//! The union's home: what is missing, where its cards stand, and the procedure.

use leptos::prelude::*;

use super::InfoLock;
use crate::{
    api::overview::union::get_union_overview,
    components::{Portal, StateCounts},
    domain::role::Role,
};

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_union_overview());
    view! {
        <Portal role=Role::Union title="首页">
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(o) => view! {
                            <h1>{o.name.clone()}</h1>
                            <InfoLock missing=o.missing.clone()/>
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
