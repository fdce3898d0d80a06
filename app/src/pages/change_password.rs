use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::action_error;
use crate::{
    api::auth::{who_am_i, ChangePassword},
    components::{ErrorNotice, FieldMessage, PublicFrame},
};

/// First login ("激活") and later changes. Sent without scripts (`script_free_path`): a plain form
/// whose answer is a redirect to the portal, or back here with every refused field's message
/// beside it (the password rule is `domain::password`, applied by the server).
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let user = crate::wire::resource(|| (), |_| who_am_i());
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error(action);
    let server_field = move |f: &'static str| Signal::derive(move || error.get().and_then(|e| e.field_message(f)));
    view! {
        <leptos_meta::Title text="修改密码 - 会员服务卡"/>
        <PublicFrame>
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    let Ok(Some(m)) = user.await else {
                        return view! { <Redirect path="/login"/> }.into_any();
                    };
                    view! {
                        <section class="card login-card">
                            <h1>{if m.must_change_password { "激活账号：设置新密码" } else { "修改密码" }}</h1>
                            {m.must_change_password.then(|| view! {
                                <p class="notice">"这是您首次登录。请输入上级工会提供的初始密码，并设置只有您知道的新密码；修改前其他功能均不可用。"</p>
                            })}
                            <p class="hint">"账号："{m.username.clone()}</p>
                            <ActionForm action=action attr:class="form" attr:novalidate=true>
                                <div class="field">
                                    <label for="current">{if m.must_change_password { "初始密码" } else { "原密码" }}</label>
                                    <input id="current" name="current" type="password" autocomplete="current-password" required
                                        aria-describedby="current-error"/>
                                    <FieldMessage id="current-error" message=server_field("current")/>
                                </div>
                                <div class="field">
                                    <label for="new">"新密码"</label>
                                    <input id="new" name="new" type="password" autocomplete="new-password" required
                                        aria-describedby="new-rule new-error"/>
                                    <p class="hint" id="new-rule">"至少8位，须同时包含字母和数字，不能与账号相同。"</p>
                                    <FieldMessage id="new-error" message=server_field("new")/>
                                </div>
                                <div class="field">
                                    <label for="confirm">"再次输入新密码"</label>
                                    <input id="confirm" name="confirm" type="password" autocomplete="new-password" required
                                        aria-describedby="confirm-error"/>
                                    <FieldMessage id="confirm-error" message=server_field("confirm")/>
                                </div>
                                <ErrorNotice error=error/>
                                <button type="submit" class="primary" disabled=move || action.pending().get()>"确认修改"</button>
                            </ActionForm>
                            // a change asked for from a portal page can be left there
                            {(!m.must_change_password).then(|| view! { <p><a href=m.role.home()>"← 返回首页"</a></p> })}
                            <LogoutLink/>
                        </section>
                    }
                    .into_any()
                })}
            </Suspense>
        </PublicFrame>
    }
}

#[component]
fn LogoutLink() -> impl IntoView {
    let logout = ServerAction::<crate::api::auth::Logout>::new();
    view! {
        <ActionForm action=logout attr:class="inline">
            <button type="submit" class="link-button">"退出登录"</button>
        </ActionForm>
    }
}
