//! 接口令牌: the tokens the bank's systems call /api/bank/v1 with. A new token is shown once.
//! Sent without scripts (`script_free_path`): 创建令牌, 更换 and 停用 are plain forms whose answer
//! is this page again; a token just made or rotated comes with it once (kept in the session for
//! that page, `get_tokens_page`), a refused purpose with what was typed.

use leptos::prelude::*;

use crate::{
    api::bank_tokens::{get_tokens_page, CreateToken, NewToken, RevokeToken, RotateToken},
    components::{ErrorNotice, FieldMessage, Portal, TableRegion},
    domain::{format_time, role::Role},
    error::AppError,
    pages::action_error,
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
    let create = ServerAction::<CreateToken>::new();
    let rotate = ServerAction::<RotateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let create_error = action_error(create);
    let name_error = Signal::derive(move || create_error.get().and_then(|e| e.field_message("name")));
    let (rotate_error, revoke_error) = (action_error(rotate), action_error(revoke));
    // a refused purpose stands under its field; anything else (and 更换, 停用) above the list
    let other_error = Signal::derive(move || {
        create_error
            .get()
            .filter(|e| !matches!(e, AppError::Invalid { .. }))
            .or_else(|| rotate_error.get())
            .or_else(|| revoke_error.get())
    });
    let data = crate::wire::resource(|| (), |_| get_tokens_page());
    view! {
        <Portal role=Role::Bank title="接口令牌">
            <h1>"接口令牌"</h1>
            <p class="hint">"银行系统通过接口 /api/bank/v1 查询批次、提交审核结果，使用本页创建的令牌。令牌代表本行，以创建人的身份操作，每次使用均记入审计日志。"</p>
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(p) => view! {
                            <ActionForm action=create attr:class="form inline-form" attr:novalidate=true>
                                <label for="token-name">"令牌用途"</label>
                                <input id="token-name" name="name" type="text" maxlength="50" required placeholder="例如：信贷系统对接"
                                    value=p.typed_name aria-describedby="token-name-error"
                                    aria-invalid=name_error.get_untracked().map(|_| "true")/>
                                <button type="submit" class="primary">"创建令牌"</button>
                            </ActionForm>
                            <FieldMessage id="token-name-error" message=name_error/>
                            {p.shown.map(|t| view! { <ShownOnce token=t/> })}
                            <ErrorNotice error=other_error/>
                            {if p.tokens.is_empty() {
                                view! { <p class="empty">"还没有令牌。"</p> }.into_any()
                            } else {
                                view! {
                                    <TableRegion label="接口令牌">
                                        <table class="stack">
                                            <thead><tr>
                                                <th scope="col">"用途"</th><th scope="col">"令牌开头"</th><th scope="col">"创建人"</th>
                                                <th scope="col">"创建时间"</th><th scope="col">"最近使用"</th><th scope="col">"状态"</th><th scope="col">"操作"</th>
                                            </tr></thead>
                                            <tbody>
                                                {p.tokens.into_iter().map(|t| {
                                                    let (rotate_label, revoke_label) = (format!("更换令牌 {}", t.name), format!("停用令牌 {}", t.name));
                                                    // each form's own copy: a form's fields are built in their own closure
                                                    let (rotate_id, revoke_id) = (t.id.to_string(), t.id.to_string());
                                                    view! {
                                                    <tr>
                                                        <td class="title">{t.name.clone()}</td>
                                                        <td class="mono" data-label="令牌开头">{format!("{}…", t.prefix)}</td>
                                                        <td data-label="创建人">{t.created_by.clone()}</td>
                                                        <td data-label="创建时间">{format_time(t.created_at)}</td>
                                                        <td data-label="最近使用">{t.last_used_at.map(format_time).unwrap_or_else(|| "未使用".into())}</td>
                                                        <td data-label="状态">{if t.revoked { "已停用" } else { "有效" }}</td>
                                                        <td class="row-actions">
                                                            {(!t.revoked).then(move || view! {
                                                                <div class="actions">
                                                                    <ActionForm action=rotate attr:class="inline">
                                                                        <input type="hidden" name="id" value=rotate_id/>
                                                                        <button type="submit" aria-label=rotate_label>"更换"</button>
                                                                    </ActionForm>
                                                                    <ActionForm action=revoke attr:class="inline">
                                                                        <input type="hidden" name="id" value=revoke_id/>
                                                                        <button type="submit" aria-label=revoke_label>"停用"</button>
                                                                    </ActionForm>
                                                                </div>
                                                            })}
                                                        </td>
                                                    </tr>
                                                }}).collect_view()}
                                            </tbody>
                                        </table>
                                    </TableRegion>
                                }.into_any()
                            }}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}
