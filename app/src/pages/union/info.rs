//! 单位信息 and 工会组织信息: the union's own record, checked as the clerk types.

use leptos::prelude::*;

use crate::{
    api::unions::{get_union_info, SaveUnionInfo, UnionInfoView},
    components::{ErrorNotice, FieldMessage, Portal, ServerForm},
    domain::role::Role,
    pages::act::Act,
};

#[component]
pub fn InfoPage() -> impl IntoView {
    view! {
        <Portal role=Role::Union title="单位信息">
            <UnionInfoIsland/>
        </Portal>
    }
}

#[island]
fn UnionInfoIsland() -> impl IntoView {
    let save = Act::<SaveUnionInfo>::new();
    // loaded once: after a save the form keeps what the clerk typed, whether it was accepted or not
    let data = crate::wire::resource(|| (), |_| get_union_info());
    view! {
        <h1>"单位信息与工会组织信息"</h1>
        <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(v) => view! { <InfoForm view=v save=save/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InfoForm(view: UnionInfoView, save: Act<SaveUnionInfo>) -> impl IntoView {
    let form = RwSignal::new(view.form.clone());
    let server_error = save.error();
    let saved = move || save.value().get().is_some_and(|r| r.is_ok());
    // The same check the server runs, live, for what has been typed so far.
    let local = Memo::new(move |_| form.get().parse().err().unwrap_or_default());
    // What was submitted when the server last refused: its message stands only while the field
    // still holds the value it was about.
    let refused = save.refused(form);
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
                    value=form.read_untracked().get(f).to_string()
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
        <ServerForm action=save.address() class="form grid"
            submit=Callback::new(move |_| { save.dispatch(SaveUnionInfo { info: form.get_untracked() }); })>
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
                            <option value=b.code.clone() selected=form.read_untracked().pickup_branch == b.code>{format!("{} {}（{}）", b.code, b.name, b.bank_name)}</option>
                        }).collect_view()}
                    </select>
                    <p class="hint" id="pickup_branch-hint">"在银行工作人员的指导下选择对接行；行号即会员信息采集表中的“领卡网点”。"</p>
                    <FieldMessage id="pickup_branch-error" message=message("pickup_branch")/>
                </div>
            </fieldset>
            <fieldset>
                <legend>"批量开卡协议"</legend>
                <p class="hint">"与银行签订批量开卡协议后在此登记，登记后才能发起批量办卡；导入会员不需要。"</p>
                <div class="field">
                    <label for="agreement_branch">"合作网点"</label>
                    <select id="agreement_branch" name="info[agreement_branch]" aria-describedby="agreement_branch-error"
                        prop:value=move || form.read().agreement_branch.clone()
                        on:change=move |ev| form.update(|x| x.agreement_branch = event_target_value(&ev))>
                        <option value="">"尚未签订"</option>
                        {view.branches.iter().map(|b| view! {
                            <option value=b.code.clone() selected=form.read_untracked().agreement_branch == b.code>{format!("{} {}（{}）", b.code, b.name, b.bank_name)}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage id="agreement_branch-error" message=message("agreement_branch")/>
                </div>
                <div class="field">
                    <label for="agreement_signed_on">"签约日期"</label>
                    <input id="agreement_signed_on" name="info[agreement_signed_on]" type="date" aria-describedby="agreement_signed_on-error"
                        value=form.read_untracked().agreement_signed_on.clone()
                        prop:value=move || form.read().agreement_signed_on.clone()
                        on:input=move |ev| form.update(|x| x.agreement_signed_on = event_target_value(&ev))/>
                    <FieldMessage id="agreement_signed_on-error" message=message("agreement_signed_on")/>
                </div>
            </fieldset>
            <ErrorNotice error=server_error/>
            {move || saved().then(|| view! { <p class="success" role="status">"已保存。"</p> })}
            <div class="actions">
                <button type="submit" class="primary" disabled=move || save.pending().get()>"保存"</button>
            </div>
        </ServerForm>
    }
}
