//! 接口令牌: the tokens the bank's systems call /api/bank/v1 with. A new token is shown once.

use leptos::prelude::*;

use crate::{
    api::bank_tokens::{list_tokens, CreateToken, NewToken, RevokeToken, RotateToken},
    components::{ErrorNotice, FieldMessage, FormFields, Portal, ServerForm, TableRegion},
    domain::{format_time, role::Role},
    pages::act::Act,
};

/// The token just made, with what to do with it.
#[component]
fn ShownOnce(token: NewToken) -> impl IntoView {
    view! {
        <div class="success" role="status">
            <p><strong>"新令牌（只显示这一次，请立即复制保存到银行系统的配置中）："</strong></p>
            <p><code class="mono token">{token.token}</code></p>
            <p class="hint">"调用方式：请求头 Authorization: Bearer <令牌>。接口说明见 /api/bank/v1/openapi.json。"</p>
        </div>
    }
}

#[component]
pub fn TokensPage() -> impl IntoView {
    view! {
        <Portal role=Role::Bank title="接口令牌">
            <BankTokensIsland/>
        </Portal>
    }
}

#[island]
fn BankTokensIsland() -> impl IntoView {
    let create = Act::<CreateToken>::new();
    let rotate = Act::<RotateToken>::new();
    let revoke = Act::<RevokeToken>::new();
    let (made, rotated, revoked) = (create.changes(), rotate.changes(), revoke.changes());
    let data = crate::wire::resource(move || (made.get(), rotated.get(), revoked.get()), |_| list_tokens());
    let create_error = create.error();
    let name_error = Signal::derive(move || create_error.get().and_then(|e| e.field_message("name")));
    let row_error = Signal::derive(move || rotate.error().get().or_else(|| revoke.error().get()));
    // the newest token made or rotated, shown once
    let shown = move || {
        let pick = |a: Option<Result<NewToken, crate::error::AppError>>| a.and_then(|r| r.ok());
        match (create.version().get(), rotate.version().get()) {
            _ if create.pending().get() || rotate.pending().get() => None,
            (c, r) if r > 0 && c == 0 => pick(rotate.value().get()),
            (c, r) if c > 0 && r == 0 => pick(create.value().get()),
            _ => pick(rotate.value().get()).or_else(|| pick(create.value().get())),
        }
    };
    // a token shown once and revoked since (the list read again says so) is no longer one to copy
    let revoked_now = move |id: i64| {
        data.get().and_then(|r| r.ok()).is_some_and(|tokens| tokens.iter().any(|t| t.id == id && t.revoked))
    };
    view! {
        <h1>"接口令牌"</h1>
        <p class="hint">"银行系统通过接口 /api/bank/v1 查询批次、提交审核结果，使用本页创建的令牌。令牌代表本行，以创建人的身份操作，每次使用均记入审计日志。"</p>
        <ServerForm action=create.address() class="form inline-form"
            submit=Callback::new(move |f: FormFields| { create.dispatch(CreateToken { name: f.get("name") }); })>
            <label for="token-name">"令牌用途"</label>
            <input id="token-name" name="name" type="text" maxlength="50" required placeholder="例如：信贷系统对接"
                aria-describedby="token-name-error"/>
            <button type="submit" class="primary" disabled=move || create.pending().get()>"创建令牌"</button>
        </ServerForm>
        <FieldMessage id="token-name-error" message=name_error/>
        {move || shown().filter(|t| !revoked_now(t.id)).map(|t| view! { <ShownOnce token=t/> })}
        <ErrorNotice error=row_error/>
        <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(tokens) if tokens.is_empty() => view! { <p class="empty">"还没有令牌。"</p> }.into_any(),
                    Ok(tokens) => view! {
                        <TableRegion label="接口令牌">
                            <table class="stack">
                                <thead><tr>
                                    <th scope="col">"用途"</th><th scope="col">"令牌开头"</th><th scope="col">"创建人"</th>
                                    <th scope="col">"创建时间"</th><th scope="col">"最近使用"</th><th scope="col">"状态"</th><th scope="col">"操作"</th>
                                </tr></thead>
                                <tbody>
                                    {tokens.into_iter().map(|t| {
                                        let (rotate_label, revoke_label) = (format!("更换令牌 {}", t.name), format!("停用令牌 {}", t.name));
                                        let id = t.id;
                                        view! {
                                        <tr>
                                            <td class="title">{t.name.clone()}</td>
                                            <td class="mono" data-label="令牌开头">{format!("{}…", t.prefix)}</td>
                                            <td data-label="创建人">{t.created_by.clone()}</td>
                                            <td data-label="创建时间">{format_time(t.created_at)}</td>
                                            <td data-label="最近使用">{t.last_used_at.map(format_time).unwrap_or_else(|| "未使用".into())}</td>
                                            <td data-label="状态">{if t.revoked { "已停用" } else { "有效" }}</td>
                                            <td class="row-actions">
                                                {(!t.revoked).then(|| view! {
                                                    <div class="actions">
                                                        <ServerForm action=rotate.address() class="inline"
                                                            submit=Callback::new(move |_| { rotate.dispatch(RotateToken { id }); })>
                                                            <input type="hidden" name="id" value=id.to_string()/>
                                                            <button type="submit" aria-label=rotate_label>"更换"</button>
                                                        </ServerForm>
                                                        <ServerForm action=revoke.address() class="inline"
                                                            submit=Callback::new(move |_| { revoke.dispatch(RevokeToken { id }); })>
                                                            <input type="hidden" name="id" value=id.to_string()/>
                                                            <button type="submit" aria-label=revoke_label>"停用"</button>
                                                        </ServerForm>
                                                    </div>
                                                })}
                                            </td>
                                        </tr>
                                    }}).collect_view()}
                                </tbody>
                            </table>
                        </TableRegion>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
