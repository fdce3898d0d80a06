use leptos::prelude::*;
use leptos_router::components::{Redirect, A};

use crate::{
    api::auth::{who_am_i, Logout, Me},
    domain::role::Role,
};

fn nav_links(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::Supervisor => &[
            ("/supervisor", "工作概览"),
            ("/supervisor/accounts", "账号管理"),
            ("/supervisor/calendar", "节假日日历"),
            ("/supervisor/audit", "操作日志"),
            ("/supervisor/hotlines", "服务热线"),
            ("/help", "帮助中心"),
        ],
        Role::Union => &[
            ("/union", "首页"),
            ("/union/info", "单位信息"),
            ("/union/members", "会员管理"),
            ("/union/cards", "会员服务卡"),
            ("/union/feedback", "会员反馈"),
            ("/help", "帮助中心"),
        ],
        Role::Bank => &[
            ("/bank", "工作台"),
            ("/bank/batches", "审核批次"),
            ("/bank/deliveries", "送卡上门"),
            ("/bank/cards", "激活与重新制卡"),
            ("/bank/tokens", "接口令牌"),
            ("/help", "帮助中心"),
        ],
        Role::Member => &[("/me", "我的会员卡"), ("/help", "帮助中心")],
    }
}

/// The frame of a signed-in page. It sends a visitor who is not signed in to the login page,
/// and one still on an initial password to the password change; the server functions check
/// again on their own.
#[component]
pub fn Portal(role: Role, title: &'static str, children: ChildrenFn) -> impl IntoView {
    let user = crate::wire::resource(|| (), |_| who_am_i());
    let children = StoredValue::new(children);
    view! {
        <leptos_meta::Title text=format!("{title} - 会员服务卡")/>
        <Suspense fallback=|| view! { <p class="loading" role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(None) => {
                        let to = if role == Role::Member { "/me/login" } else { "/login" };
                        view! { <Redirect path=to/> }.into_any()
                    }
                    Ok(Some(m)) if m.must_change_password => {
                        view! { <Redirect path="/change-password"/> }.into_any()
                    }
                    Ok(Some(m)) if m.role != role => view! {
                        <PortalFrame me=m.clone()>
                            <h1>"无权访问"</h1>
                            <p>"此页面不属于您的账号类型。"</p>
                            <A href=m.role.home()>"返回我的首页"</A>
                        </PortalFrame>
                    }
                    .into_any(),
                    Ok(Some(m)) => view! {
                        <PortalFrame me=m>{children.with_value(|c| c())}</PortalFrame>
                    }
                    .into_any(),
                    Err(e) => view! {
                        <PublicFrame>
                            <p class="error" role="alert">{e.to_string()}</p>
                        </PublicFrame>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PortalFrame(me: Me, children: Children) -> impl IntoView {
    let who = match me.role {
        // a member's account name is internal (member:…): their own name says who is signed in
        Role::Member => me.display_name.clone(),
        _ => format!("{} · {}", me.union_name.clone().unwrap_or_else(|| me.display_name.clone()), me.username),
    };
    view! {
        <a class="skip-link" href="#main">"跳到正文"</a>
        <header class="topbar">
            <div class="brand">
                <span class="brand-name">"会员服务卡"</span>
                <span class="portal-name">{me.role.portal()}</span>
            </div>
            <nav aria-label="主导航">
                <ul>
                    {nav_links(me.role)
                        .iter()
                        .map(|(href, label)| view! { <li><A href=*href exact=true>{*label}</A></li> })
                        .collect_view()}
                </ul>
            </nav>
            <div class="account">
                <span class="who">{who}</span>
                // members sign in with a code sent to their phone: no password to change
                {(me.role != Role::Member).then(|| view! { <a class="account-link" href="/change-password">"修改密码"</a> })}
                // a plain form, also on pages that hydrate: the browser posts it and follows the
                // server's redirect to the sign-in page, which is sent without scripts
                <form method="post" action={<Logout as leptos::server_fn::ServerFn>::url()} class="inline">
                    <button type="submit" class="link-button">"退出登录"</button>
                </form>
            </div>
        </header>
        <main id="main" class="content">{children()}</main>
    }
}

/// The frame of the pages before login.
#[component]
pub fn PublicFrame(children: Children) -> impl IntoView {
    view! {
        <header class="topbar public">
            <div class="brand">
                <span class="brand-name">"会员服务卡"</span>
                <span class="portal-name">"深圳市总工会 · 中国银行"</span>
            </div>
        </header>
        <main id="main" class="content narrow">{children()}</main>
    }
}
