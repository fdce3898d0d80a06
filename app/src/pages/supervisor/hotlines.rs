//! 服务热线: the numbers the help centre lists. The city-level supervisor edits them; the
//! others see them as members and clerks will. Sent without scripts (`script_free_path`): 保存
//! is a plain form; a refusal comes back with every row as typed (kept in the session for the
//! page that follows, `get_hotlines_view`), a save with 已保存.

use leptos::prelude::*;

use crate::{
    api::help::{get_hotlines_view, SaveHotlines},
    components::{ErrorNotice, Portal},
    domain::{
        faq::{Hotline, MAX_HOTLINES},
        role::Role,
    },
    pages::action_error,
};

#[component]
pub fn HotlinesPage() -> impl IntoView {
    let save = ServerAction::<SaveHotlines>::new();
    let data = crate::wire::resource(|| (), |_| get_hotlines_view());
    view! {
        <Portal role=Role::Supervisor title="服务热线">
            <h1>"服务热线"</h1>
            <p class="intro">"帮助中心向基层工会、银行和会员列出的服务热线。"</p>
            <Transition fallback=|| view! { <p class="loading" role="status">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(v) if !v.editable => view! {
                            <section class="card" aria-labelledby="lines-heading">
                                <h2 id="lines-heading">"当前服务热线"</h2>
                                <dl class="hotlines">
                                    {v.lines.into_iter().map(|l| view! { <dt>{l.label}</dt><dd>{l.number}</dd> }).collect_view()}
                                </dl>
                                <p class="notice">"服务热线由深圳市总工会维护，您可以查看，不能修改。"</p>
                            </section>
                        }.into_any(),
                        Ok(v) => {
                            let saved = v.saved;
                            // the lines, and empty rows up to the most the help centre lists
                            let rows: Vec<Hotline> = v.lines.into_iter()
                                .chain(std::iter::repeat(Hotline::default()))
                                .take(MAX_HOTLINES)
                                .collect();
                            view! {
                                <section class="card" aria-labelledby="lines-heading">
                                    <h2 id="lines-heading">"修改服务热线"</h2>
                                    <p class="hint">{format!(
                                        "每行填写热线名称和号码，最多{MAX_HOTLINES}条；名称和号码都留空的行不保存。号码可填数字和“-”“、”“转”等符号。"
                                    )}</p>
                                    <ActionForm action=save attr:class="form hotline-form" attr:novalidate=true>
                                        <table class="stack hotline-rows">
                                            <thead><tr><th scope="col">"序号"</th><th scope="col">"热线名称"</th><th scope="col">"号码"</th></tr></thead>
                                            <tbody>
                                                {rows.into_iter().enumerate().map(|(i, l)| {
                                                    let n = i + 1;
                                                    view! {
                                                        <tr>
                                                            <td class="title">{n}</td>
                                                            <td data-label="热线名称">
                                                                <input type="text" name=format!("lines[{i}][label]") value=l.label
                                                                    maxlength="30" aria-label=format!("第{n}行 热线名称")/>
                                                            </td>
                                                            <td data-label="号码">
                                                                <input type="text" name=format!("lines[{i}][number]") value=l.number
                                                                    maxlength="40" inputmode="tel" aria-label=format!("第{n}行 号码")/>
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                        <ErrorNotice error=action_error(save)/>
                                        <div class="actions">
                                            <button type="submit" class="primary">"保存"</button>
                                        </div>
                                    </ActionForm>
                                    {saved.then(|| view! {
                                        <p class="success" role="status">"服务热线已保存，帮助中心即时显示。"</p>
                                    })}
                                </section>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </Portal>
    }
}
