//! 基层工会工作平台: a grassroots union's home, its 单位信息, and its members.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{action_error, refused_snapshot};
use crate::{
    api::{
        overview::{get_union_overview, list_departments, list_members, DEPARTMENT_CHOICES},
        union_info::{get_union_info, SaveUnionInfo, UnionInfoView},
    },
    components::{ErrorNotice, FieldMessage, Pager, Portal, StateCounts, TableRegion},
    domain::{card::CardState, role::Role},
};

/// Why import and card applications are locked, naming what is missing.
#[component]
fn InfoLock(missing: Vec<String>) -> impl IntoView {
    (!missing.is_empty()).then(|| {
        view! {
            <div class="lock" role="note">
                <h2>"请先完善单位信息"</h2>
                <p>"按操作指引，导入会员和办理会员服务卡前须完善单位信息和工会组织信息的必填项。尚未填写："
                    <strong>{missing.join("、")}</strong>"。"</p>
                <A href="/union/info">"去完善单位信息"</A>
            </div>
        }
    })
}

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

#[component]
pub fn InfoPage() -> impl IntoView {
    let save = ServerAction::<SaveUnionInfo>::new();
    // loaded once: after a save the form keeps what the clerk typed, whether it was accepted or not
    let data = Resource::new(|| (), |_| get_union_info());
    view! {
        <Portal role=Role::Union title="单位信息">
            <h1>"单位信息与工会组织信息"</h1>
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(v) => view! { <InfoForm view=v save=save/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn InfoForm(view: UnionInfoView, save: ServerAction<SaveUnionInfo>) -> impl IntoView {
    let form = RwSignal::new(view.form.clone());
    let server_error = action_error(save);
    let saved = move || save.value().get().is_some_and(|r| r.is_ok());
    // The same check the server runs, live, for what has been typed so far.
    let local = Memo::new(move |_| form.get().parse().err().unwrap_or_default());
    // What was submitted when the server last refused: its message stands only while the field
    // still holds the value it was about.
    let refused = refused_snapshot(save, form);
    let message = move |f: &'static str| {
        Signal::derive(move || {
            let typed = !form.read().get(f).trim().is_empty();
            local.read().iter().find(|e| e.field == f && typed).map(|e| e.message.clone()).or_else(|| {
                let same = refused.read().as_ref().is_some_and(|r| r.get(f) == form.read().get(f));
                same.then(|| server_error.get().and_then(|e| e.field_message(f))).flatten()
            })
        })
    };
    let input = move |f: &'static str, label: &'static str, hint: &'static str| {
        let set = move |v: String| {
            form.update(|x| match f {
                "union_name" => x.union_name = v,
                "unit_name" => x.unit_name = v,
                "credit_code" => x.credit_code = v,
                "address" => x.address = v,
                "contact_person" => x.contact_person = v,
                "contact_phone" => x.contact_phone = v,
                _ => {}
            })
        };
        let err_id = format!("{f}-error");
        let hint_id = format!("{f}-hint");
        view! {
            <div class="field">
                <label for=f>{label}<span class="req" aria-hidden="true">" *"</span></label>
                <input id=f name=format!("info[{f}]") type="text" required
                    aria-describedby=format!("{hint_id} {err_id}")
                    prop:value=move || form.read().get(f).to_string()
                    on:input=move |ev| set(event_target_value(&ev))/>
                <p class="hint" id=hint_id>{hint}</p>
                <FieldMessage id=err_id message=message(f)/>
            </div>
        }
    };
    let initial_missing = view.missing.clone();
    let missing = move || match save.value().get() {
        Some(Ok(v)) => v.missing,
        _ => initial_missing.clone(),
    };
    view! {
        {move || {
            let missing = missing();
            (!missing.is_empty()).then(|| view! {
                <p class="notice">"尚未填写：" {missing.join("、")} "。完善后才能导入会员和办理会员服务卡。"</p>
            })
        }}
        <ActionForm action=save attr:class="form grid" attr:novalidate=true>
            <fieldset>
                <legend>"工会组织信息"</legend>
                {input("union_name", "工会名称", "工会在系统中登记的全称，须与会员信息采集表B3单元格完全一致，前后不留空格。")}
            </fieldset>
            <fieldset>
                <legend>"单位信息"</legend>
                {input("unit_name", "单位名称", "营业执照或登记证书上的单位全称。")}
                {input("credit_code", "统一社会信用代码", "18位，见营业执照。")}
                {input("address", "单位地址", "")}
                {input("contact_person", "联系人", "")}
                {input("contact_phone", "联系电话", "手机号，或座机如 0755-83288060。")}
                <div class="field">
                    <label for="pickup_branch">"领卡网点"<span class="req" aria-hidden="true">" *"</span></label>
                    <select id="pickup_branch" name="info[pickup_branch]" required aria-describedby="pickup_branch-hint pickup_branch-error"
                        prop:value=move || form.read().pickup_branch.clone()
                        on:change=move |ev| form.update(|x| x.pickup_branch = event_target_value(&ev))>
                        <option value="">"请选择对接的银行网点"</option>
                        {view.branches.iter().map(|b| view! {
                            <option value=b.code.clone()>{format!("{} {}（{}）", b.code, b.name, b.bank_name)}</option>
                        }).collect_view()}
                    </select>
                    <p class="hint" id="pickup_branch-hint">"在银行工作人员的指导下选择对接行；行号即会员信息采集表中的“领卡网点”。"</p>
                    <FieldMessage id="pickup_branch-error" message=message("pickup_branch")/>
                </div>
            </fieldset>
            <ErrorNotice error=server_error/>
            {move || saved().then(|| view! { <p class="success" role="status">"已保存。"</p> })}
            <div class="actions">
                <button type="submit" class="primary" disabled=move || save.pending().get()>"保存"</button>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_union_overview());
    let search = RwSignal::new(String::new());
    let state = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let page = RwSignal::new(1i64);
    let departments = Resource::new(|| (), |_| list_departments());
    let list = Resource::new(
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
                    <label for="member-search">"姓名、证件号码后几位或手机号"</label>
                    <input id="member-search" type="search" prop:value=move || search.get()
                        on:change=move |ev| { search.set(event_target_value(&ev)); page.set(1); }/>
                </div>
                <div class="field">
                    <label for="state-filter">"办卡状态"</label>
                    <select id="state-filter" on:change=move |ev| { state.set(event_target_value(&ev)); page.set(1); }>
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
