//! 账号管理: open, reset, disable and enable the accounts of the unions below.

use leptos::prelude::*;

use crate::{
    api::accounts::{list_accounts, parent_options, CreateAccount, Credentials, ResetPassword, SetAccountDisabled},
    components::{ErrorNotice, FieldMessage, FormFields, Pager, Portal, ServerForm, TableRegion},
    domain::{ids::UnionId, last_login_label, role::Role},
    pages::act::Act,
};

/// What an account's row offers: 重置密码 and 停用 each ask once more, saying what follows (the
/// old password stops working at once; the union cannot sign in), 启用 does not.
#[component]
fn RowActions(username: String, disabled: bool, reset: Callback<()>, set_disabled: Callback<()>) -> impl IntoView {
    // which of the two is being confirmed
    let asking = RwSignal::new(None::<bool>);
    let (reset_label, toggle_label) =
        (format!("重置 {username} 的密码"), format!("{} {username}", if disabled { "启用" } else { "停用" }));
    move || {
        match asking.get() {
        None => view! {
            <button type="button" aria-label=reset_label.clone() on:click=move |_| asking.set(Some(true))>"重置密码"</button>
            <button type="button" aria-label=toggle_label.clone() on:click=move |_| {
                if disabled { set_disabled.run(()) } else { asking.set(Some(false)) }
            }>{if disabled { "启用" } else { "停用" }}</button>
        }
        .into_any(),
        Some(is_reset) => {
            let question = if is_reset {
                format!("确定重置 {username} 的密码吗？原密码立即失效，新密码只显示一次。")
            } else {
                format!("确定停用 {username} 吗？停用后该账号不能登录，可再启用。")
            };
            view! {
                <p class="confirm" role="alert">{question}</p>
                <button type="button" class="primary" on:click=move |_| {
                    asking.set(None);
                    if is_reset { reset.run(()) } else { set_disabled.run(()) }
                }>{if is_reset { "确定重置" } else { "确定停用" }}</button>
                <button type="button" on:click=move |_| asking.set(None)>"取消"</button>
            }
            .into_any()
        }
    }
    }
}

#[component]
fn CredentialsBox(creds: Credentials, #[prop(into)] heading: String) -> impl IntoView {
    view! {
        <div class="credentials" role="status">
            <h3>{heading}</h3>
            <p>"请将账号和初始密码告知"<strong>{creds.union_name}</strong>"。初始密码只显示这一次，对方首次登录时须修改。"</p>
            <dl>
                <dt>"账号"</dt><dd><code class="username">{creds.username}</code></dd>
                <dt>"初始密码"</dt><dd><code class="initial-password">{creds.initial_password}</code></dd>
            </dl>
        </div>
    }
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    view! {
        <Portal role=Role::Supervisor title="账号管理">
            <AccountsIsland/>
        </Portal>
    }
}

