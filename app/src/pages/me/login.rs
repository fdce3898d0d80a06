//! 会员登录: 证件号码 + 手机号码 as on record, then the 短信验证码 sent to that phone.

use leptos::prelude::*;

use crate::{
    api::member_portal::{MemberSignIn, RequestMemberCode},
    components::{ErrorNotice, FieldMessage, PublicFrame},
    error::AppError,
    pages::action_error,
};

#[component]
pub fn MemberLoginPage() -> impl IntoView {
    let ask = ServerAction::<RequestMemberCode>::new();
    let sign_in = ServerAction::<MemberSignIn>::new();
    let ask_error = action_error(ask);
    let sign_error = action_error(sign_in);
    let sent = move || ask.value().get().and_then(|r| r.ok());
    // seconds until a new code may be asked for, counted down in the browser
    let wait = RwSignal::new(0i64);
    Effect::new(move |_| {
        if let Some(answer) = sent() {
            wait.set(answer.resend_after);
        }
    });
    #[cfg(feature = "hydrate")]
    {
        let tick =
            set_interval_with_handle(move || wait.update(|w| *w = (*w - 1).max(0)), std::time::Duration::from_secs(1));
        if let Ok(handle) = tick {
            on_cleanup(move || handle.clear());
        }
    }
    let field = |error: Signal<Option<AppError>>, f: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.field_message(f)))
    };
    let non_field = |error: Signal<Option<AppError>>| {
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Invalid { .. })))
    };
    view! {
        <leptos_meta::Title text="会员登录 - 会员服务卡"/>
        <PublicFrame>
            <section class="card login-card">
                <h1>"会员登录"</h1>
                <p class="hint">"请输入工会登记的证件号码和手机号码，我们将向该手机发送短信验证码。"</p>
                <ActionForm action=ask attr:class="form" attr:novalidate=true>
                    <div class="field">
                        <label for="id_number">"证件号码"</label>
                        <input id="id_number" name="id_number" type="text" autocomplete="off" required
                            inputmode="text" maxlength="40" aria-describedby="id_number-error"/>
                        <FieldMessage id="id_number-error" message=field(ask_error, "id_number")/>
                    </div>
                    <div class="field">
                        <label for="phone">"手机号码"</label>
                        <input id="phone" name="phone" type="tel" autocomplete="tel" required inputmode="numeric"
                            maxlength="20" aria-describedby="phone-error"/>
                        <FieldMessage id="phone-error" message=field(ask_error, "phone")/>
                    </div>
                    <ErrorNotice error=non_field(ask_error)/>
                    <button type="submit" class=move || if sent().is_some() { "" } else { "primary" }
                        disabled=move || ask.pending().get() || wait.get().is_positive()>
                        {move || match (ask.pending().get(), wait.get(), sent().is_some()) {
                            (true, _, _) => "正在发送…".to_string(),
                            (_, w, _) if w > 0 => format!("{w}秒后可重新获取"),
                            (_, _, true) => "重新获取验证码".to_string(),
                            _ => "获取短信验证码".to_string(),
                        }}
                    </button>
                </ActionForm>
                <Show when=move || sent().is_some()>
                    <p class="notice" role="status">
                        "如果您填写的信息与工会登记一致，验证码已发送到该手机，5分钟内有效。"
                        {move || sent().filter(|a| a.demo).map(|_| view! {
                            <strong>" 演示环境：未接短信网关，验证码记录在服务器日志中。"</strong>
                        })}
                    </p>
                    <ActionForm action=sign_in attr:class="form" attr:novalidate=true>
                        <div class="field">
                            <label for="code">"短信验证码"</label>
                            <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                                maxlength="6" required aria-describedby="code-error"/>
                            <FieldMessage id="code-error" message=field(sign_error, "code")/>
                        </div>
                        <ErrorNotice error=non_field(sign_error)/>
                        <button type="submit" class="primary" disabled=move || sign_in.pending().get()>
                            {move || if sign_in.pending().get() { "正在登录…" } else { "登录" }}
                        </button>
                    </ActionForm>
                </Show>
                <p class="hint">"信息与工会登记不一致时收不到验证码，请联系所在工会核对。工会、银行工作人员请从"<a href="/login">"工作人员登录"</a>"进入。"</p>
            </section>
        </PublicFrame>
    }
}
