//! 会员反馈: members who say they did not receive their card, and reports of wrong information,
//! each resolved by editing the record (已修改) or answering in words (答复). Sent without scripts
//! (`script_free_path`): each answer is a plain form whose reply is this page again.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    api::member_portal::{get_feedback, report_answer_field, ReportItem, ResolveReport},
    components::{ErrorNotice, FieldMessage, Portal, TableRegion},
    domain::{format_time, role::Role},
    error::AppError,
    pages::{action_error, changes},
};

/// One open report with its two ways to close it.
#[component]
fn OpenReport(r: ReportItem, resolve: ServerAction<ResolveReport>, error: Signal<Option<AppError>>) -> impl IntoView {
    let answer_id = report_answer_field(r.id);
    let error_id = format!("{answer_id}-error");
    let field = answer_id.clone();
    let message = Signal::derive(move || error.get().and_then(|e| e.field_message(&field)));
    view! {
        <li class="report-item">
            <p>
                <A href=format!("/union/members/{}", r.member.0)>{r.member_name.clone()}</A>
                {format!(" 反馈“{}”有误，正确应为：", r.field_label)}
                <strong class="proposed">{r.proposed.clone()}</strong>
                <span class="when">{format!("（{}）", format_time(r.created_at))}</span>
            </p>
            <ActionForm action=resolve attr:class="form inline-form">
                <input type="hidden" name="id" value=r.id.to_string()/>
                <label for=answer_id.clone()>"答复会员"</label>
                <input id=answer_id type="text" name="answer" maxlength="200" aria-describedby=error_id.clone()
                    placeholder="已修改可不填；未修改请说明原因"/>
                <button type="submit" name="status" value="fixed" class="primary">"已修改信息"</button>
                <button type="submit" name="status" value="answered">"答复不修改"</button>
                <FieldMessage id=error_id message=message/>
            </ActionForm>
        </li>
    }
}

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let resolve = ServerAction::<ResolveReport>::new();
    let error = action_error(resolve);
    // a refused answer stands beside its report; what is about no report (one closed
    // meanwhile, a failure) at the top
    let general = Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Invalid { .. })));
    let resolved = changes(resolve);
    let data = crate::wire::resource(move || resolved.get(), |_| get_feedback());
    view! {
        <Portal role=Role::Union title="会员反馈">
            <h1>"会员反馈"</h1>
            <p class="hint">"会员在会员服务平台反馈的信息。修改会员信息请点姓名进入会员详情，改好后点“已修改信息”告知会员。"</p>
            <ErrorNotice error=general/>
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(f) => view! {
                            <section aria-labelledby="not-received-title">
                                <h2 id="not-received-title">{format!("反馈未收到卡（{}人）", f.not_received.len())}</h2>
                                <p class="hint">{format!("已有 {} 名会员确认领到卡。", f.confirmed)}</p>
                                {if f.not_received.is_empty() {
                                    view! { <p class="empty">"没有会员反馈未收到卡。"</p> }.into_any()
                                } else {
                                    view! {
                                        <TableRegion label="反馈未收到卡的会员">
                                            <table class="stack">
                                                <thead><tr><th scope="col">"姓名"</th><th scope="col">"证件号码"</th>
                                                    <th scope="col">"手机号码"</th><th scope="col">"部门"</th><th scope="col">"反馈时间"</th></tr></thead>
                                                <tbody>
                                                    {f.not_received.clone().into_iter().map(|m| view! {
                                                        <tr>
                                                            <td class="title"><A href=format!("/union/members/{}", m.member.0)>{m.name.clone()}</A></td>
                                                            <td class="mono" data-label="证件号码">{m.id_number_masked.clone()}</td>
                                                            <td class="mono" data-label="手机号码">{m.phone_masked.clone()}</td>
                                                            <td data-label="部门">{m.department.clone()}</td>
                                                            <td data-label="反馈时间">{format_time(m.at)}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </TableRegion>
                                    }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="open-title">
                                <h2 id="open-title">{format!("信息有误待处理（{}条）", f.open.len())}</h2>
                                {if f.open.is_empty() {
                                    view! { <p class="empty">"没有待处理的反馈。"</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="reports">
                                            {f.open.into_iter().map(|r| view! { <OpenReport r=r resolve=resolve error=error/> }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            {(!f.closed.is_empty()).then(|| view! {
                                <section aria-labelledby="closed-title">
                                    <h2 id="closed-title">"已处理"</h2>
                                    <ul class="reports">
                                        {f.closed.iter().map(|r| view! {
                                            <li>
                                                {format!("{}：{}“{}” — {}", r.member_name, r.field_label, r.proposed, r.status.label())}
                                                {r.answer.clone().map(|a| format!("（{a}）"))}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}
