//! 会员管理 → 会员信息 → 导入会员: download the template, upload with a progress bar, see every
//! error with its fix, download the marked-up file, commit when clean.

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
use crate::error::AppError;
use crate::{
    api::imports::{CommitImport, ImportPreview},
    components::{Portal, TableRegion},
    domain::role::Role,
    pages::act::Act,
};

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Upload {
    Idle,
    Sending { percent: u32 },
    Checking,
    Done(ImportPreview),
    Failed(String),
}

/// Sends the chosen file as the request body and reports progress. Browser only.
#[cfg(feature = "hydrate")]
fn send(file: web_sys::File, state: RwSignal<Upload>) {
    use crate::wire::WireEncoding;
    use leptos::server_fn::Decodes;
    use wasm_bindgen::{closure::Closure, JsCast};
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        state.set(Upload::Failed("浏览器不支持文件上传，请更换浏览器。".into()));
        return;
    };
    let name = crate::domain::percent_encode(&file.name());
    if xhr.open("POST", &format!("/api/import/upload?name={name}")).is_err() {
        state.set(Upload::Failed("无法开始上传，请刷新页面后重试。".into()));
        return;
    }
    xhr.set_response_type(web_sys::XmlHttpRequestResponseType::Arraybuffer);
    let progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            let percent = (e.loaded() / e.total() * 100.0).round() as u32;
            state.set(if percent >= 100 { Upload::Checking } else { Upload::Sending { percent } });
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    progress.forget();
    let done_xhr = xhr.clone();
    let done = Closure::<dyn FnMut()>::new(move || {
        // answered in the server functions' encoding (`crate::wire`): the preview or the refusal
        let bytes = done_xhr.response().map(|b| js_sys::Uint8Array::new(&b).to_vec()).unwrap_or_default();
        let status = done_xhr.status().unwrap_or(0);
        if status == 200 {
            match <WireEncoding as Decodes<ImportPreview>>::decode(bytes.into()) {
                Ok(p) => state.set(Upload::Done(p)),
                Err(_) => state.set(Upload::Failed(AppError::Request.to_string())),
            }
        } else {
            let message =
                <WireEncoding as Decodes<AppError>>::decode(bytes.into()).map(|e| e.to_string()).unwrap_or_else(|_| {
                    if status == 413 {
                        "文件太大：单个文件不能超过30MB。".into()
                    } else {
                        AppError::Request.to_string()
                    }
                });
            state.set(Upload::Failed(message));
        }
    });
    xhr.set_onloadend(Some(done.as_ref().unchecked_ref()));
    done.forget();
    state.set(Upload::Sending { percent: 0 });
    if xhr.send_with_opt_blob(Some(&file)).is_err() {
        state.set(Upload::Failed("上传失败，请检查网络后重试。".into()));
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    view! {
        <Portal role=Role::Union title="导入会员">
            <UnionImportIsland/>
        </Portal>
    }
}

#[island]
fn UnionImportIsland() -> impl IntoView {
    let state = RwSignal::new(Upload::Idle);
    let commit = Act::<CommitImport>::new();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let file = file_input.get().and_then(|i| i.files()).and_then(|f| f.get(0));
            match file {
                Some(f) if !f.name().to_lowercase().ends_with(".xlsx") => state.set(Upload::Failed(
                    "只能导入 .xlsx 文件。请在 Excel 或 WPS 中“另存为” Excel 工作簿（*.xlsx）后再导入。".into(),
                )),
                Some(f) => send(f, state),
                None => state.set(Upload::Failed("请先选择要导入的会员信息采集表。".into())),
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = file_input;
    };
    // The committed result replaces the preview.
    let shown = move || match commit.value().get() {
        Some(Ok(p)) => Some(Ok(p)),
        Some(Err(e)) => Some(Err(e.to_string())),
        None => match state.get() {
            Upload::Done(p) => Some(Ok(p)),
            _ => None,
        },
    };
    view! {
        <h1>"导入会员"</h1>
        <section class="card" aria-labelledby="step1">
            <h2 id="step1">"第一步：下载会员模板"</h2>
            <p>"模板已填好本工会的登记名称（B3单元格）。请勿修改、删减表头（第1至4行）；证件号码和手机号码列已设为文本格式。"</p>
            <a class="button" href="/union/template.xlsx" download>"下载会员模板"</a>
        </section>
        <section class="card" aria-labelledby="step2">
            <h2 id="step2">"第二步：上传填好的采集表"</h2>
            <form class="form" on:submit=on_submit>
                <div class="field">
                    <label for="import-file">"会员信息采集表（.xlsx）"</label>
                    <input id="import-file" type="file" node_ref=file_input
                        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>
                    <p class="hint">"上传后系统会先检查全部内容，确认无误后才会导入；有错误时不会导入任何会员。"</p>
                </div>
                <div class="actions">
                    <button type="submit" class="primary"
                        disabled=move || matches!(state.get(), Upload::Sending { .. } | Upload::Checking)>"上传并检查"</button>
                </div>
            </form>
            {move || match state.get() {
                Upload::Sending { percent } => Some(view! {
                    <div class="progress-wrap" role="status">
                        <label for="upload-progress">{format!("正在上传 {percent}%")}</label>
                        <progress id="upload-progress" max="100" value=percent></progress>
                    </div>
                }.into_any()),
                Upload::Checking => Some(view! {
                    <div class="progress-wrap" role="status">
                        <label for="upload-progress">"上传完成，正在逐项检查…"</label>
                        <progress id="upload-progress"></progress>
                    </div>
                }.into_any()),
                Upload::Failed(m) => Some(view! { <p class="error" role="alert">{m}</p> }.into_any()),
                _ => None,
            }}
        </section>
        {move || shown().map(|r| match r {
            Err(m) => view! { <p class="error" role="alert">{m}</p> }.into_any(),
            Ok(p) => view! { <PreviewView preview=p commit=commit/> }.into_any(),
        })}
    }
}

