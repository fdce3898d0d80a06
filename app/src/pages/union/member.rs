//! 会员信息 → one member: the full record for the union's clerk, edited with the template's
//! own rules (checked as the clerk types), and removal while no card is under way.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::{
    api::members::{
        get_member, list_corrections, CorrectionItem, DeleteMember, MemberDetail, OpenReport, UpdateMember,
        IDENTITY_FIELDS,
    },
    components::{ErrorNotice, FieldMessage, Portal, ServerForm},
    domain::{format_time, id_document::IdType, ids::MemberId, role::Role},
    error::AppError,
    pages::act::Act,
};

#[component]
pub fn MemberPage() -> impl IntoView {
    // an address that names no member (/union/members/abc) finds none: nothing is loaded for it
    let id = use_params_map().read_untracked().get("id").and_then(|s| s.parse::<MemberId>().ok());
    view! {
        <Portal role=Role::Union title="会员详情">
            <UnionMemberIsland id=id/>
        </Portal>
    }
}

#[island]
fn UnionMemberIsland(id: Option<MemberId>) -> impl IntoView {
    let id = move || id;
    let save = Act::<UpdateMember>::new();
    let data = crate::wire::resource(id, |id| async move {
        match id {
            Some(id) => get_member(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let corrections = crate::wire::resource(id, |id| async move {
        match id {
            Some(id) => list_corrections(Some(id)).await,
            None => Ok(Vec::new()),
        }
    });
    view! {
        <p><a href="/union/members">"← 返回会员信息"</a></p>
        <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(d) => view! { <MemberForm detail=d save=save/> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                corrections.await.ok().filter(|c| !c.is_empty()).map(|c| view! {
                    <section class="card" aria-labelledby="corrections-heading">
                        <h2 id="corrections-heading">"银行更正记录"</h2>
                        <p class="hint">"银行在激活会员服务卡时，按会员出示的证件更正了以下信息。"</p>
                        <CorrectionList items=c/>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// What the member reported wrong, with the value the member gave: the clerk checks it, edits the
/// record below and answers the member on 会员反馈.
#[component]
fn OpenReports(items: Vec<OpenReport>, identity_lock: Option<&'static str>) -> impl IntoView {
    // a report of the name or ID while those are locked: say what the member does instead
    let locked = identity_lock.filter(|_| items.iter().any(|r| IDENTITY_FIELDS.contains(&r.field.as_str())));
    (!items.is_empty()).then(|| {
        view! {
            <section class="notice" aria-labelledby="reports-heading">
                <h2 id="reports-heading">"会员反馈信息有误"</h2>
                <ul class="open-reports">
                    {items.into_iter().map(|r| view! {
                        <li>
                            {format!("{}，会员反馈正确应为：", r.field_label)}
                            <strong class="proposed">{r.proposed}</strong>
                            {format!("（{}）", format_time(r.created_at))}
                        </li>
                    }).collect_view()}
                </ul>
                {locked.map(|why| view! { <p class="hint">{why}</p> })}
                <p class="hint">"核实后在下方修改并保存，再到"<a href="/union/feedback">"会员反馈"</a>"答复会员。"</p>
            </section>
        }
    })
}

/// Fields the bank corrected: when, whose, which field, from what to what (numbers masked).
#[component]
pub(crate) fn CorrectionList(items: Vec<CorrectionItem>) -> impl IntoView {
    view! {
        <ul class="corrections">
            {items.into_iter().map(|c| view! {
                <li>
                    <span class="meta">{format_time(c.at)}</span>" "
                    <a href=format!("/union/members/{}", c.member)>{c.member_name.clone()}</a>" "
                    {format!("{}：{} → {}", c.field_label, c.old_value, c.new_value)}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn MemberForm(detail: MemberDetail, save: Act<UpdateMember>) -> impl IntoView {
    let form = RwSignal::new(detail.input.clone());
    // 性别 and 出生日期 read from the ID number follow it when the clerk corrects it
    let reading = StoredValue::new(detail.input.id_reading());
    let today = detail.today.clone();
    let server_error = save.error();
    let saved = move || save.value().get().is_some_and(|r| r.is_ok());
    // the template's rules, run in the browser on what is typed
    let local = Memo::new(move |_| form.get().parse(&today).err().unwrap_or_default());
    let refused = save.refused(form);
    let message = move |f: &'static str| {
        Signal::derive(move || {
            local.read().iter().find(|e| e.field == f).map(|e| e.message.clone()).or_else(|| {
                let same = refused.read().as_ref().is_some_and(|r| r.get(f) == form.read().get(f));
                same.then(|| server_error.get().and_then(|e| e.field_message(f))).flatten()
            })
        })
    };
    // the name and ID once the bank has the card: shown, sent back as they are, not changed
    let identity_lock = detail.identity_lock();
    let identity_locked = identity_lock.is_some();
    let locked = move |f: &str| identity_locked && IDENTITY_FIELDS.contains(&f);
    let text = move |f: &'static str, label: &'static str, required: bool| {
        let err_id = format!("{f}-error");
        view! {
            <div class="field">
                <label for=f>{label}{required.then(|| view! { <span class="req" aria-hidden="true">" *"</span> })}</label>
                <input id=f name=format!("input[{f}]") type="text" aria-describedby=err_id.clone() readonly=locked(f)
                    value=form.read_untracked().get(f).to_string()
                    prop:value=move || form.read().get(f).to_string()
                    on:input=move |ev| form.update(|m| {
                        m.set(f, event_target_value(&ev));
                        if f == "id_number" {
                            reading.set_value(m.follow_id_number(reading.get_value()));
                        }
                    })/>
                <FieldMessage id=err_id message=message(f)/>
            </div>
        }
    };
    let choice = move |f: &'static str, label: &'static str, options: Vec<&'static str>| {
        let err_id = format!("{f}-error");
        view! {
            <div class="field">
                <label for=f>{label}</label>
                // a disabled select is not posted: its value goes in a hidden field
                {locked(f).then(|| view! { <input type="hidden" name=format!("input[{f}]") value=form.read_untracked().get(f).to_string()/> })}
                <select id=f name=(!locked(f)).then(|| format!("input[{f}]")) aria-describedby=err_id.clone() disabled=locked(f)
                    prop:value=move || form.read().get(f).to_string()
                    on:change=move |ev| form.update(|m| m.set(f, event_target_value(&ev)))>
                    <option value="">"（空）"</option>
                    {options.into_iter().map(|o| view! {
                        <option value=o selected=form.read_untracked().get(f) == o>{o}</option>
                    }).collect_view()}
                </select>
                <FieldMessage id=err_id message=message(f)/>
            </div>
        }
    };
    let delete = Act::<DeleteMember>::new();
    // Removed: back to the list (sent without scripts, so loaded from the server), in place of
    // this page, so that Back does not come to a member who is no longer there.
    Effect::new(move |_| {
        if delete.value().read().as_ref().is_some_and(|r| r.is_ok()) {
            let _ = window().location().replace("/union/members");
        }
    });
    let first_name = detail.input.name.clone();
    let confirming = RwSignal::new(false);
    let id = detail.id;
    view! {
        // the name as last saved
        <h1>{move || match save.value().get() {
            Some(Ok(saved)) => saved.input.name,
            _ => first_name.clone(),
        }}</h1>
        <p class="subtitle">"办卡状态：" {detail.card_state.label()}</p>
        <p class="hint">"此页显示完整证件号码和手机号码，每次查看都会记入操作日志。"</p>
        <OpenReports items=detail.reports.clone() identity_lock=identity_lock/>
        {(!detail.rejections.is_empty()).then(|| view! {
            <section class="notice rejection" aria-labelledby="rejection-heading">
                <h2 id="rejection-heading">"银行退回原因"</h2>
                <super::cards::ReasonList reasons=detail.rejections.clone()/>
                <p class="hint">"按原因修改并保存后，到"<a href="/union/cards?tab=rejected">"未办卡—待处理"</a>
                    "勾选该会员，点“改为待办卡”，再发起批量办卡。"</p>
            </section>
        })}
        <ServerForm action=save.address() class="form grid"
            submit=Callback::new(move |_| { save.dispatch(UpdateMember { id, input: form.get_untracked() }); })>
            <input type="hidden" name="id" value=id.to_string()/>
            <fieldset>
                <legend>"身份信息"</legend>
                {identity_lock.map(|why| view! { <p class="hint wide">{why}</p> })}
                {text("name", "姓名", true)}
                {choice("id_type", "证件类型", IdType::ALL.iter().map(|t| t.label()).collect())}
                {text("id_number", "证件号码", true)}
                {text("country", "国家/地区", false)}
                {choice("sex", "性别", vec!["男", "女"])}
                {text("birth_date", "出生日期", false)}
            </fieldset>
            <fieldset>
                <legend>"联系与其他"</legend>
                {text("phone", "手机号码", true)}
                {text("ethnicity", "民族", false)}
                {text("education", "学历", false)}
                {choice("migrant_worker", "是否农民工", vec!["是", "否"])}
                {text("department", "部门", false)}
                {text("remark", "备注", false)}
            </fieldset>
            <ErrorNotice error=server_error/>
            {move || saved().then(|| view! { <p class="success" role="status">"已保存。"</p> })}
            <div class="actions">
                <button type="submit" class="primary" disabled=move || save.pending().get() || !local.read().is_empty()>"保存修改"</button>
            </div>
        </ServerForm>
        {detail.removable().then(|| view! {
            <section class="card danger" aria-labelledby="remove-heading">
                <h2 id="remove-heading">"删除会员"</h2>
                <p>"删除后该会员将不再出现在会员信息中。仅未办卡的会员可以删除。"</p>
                <ErrorNotice error=delete.error()/>
                {move || if confirming.get() {
                    view! {
                        <p role="alert">"确定删除该会员吗？此操作不能撤销。"</p>
                        <div class="actions">
                            <button type="button" class="primary" disabled=move || delete.pending().get()
                                on:click=move |_| { delete.dispatch(DeleteMember { id }); }>"确认删除"</button>
                            <button type="button" on:click=move |_| confirming.set(false)>"取消"</button>
                        </div>
                    }.into_any()
                } else {
                    view! { <button type="button" on:click=move |_| confirming.set(true)>"删除会员"</button> }.into_any()
                }}
            </section>
        })}
    }
}
