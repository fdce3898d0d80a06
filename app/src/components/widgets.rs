use leptos::prelude::*;

use crate::{api::cards::StateCount, error::AppError};

/// The message of a failed server call, announced to screen readers.
#[component]
pub fn ErrorNotice(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            // field errors stand under their fields; this is the summary
            let text = match &e {
                AppError::Invalid { errors } if errors.len() > 1 => {
                    format!("有{}处填写有误，请按提示修改。", errors.len())
                }
                e => e.to_string(),
            };
            view! { <p class="error" role="alert">{text}</p> }
        })
    }
}

/// A form that a server function answers. With the page's script, submitting it calls `submit`
/// with the form's fields, which dispatches the island's action in place; before the script has
/// run, or without it, the browser posts the same fields to `action` (the server function's
/// address) itself. Leptos' `ActionForm` does the same but reads the fields back into each
/// server function's arguments with `serde_qs`, compiled into the wasm once per form.
#[component]
pub fn ServerForm(
    /// The server function's address (`Act::address`).
    action: &'static str,
    #[prop(into)] class: String,
    submit: Callback<FormFields>,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="post" action=action class=class novalidate=true
            on:submit=move |ev| {
                ev.prevent_default();
                submit.run(FormFields::of(&ev));
            }>
            {children()}
        </form>
    }
}

/// The fields of a submitted form, read by name.
pub struct FormFields(Option<leptos::web_sys::FormData>);

impl FormFields {
    fn of(ev: &leptos::ev::SubmitEvent) -> Self {
        use leptos::wasm_bindgen::JsCast;
        let form = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok());
        FormFields(form.and_then(|f| leptos::web_sys::FormData::new_with_form(&f).ok()))
    }

    /// The value of the field named `name` ("" when there is none).
    pub fn get(&self, name: &str) -> String {
        self.0.as_ref().and_then(|d| d.get(name).as_string()).unwrap_or_default()
    }
}

/// The message under one form field, from the server's answer or the browser's own check.
#[component]
pub fn FieldMessage(#[prop(into)] id: String, #[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || message.get().map(|m| view! { <p class="field-error" id=id.clone() role="alert">{m}</p> })
}

#[component]
pub fn StateCounts(counts: Vec<StateCount>) -> impl IntoView {
    view! {
        <ul class="state-counts">
            {counts
                .into_iter()
                .map(|c| view! {
                    <li class=format!("state state-{}", c.state.as_str())>
                        <span class="count">{c.count}</span>
                        <span class="label">{c.state.label()}</span>
                    </li>
                })
                .collect_view()}
        </ul>
    }
}

/// Previous / next for a paged list; `label` names it where a page has more than one (分页).
#[component]
pub fn Pager(
    page: i64,
    total: i64,
    page_size: i64,
    on_page: Callback<i64>,
    #[prop(optional)] label: Option<&'static str>,
) -> impl IntoView {
    let (pages, status) = pager_status(page, total, page_size);
    view! {
        <nav class="pager" aria-label=label.unwrap_or("分页")>
            <button type="button" disabled={page <= 1} on:click=move |_| on_page.run(page - 1)>"上一页"</button>
            <span>{status}</span>
            <button type="button" disabled={page >= pages} on:click=move |_| on_page.run(page + 1)>"下一页"</button>
        </nav>
    }
}

/// How many pages `total` rows make, and the pager's "第 n / m 页，共 t 条".
fn pager_status(page: i64, total: i64, page_size: i64) -> (i64, String) {
    let pages = ((total + page_size - 1) / page_size).max(1);
    (pages, format!("第 {page} / {pages} 页，共 {total} 条"))
}

/// Previous / next as links (`href(page)`), for a page sent without scripts: the same look as
/// `Pager`; at either end the step is shown but not a link.
#[component]
pub fn PagerLinks(
    page: i64,
    total: i64,
    page_size: i64,
    href: impl Fn(i64) -> String,
    label: &'static str,
) -> impl IntoView {
    let (pages, status) = pager_status(page, total, page_size);
    let step = |to: i64, enabled: bool, text: &'static str| {
        if enabled {
            view! { <a href=href(to)>{text}</a> }.into_any()
        } else {
            view! { <span class="pager-end" aria-disabled="true">{text}</span> }.into_any()
        }
    };
    view! {
        <nav class="pager" aria-label=label>
            // from past the last page (a list that shrank), 上一页 goes to the last one
            {step((page - 1).min(pages), page > 1, "上一页")}
            <span>{status}</span>
            {step(page.saturating_add(1), page < pages, "下一页")}
        </nav>
    }
}

/// A table that scrolls sideways on a phone: focusable, so the keyboard can scroll it too.
#[component]
pub fn TableRegion(#[prop(into)] label: String, children: Children) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" aria-label=label tabindex="0">{children()}</div>
    }
}