#[component]
fn PreviewView(preview: ImportPreview, commit: Act<CommitImport>) -> impl IntoView {
    let id = preview.import_id.clone();
    let can_commit = preview.can_commit();
    let errors = preview.issue_count;
    let report_href = format!("/union/imports/{}/report.xlsx", preview.import_id);
    view! {
        <section class="card" aria-labelledby="step3">
            <h2 id="step3">"第三步：检查结果"</h2>
            <p class="hint">{format!("文件：{}", preview.file_name)}</p>
            <ul class="summary">
                <li>{format!("读取会员 {} 行", preview.rows)}</li>
                <li>{format!("无误 {} 行", preview.ok_rows)}</li>
                <li class={if errors > 0 { "bad" } else { "" }}>{format!("错误 {errors} 处")}</li>
            </ul>
            {(!preview.normalised.is_empty()).then(|| view! {
                <p class="notice">"系统已自动规范："
                    {preview.normalised.iter().map(|n| format!("{} {} 处", n.kind.label(), n.count)).collect::<Vec<_>>().join("；")}
                    "。"</p>
            })}
            {match preview.imported {
                Some(n) => view! {
                    <p class="success" role="status">{format!("导入成功：已新增 {n} 名会员，办卡状态为“未办卡—待办卡”。")}</p>
                    <a href="/union/members">"查看会员信息"</a>
                }.into_any(),
                None if errors > 0 => view! {
                    <p class="error" role="alert">{format!("发现 {errors} 处错误，未导入任何会员。请按下表修改后重新上传；也可以下载标出错误的采集表，在原表上修改。")}</p>
                    <p><a class="button" href=report_href download>"下载错误报告（标出错误的采集表）"</a></p>
                    <IssueTable preview=preview.clone()/>
                }.into_any(),
                None if preview.rows == 0 => view! {
                    <p class="error" role="alert">"采集表中没有会员信息：会员从第5行开始填写。"</p>
                }.into_any(),
                None => view! {
                    <p class="success">"全部内容检查通过，可以导入。"</p>
                    <div class="actions">
                        <button type="button" class="primary" disabled=move || !can_commit || commit.pending().get()
                            on:click=move |_| { commit.dispatch(CommitImport { import_id: id.clone() }); }>
                            {move || if commit.pending().get() { "正在导入…" } else { "确认导入" }}
                        </button>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// The errors sent with the preview (the first `SENT_ISSUES`); the downloadable report has the
/// rest, and the page stays fast.
#[component]
fn IssueTable(preview: ImportPreview) -> impl IntoView {
    let more = preview.issue_count.saturating_sub(preview.issues.len());
    view! {
        <TableRegion label="错误明细">
            <table class="stack issues">
                <caption class="visually-hidden">"错误明细"</caption>
                <thead><tr>
                    <th scope="col">"行"</th><th scope="col">"列"</th><th scope="col">"项目"</th>
                    <th scope="col">"错误内容"</th><th scope="col">"解决方法"</th>
                </tr></thead>
                <tbody>
                    {preview.issues.into_iter().map(|i| view! {
                        <tr>
                            <td class="at-row">{i.row.map(|r| r.to_string()).unwrap_or_default()}</td>
                            <td class="at-column">{i.column.unwrap_or_default()}</td>
                            <td class="field-name">{i.field}</td>
                            <td class="message">{i.message}</td>
                            <td class="hint-cell">{i.hint}
                                {crate::domain::faq::entry_for(&i.code).map(|e| view! {
                                    " "<a class="faq-link" href=format!("/help/faq#{}", e.slug) target="_blank" rel="noopener">
                                        "查看常见问题（新窗口）"</a>
                                })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
        {(more > 0).then(|| view! { <p class="hint">{format!("另有 {more} 处错误未列出，请下载错误报告查看全部。")}</p> })}
    }
}
