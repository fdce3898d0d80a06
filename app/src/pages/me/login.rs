//! 会员登录: 证件号码 + 手机号码 as on record, then the 短信验证码 sent to that phone.
//!
//! The page loads no script (see `script_free_path`): both steps are plain forms. The step comes
//! from the session (`member_sign_in_step`), so after asking for a code the page comes back with
//! the code field (and, while that code may be typed, the ID number and phone it was sent for);
//! an error comes back beside its field.

use leptos::prelude::*;

use crate::{
    api::member_portal::{member_sign_in_step, MemberSignIn, RequestMemberCode, SignInStep},
    components::{ErrorNotice, FieldMessage, PublicFrame},
    error::AppError,
    pages::action_error,
};

#[component]
fn SignInForms(
    step: SignInStep,
    ask: ServerAction<RequestMemberCode>,
    sign_in: ServerAction<MemberSignIn>,
) -> impl IntoView {
    let ask_error = action_error(ask);
    let sign_error = action_error(sign_in);
    let field = |error: Signal<Option<AppError>>, f: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.field_message(f)))
    };
    let non_field = |error: Signal<Option<AppError>>| {
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Invalid { .. })))
    };
    let SignInStep { id_number, phone, code_sent, demo, resend_after } = step;
    let ask_label = if code_sent { "重新获取验证码" } else { "获取短信验证码" };
    view! {
        <ActionForm action=ask attr:class="form" attr:novalidate=true>
            <div class="field">
                <label for="id_number">"证件号码"</label>
                <input id="id_number" name="id_number" type="text" autocomplete="off" required
                    inputmode="text" maxlength="40" aria-describedby="id_number-error" value=id_number/>
                <FieldMessage id="id_number-error" message=field(ask_error, "id_number")/>
            </div>
            <div class="field">
                <label for="phone">"手机号码"</label>
                <input id="phone" name="phone" type="tel" autocomplete="tel" required inputmode="numeric"
                    maxlength="20" aria-describedby="phone-error" value=phone/>
                <FieldMessage id="phone-error" message=field(ask_error, "phone")/>
            </div>
            <ErrorNotice error=non_field(ask_error)/>
            // the code's own errors, once no code may be typed any more (used up, expired,
            // locked): the code field is gone, its answer is not
            {(!code_sent).then(|| view! { <ErrorNotice error=sign_error/> })}
            <button type="submit" class:primary=!code_sent disabled=move || ask.pending().get()>
                {move || if ask.pending().get() { "正在发送…" } else { ask_label }}
            </button>
        </ActionForm>
        {code_sent.then(|| view! {
            <p class="notice" role="status">
                "如果您填写的信息与工会登记一致，验证码已发送到该手机，5分钟内有效。"
                {(resend_after > 0).then(|| format!("如未收到，{resend_after}秒后可重新获取。"))}
                {demo.then(|| view! {
                    <strong>" 演示环境：未接短信网关，验证码记录在服务器日志中。"</strong>
                })}
            </p>
            <ActionForm action=sign_in attr:class="form" attr:novalidate=true>
                <div class="field">
                    <label for="code">"短信验证码"</label>
                    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                        maxlength="6" required aria-describedby="code-error"
                    autofocus=ask_error.get_untracked().is_none()/>
                    <FieldMessage id="code-error" message=field(sign_error, "code")/>
                </div>
                <ErrorNotice error=non_field(sign_error)/>
                <button type="submit" class="primary" disabled=move || sign_in.pending().get()>
                    {move || if sign_in.pending().get() { "正在登录…" } else { "登录" }}
                </button>
            </ActionForm>
        })}
    }
}

#[component]
pub fn MemberLoginPage() -> impl IntoView {
    let ask = ServerAction::<RequestMemberCode>::new();
    let sign_in = ServerAction::<MemberSignIn>::new();
    let step = crate::wire::resource(move || (ask.version().get(), sign_in.version().get()), |_| member_sign_in_step());
    view! {
        <leptos_meta::Title text="会员登录 - 会员服务卡"/>
        <PublicFrame>
            <section class="card login-card">
                <h1>"会员登录"</h1>
                <p class="hint">"请输入工会登记的证件号码和手机号码，我们将向该手机发送短信验证码。"</p>
                // a Transition: in a hydrated visit the forms stay while the step reloads
                <Transition fallback=|| view! { <p role="status">"正在加载…"</p> }>
                    {move || Suspend::new(async move {
                        match step.await {
                            Ok(step) => view! { <SignInForms step ask sign_in/> }.into_any(),
                            Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Transition>
                <p class="hint">"信息与工会登记不一致时收不到验证码，请联系所在工会核对。工会、银行工作人员请从"<a href="/login">"工作人员登录"</a>"进入。"</p>
                <p class="hint"><a href="/help">"帮助中心"</a>"：操作手册、常见问题、服务热线（工会热线12351）。"</p>
            </section>
        </PublicFrame>
    }
}
