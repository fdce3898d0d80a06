use leptos::prelude::*;

use super::action_error;
use crate::{
    api::auth::{typed_login_name, Login},
    components::{ErrorNotice, FieldMessage, PublicFrame},
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    // the page is a plain form (sent without scripts): a refusal comes back with the name typed
    let typed = crate::wire::resource(|| (), |_| typed_login_name());
    let error = action_error(login);
    let field = move |f: &'static str| Signal::derive(move || error.get().and_then(|e| e.field_message(f)));
    let non_field =
        Signal::derive(move || error.get().filter(|e| !matches!(e, crate::error::AppError::Invalid { .. })));
    view! {
        <leptos_meta::Title text="登录 - 会员服务卡"/>
        <PublicFrame>
            <section class="card login-card">
                <h1>"登录"</h1>
                <p class="hint">"上级工会、基层工会和银行网点从此处登录。新账号的初始密码由上级工会提供，首次登录须修改密码。"</p>
                <p class="notice">"会员请用"<a href="/me/login">"短信验证码登录"</a>"查看自己的会员服务卡。"</p>
                <p class="hint">"操作手册、常见问题和服务热线见"<a href="/help">"帮助中心"</a>"。"</p>
                <ActionForm action=login attr:class="form" attr:novalidate=true>
                    <div class="field">
                        <label for="username">"账号"</label>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                let name = typed.await.ok().flatten().unwrap_or_default();
                                view! {
                                    <input id="username" name="username" type="text" autocomplete="username" required
                                        aria-describedby="username-error" value=name/>
                                }
                            })}
                        </Suspense>
                        <FieldMessage id="username-error" message=field("username")/>
                    </div>
                    <div class="field">
                        <label for="password">"密码"</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required
                            aria-describedby="password-error"/>
                        <FieldMessage id="password-error" message=field("password")/>
                    </div>
                    <ErrorNotice error=non_field/>
                    <button type="submit" class="primary" disabled=move || login.pending().get()>
                        {move || if login.pending().get() { "正在登录…" } else { "登录" }}
                    </button>
                </ActionForm>
                <p class="hint">"忘记密码请联系上级工会重置。服务热线：工会热线 12351；系统技术支持 88135133。"</p>
            </section>
        </PublicFrame>
    }
}
