//! 帮助中心: the operation manual, the FAQ of import errors and the hotlines, for everyone
//! (signed in or not). The pages load no script (`script_free_path`).

use leptos::prelude::*;

use crate::{
    api::help::{get_hotlines, get_manual, ManualBlock},
    components::PublicFrame,
    domain::faq::FAQ,
};

/// The help centre's own links, on each of its pages.
#[component]
fn HelpNav() -> impl IntoView {
    view! {
        <nav class="help-nav" aria-label="帮助中心">
            <a href="/help">"帮助中心"</a>
            <a href="/help/manual">"操作手册"</a>
            <a href="/help/faq">"常见问题"</a>
            <a href="/">"返回系统"</a>
        </nav>
    }
}

#[component]
pub fn HelpPage() -> impl IntoView {
    let hotlines = crate::wire::resource(|| (), |_| get_hotlines());
    view! {
        <leptos_meta::Title text="帮助中心 - 会员服务卡"/>
        <PublicFrame>
            <HelpNav/>
            <h1>"帮助中心"</h1>
            <ul class="help-links">
                <li><a href="/help/manual">"操作手册"</a>"：工会会员信息采集及服务卡办理业务操作指引。"</li>
                <li><a href="/help/faq">"信息采集常见问题汇总"</a>"：导入会员时的错误提示、原因和解决方法。"</li>
            </ul>
            <h2 id="hotlines">"服务热线"</h2>
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match hotlines.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(lines) => view! {
                            <dl class="hotlines">
                                {lines.into_iter().map(|l| view! { <dt>{l.label}</dt><dd>{l.number}</dd> }).collect_view()}
                            </dl>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </PublicFrame>
    }
}

#[component]
pub fn ManualPage() -> impl IntoView {
    let manual = crate::wire::resource(|| (), |_| get_manual());
    view! {
        <leptos_meta::Title text="操作手册 - 会员服务卡"/>
        <PublicFrame>
            <HelpNav/>
            <h1>"操作手册"</h1>
            <p class="subtitle">"工会会员信息采集及服务卡办理业务操作指引（基层工会使用）"</p>
            <Suspense fallback=|| view! { <p role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match manual.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(blocks) => blocks.into_iter().map(|b| match b {
                            ManualBlock::Section(t) => view! { <h2>{t}</h2> }.into_any(),
                            ManualBlock::Subsection(t) => view! { <h3>{t}</h3> }.into_any(),
                            ManualBlock::Paragraph(t) => view! { <p>{t}</p> }.into_any(),
                        }).collect_view().into_any(),
                    }
                })}
            </Suspense>
        </PublicFrame>
    }
}

#[component]
pub fn FaqPage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="常见问题 - 会员服务卡"/>
        <PublicFrame>
            <HelpNav/>
            <h1>"信息采集常见问题汇总"</h1>
            <p class="hint">"导入会员信息时，预览中的每条错误都可点开这里对应的条目。"</p>
            {FAQ.iter().map(|e| view! {
                <section class="faq-entry" id=e.slug aria-labelledby=format!("{}-title", e.slug)>
                    <h2 id=format!("{}-title", e.slug)>{e.message}</h2>
                    <p class="faq-kind">{format!("错误类型：{}", e.kind)}</p>
                    <h3>"原因"</h3>
                    <ol>{e.causes.iter().map(|c| view! { <li>{*c}</li> }).collect_view()}</ol>
                    <h3>"解决方法"</h3>
                    <ol>{e.remedies.iter().map(|r| view! { <li>{*r}</li> }).collect_view()}</ol>
                </section>
            }).collect_view()}
        </PublicFrame>
    }
}