#[island]
fn AccountsIsland() -> impl IntoView {
    let create = Act::<CreateAccount>::new();
    let reset = Act::<ResetPassword>::new();
    let disable = Act::<SetAccountDisabled>::new();
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1i64);
    let list = crate::wire::resource(
        move || (search.get(), page.get(), create.version().get(), reset.version().get(), disable.version().get()),
        |(q, p, ..)| list_accounts(q, p),
    );
    let parents = crate::wire::resource(move || create.version().get(), |_| parent_options());
    let parent_sel = RwSignal::new(String::new());
    let create_error = create.error();
    let field = move |f: &'static str| Signal::derive(move || create_error.get().and_then(|e| e.field_message(f)));

    view! {
        <h1>"账号管理"</h1>
        <section class="card" aria-labelledby="create-heading">
            <h2 id="create-heading">"开设下级工会账号"</h2>
            <ServerForm action=create.address() class="form grid"
                submit=Callback::new(move |f: FormFields| {
                    create.dispatch(CreateAccount {
                        // the choices are the server's own ids; 0 is no union, which it refuses
                        parent_id: UnionId(f.get("parent_id").parse().unwrap_or(0)),
                        level: f.get("level"),
                        union_name: f.get("union_name"),
                        username: f.get("username"),
                    });
                })>
                <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                    {move || Suspend::new(async move {
                        let opts = parents.await.unwrap_or_default();
                        if parent_sel.get_untracked().is_empty() {
                            if let Some(first) = opts.first() {
                                parent_sel.set(first.id.to_string());
                            }
                        }
                        let levels_opts = opts.clone();
                        let levels = move || {
                            let sel = parent_sel.get();
                            levels_opts
                                .iter()
                                .find(|o| o.id.to_string() == sel)
                                .map(|o| o.child_levels.clone())
                                .unwrap_or_default()
                        };
                        view! {
                            <div class="field">
                                <label for="parent_id">"上级工会"</label>
                                <select id="parent_id" name="parent_id" on:change=move |ev| parent_sel.set(event_target_value(&ev))
                                    prop:value=move || parent_sel.get()>
                                    {opts.iter().map(|o| view! {
                                        <option value=o.id.to_string()>{format!("{}（{}）", o.name, o.level.label())}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="level">"开设类型"</label>
                                <select id="level" name="level" aria-describedby="level-error">
                                    {move || levels().into_iter().map(|l| view! {
                                        <option value=l.as_str()>{format!("{}（{}账号）", l.label(), l.account_role().label())}</option>
                                    }).collect_view()}
                                </select>
                                <FieldMessage id="level-error" message=field("level")/>
                            </div>
                        }
                    })}
                </Suspense>
                <div class="field">
                    <label for="union_name">"工会全称"</label>
                    <input id="union_name" name="union_name" type="text" required
                        placeholder="如：深圳市某某有限公司工会委员会" aria-describedby="union_name-error"/>
                    <FieldMessage id="union_name-error" message=field("union_name")/>
                </div>
                <div class="field">
                    <label for="new_username">"登录账号"</label>
                    <input id="new_username" name="username" type="text" required autocomplete="off"
                        aria-describedby="username-rule username-error"/>
                    <p class="hint" id="username-rule">"4至32位字母、数字或 _ - . 符号。"</p>
                    <FieldMessage id="username-error" message=field("username")/>
                </div>
                <ErrorNotice error=create_error/>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || create.pending().get()>"开设账号"</button>
                </div>
            </ServerForm>
            {move || create.value().get().and_then(|r| r.ok()).map(|c| view! { <CredentialsBox creds=c heading="账号已开设"/> })}
        </section>

        <section class="card" aria-labelledby="list-heading">
            <h2 id="list-heading">"下级账号"</h2>
            <div class="field search">
                <label for="account-search">"搜索账号或工会名称"</label>
                <input id="account-search" type="search" prop:value=move || search.get()
                    on:change=move |ev| { search.set(event_target_value(&ev)); page.set(1); }/>
            </div>
            {move || reset.value().get().map(|r| match r {
                Ok(c) => view! { <CredentialsBox creds=c heading="密码已重置"/> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <ErrorNotice error=disable.error()/>
            <Transition fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(p) if p.items.is_empty() => view! { <p class="empty">"没有符合条件的账号。"</p> }.into_any(),
                        Ok(p) => view! {
                            <TableRegion label="账号列表">
                                <table class="stack">
                                    <thead><tr>
                                        <th scope="col">"账号"</th><th scope="col">"工会名称"</th><th scope="col">"类型"</th>
                                        <th scope="col">"状态"</th><th scope="col">"最近登录"</th><th scope="col">"操作"</th>
                                    </tr></thead>
                                    <tbody>
                                        {p.items.iter().map(|a| {
                                            let id = a.id;
                                            let disabled = a.disabled;
                                            let status = if a.disabled { "已停用" } else if a.pending_activation { "待激活" } else { "正常" };
                                            view! {
                                                <tr>
                                                    <td class="title">{a.username.clone()}</td>
                                                    <td data-label="工会名称">{a.union_name.clone()}</td>
                                                    <td data-label="类型">{a.level.label()}</td>
                                                    <td data-label="状态"><span class=format!("badge {}", if disabled { "off" } else if a.pending_activation { "wait" } else { "ok" })>{status}</span></td>
                                                    <td data-label="最近登录">{last_login_label(a.last_login_at)}</td>
                                                    <td class="row-actions">
                                                        <RowActions username=a.username.clone() disabled=disabled
                                                            reset=Callback::new(move |_| { reset.dispatch(ResetPassword { user_id: id }); })
                                                            set_disabled=Callback::new(move |_| {
                                                                disable.dispatch(SetAccountDisabled { user_id: id, disabled: !disabled });
                                                            })/>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                            <Pager page=p.page total=p.total page_size=p.page_size on_page=Callback::new(move |n| page.set(n))/>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
