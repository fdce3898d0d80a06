//! 单位信息 and 工会组织信息: the union's own record. Sent without scripts (`script_free_path`):
//! 保存 is a plain form checked by the server (the same rules the import runs); a refusal comes
//! back with every field as typed (kept in the session for the page that follows) and each
//! message under its field, a save with 已保存.

use leptos::prelude::*;

use crate::{
    api::unions::{get_union_info_page, SaveUnionInfo, UnionInfoView},
    components::{ErrorNotice, FieldMessage, Portal},
    domain::role::Role,
    error::AppError,
    pages::action_error,
};

#[component]
pub fn InfoPage() -> impl IntoView {
    let save = ServerAction::<SaveUnionInfo>::new();
    let error = action_error(save);
    let data = crate::wire::resource(|| (), |_| get_union_info_page());
    view! {
        <Portal role=Role::Union title="单位信息">
            <h1>"单位信息与工会组织信息"</h1>
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(v) => view! { <InfoForm view=v save=save error=error/> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn InfoForm(view: UnionInfoView, save: ServerAction<SaveUnionInfo>, error: Signal<Option<AppError>>) -> impl IntoView {
    let form = view.form;
    let message = move |f: &'static str| Signal::derive(move || error.get().and_then(|e| e.field_message(f)));
    // a field the refusal names is marked for assistive technology, beside its message
    let invalid = move |f: &'static str| message(f).get_untracked().map(|_| "true");
    let input = move |f: &'static str, label: &'static str, hint: &'static str, value: String| {
        let err_id = format!("{f}-error");
        let hint_id = format!("{f}-hint");
        view! {
            <div class="field">
                <label for=f>{label}<span class="req" aria-hidden="true">" *"</span></label>
                <input id=f name=format!("info[{f}]") type="text" required
                    aria-describedby=format!("{hint_id} {err_id}") value=value aria-invalid=invalid(f)/>
                <p class="hint" id=hint_id>{hint}</p>
                <FieldMessage id=err_id message=message(f)/>
            </div>
        }
    };
    let branch_options = |chosen: &str| {
        view.branches
            .iter()
            .map(|b| {
                view! {
                    <option value=b.code.clone() selected=chosen == b.code>{format!("{} {}（{}）", b.code, b.name, b.bank_name)}</option>
                }
            })
            .collect_view()
    };
    let (pickup_options, agreement_options) =
        (branch_options(&form.pickup_branch), branch_options(&form.agreement_branch));
    view! {
        {(!view.missing.is_empty()).then(|| view! {
            <p class="notice">"尚未填写：" {view.missing.join("、")} "。完善后才能导入会员和办理会员服务卡。"</p>
        })}
        <ActionForm action=save attr:class="form grid" attr:novalidate=true>
            <fieldset>
                <legend>"工会组织信息"</legend>
                {input("union_name", "工会名称", "工会在系统中登记的全称，须与会员信息采集表B3单元格完全一致，前后不留空格。", form.union_name)}
            </fieldset>
            <fieldset>
                <legend>"单位信息"</legend>
                {input("unit_name", "单位名称", "营业执照或登记证书上的单位全称。", form.unit_name)}
                {input("credit_code", "统一社会信用代码", "18位，见营业执照。", form.credit_code)}
                {input("address", "单位地址", "", form.address)}
                {input("contact_person", "联系人", "", form.contact_person)}
                {input("contact_phone", "联系电话", "手机号，或座机如 0755-83288060。", form.contact_phone)}
                <div class="field">
                    <label for="pickup_branch">"领卡网点"<span class="req" aria-hidden="true">" *"</span></label>
                    <select id="pickup_branch" name="info[pickup_branch]" required aria-describedby="pickup_branch-hint pickup_branch-error" aria-invalid=invalid("pickup_branch")>
                        <option value="">"请选择对接的银行网点"</option>
                        {pickup_options}
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
                    <select id="agreement_branch" name="info[agreement_branch]" aria-describedby="agreement_branch-error" aria-invalid=invalid("agreement_branch")>
                        <option value="">"尚未签订"</option>
                        {agreement_options}
                    </select>
                    <FieldMessage id="agreement_branch-error" message=message("agreement_branch")/>
                </div>
                <div class="field">
                    <label for="agreement_signed_on">"签约日期"</label>
                    <input id="agreement_signed_on" name="info[agreement_signed_on]" type="date" aria-describedby="agreement_signed_on-error" aria-invalid=invalid("agreement_signed_on")
                        value=form.agreement_signed_on/>
                    <FieldMessage id="agreement_signed_on-error" message=message("agreement_signed_on")/>
                </div>
            </fieldset>
            <ErrorNotice error=error/>
            {view.saved.then(|| view! { <p class="success" role="status">"已保存。"</p> })}
            <div class="actions">
                <button type="submit" class="primary">"保存"</button>
            </div>
        </ActionForm>
    }
}
