//! 节假日日历: the statutory holidays and adjusted working days that deadlines are counted with.
//! The city-level supervisor edits it (a day at a time, a new year, then publishing that year);
//! a district supervisor reads it. The page says which years have data and tries out a deadline.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    api::calendar::{
        calendar_due, get_calendar, AddCalendarYear, CalendarDay, CalendarView, CalendarYear, DueDate,
        PublishCalendarYear, RemoveCalendarDay, SetCalendarDay, NAME_MAX_CHARS,
    },
    components::{ErrorNotice, FieldMessage, Portal, ServerForm, TableRegion},
    domain::{
        calendar::{DayKind, SpecialDay, DISTRIBUTION_WORKING_DAYS},
        format_time,
        role::Role,
    },
    error::AppError,
    pages::act::Act,
};

/// The page's edits; each refreshes the calendar and the deadline tried out.
#[derive(Clone, Copy)]
struct Edits {
    set_day: Act<SetCalendarDay>,
    remove_day: Act<RemoveCalendarDay>,
    add_year: Act<AddCalendarYear>,
    publish: Act<PublishCalendarYear>,
    /// The last removal, added year or publication: what it did, or why it was refused.
    notice: RwSignal<Option<Result<String, AppError>>>,
    /// The year shown (`None`: the current one), as the address names it.
    shown: RwSignal<Option<i32>>,
}

impl Edits {
    /// Shows `year` in place (what was typed and tried out stays) and names it in the address, a
    /// new entry in the browser's history when the supervisor chose it (Back shows the year
    /// before), the same entry when the page moved there itself.
    fn show(&self, year: i32, new_entry: bool) {
        let to = format!("/supervisor/calendar?year={year}");
        if let Ok(history) = window().history() {
            let none = leptos::wasm_bindgen::JsValue::NULL;
            let _ = if new_entry {
                history.push_state_with_url(&none, "", Some(&to))
            } else {
                history.replace_state_with_url(&none, "", Some(&to))
            };
        }
        self.shown.set(Some(year));
    }
}

impl Edits {
    fn version(&self) -> usize {
        self.set_day.version().get()
            + self.remove_day.version().get()
            + self.add_year.version().get()
            + self.publish.version().get()
    }
}

/// The edit form's fields, filled by a row's 修改 button. They live with the page, so what was
/// typed stays when the calendar is read again after an edit (or a refused one).
#[derive(Clone, Copy)]
struct DayFields {
    input: RwSignal<DayInput>,
    /// What the form held when the server last refused it: its messages stand only while the
    /// form still holds that.
    refused: RwSignal<Option<DayInput>>,
    date_input: NodeRef<leptos::html::Input>,
}

#[derive(Debug, Clone, PartialEq)]
struct DayInput {
    date: String,
    kind: String,
    name: String,
}

impl DayInput {
    /// Whether this is what `day` was saved from.
    fn is(&self, day: &SpecialDay) -> bool {
        self.date == day.date.to_string() && self.kind == day.kind.as_str() && self.name.trim() == day.name
    }
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let year = use_query_map().read_untracked().get("year").and_then(|s| s.parse::<i32>().ok());
    view! {
        <Portal role=Role::Supervisor title="节假日日历">
            <CalendarIsland year=year/>
        </Portal>
    }
}

#[island]
fn CalendarIsland(year: Option<i32>) -> impl IntoView {
    let edits = Edits {
        set_day: Act::new(),
        remove_day: Act::new(),
        add_year: Act::new(),
        publish: Act::new(),
        notice: RwSignal::new(None),
        shown: RwSignal::new(year),
    };
    let year = move || edits.shown.get();
    // Back and Forward between the years chosen here
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        let search = window().location().search().unwrap_or_default();
        let year = search.trim_start_matches('?').split('&').find_map(|p| p.strip_prefix("year=")?.parse().ok());
        edits.shown.set(year);
    });
    let data = crate::wire::resource(move || (year(), edits.version()), |(y, _)| get_calendar(y));
    let input = RwSignal::new(DayInput {
        date: String::new(),
        kind: DayKind::Holiday.as_str().to_string(),
        name: String::new(),
    });
    let fields = DayFields { input, refused: edits.set_day.refused(input), date_input: NodeRef::new() };
    let due = DueState::new(edits);
    Effect::new(move |_| {
        if let Some(r) = edits.add_year.value().get() {
            if let Ok(y) = r {
                // the new year is shown in place and the notice below stays
                edits.show(y, false);
            }
            edits.notice.set(Some(r.map(|y| format!("已添加{y}年。请录入全年的放假和调休上班日期，核对后启用。"))));
        }
    });
    Effect::new(move |_| {
        if let Some(r) = edits.remove_day.value().get() {
            let done = r.map(|d| format!("已删除 {}（{}，{}），该日恢复为普通日。", d.date, d.kind.label(), d.name));
            edits.notice.set(Some(done));
        }
    });
    Effect::new(move |_| {
        if let Some(r) = edits.publish.value().get() {
            edits.notice.set(Some(r.map(|y| format!("{y}年日历已启用，计算期限时将使用本年数据。"))));
        }
    });
    view! {
        <h1>"节假日日历"</h1>
        <p class="intro">
            "基层工会签收会员服务卡后，须在签收后第"{DISTRIBUTION_WORKING_DAYS}"个工作日前发放。"
            "工作日按本日历计算：放假日不计，调休上班日计入。没有日历数据的年份显示“日历未维护”，"
            "不按周一至周五推算。修改日历后，正在计算的期限随之改变。"
        </p>
        <Transition fallback=|| view! { <p class="loading" role="status">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(v) => view! { <CalendarBody data=v edits=edits fields=fields due=due/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn changed_by(updated_by: &Option<String>, at: i64) -> String {
    match updated_by {
        Some(who) => format!("{who}，{}", format_time(at)),
        None => "系统内置".into(),
    }
}

fn year_list(years: &[CalendarYear], published: bool) -> String {
    let list: Vec<String> =
        years.iter().filter(|y| y.published == published).map(|y| format!("{}年", y.year)).collect();
    list.join("、")
}

#[component]
fn CalendarBody(data: CalendarView, edits: Edits, fields: DayFields, due: DueState) -> impl IntoView {
    let year = data.year;
    let shown = data.shown().cloned();
    let can_edit = data.can_edit;
    let next = data.next_year();
    let in_use = year_list(&data.years, true);
    let drafts = year_list(&data.years, false);
    let add_year = edits.add_year;
    let publish = edits.publish;
    view! {
        <section class="card" aria-labelledby="years-heading">
            <h2 id="years-heading">"已维护的年份"</h2>
            <p>
                {if in_use.is_empty() {
                    "还没有启用任何年份的日历。".to_string()
                } else {
                    format!("计算期限使用的日历：{in_use}。其他年份为“日历未维护”。")
                }}
                {(!drafts.is_empty()).then(|| format!("录入中（未启用）：{drafts}。"))}
            </p>
            <nav aria-label="选择年份">
                <ul class="year-picker">
                    {data.years.iter().map(|y| {
                        let current = (y.year == year).then_some("true");
                        let chosen = y.year;
                        // a plain link without the script; with it, the year is shown in place
                        let choose = move |ev: leptos::ev::MouseEvent| {
                            if ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()) {
                                ev.prevent_default();
                                edits.show(chosen, true);
                            }
                        };
                        view! {
                            <li>
                                <a href=format!("/supervisor/calendar?year={}", y.year) aria-current=current on:click=choose>
                                    <span class="year">{format!("{}年", y.year)}</span>
                                    <span class="year-state">{y.status()}</span>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
            {if can_edit {
                view! {
                    <div class="actions">
                        <button type="button" disabled=move || add_year.pending().get()
                            on:click=move |_| { add_year.dispatch(AddCalendarYear { year: next }); }>
                            {format!("添加{next}年")}
                        </button>
                    </div>
                    <p class="hint">"新添加的年份先录入全年的放假和调休上班日期，启用后才用于计算期限。"</p>
                }.into_any()
            } else {
                view! { <p class="notice">"节假日日历由深圳市总工会维护，您可以查看，不能修改。"</p> }.into_any()
            }}
        </section>

        <DueCheck due=due/>

        <section class="card" aria-labelledby="year-heading">
            <h2 id="year-heading">{format!("{year}年日历")}</h2>
            {move || edits.notice.get().map(|n| match n {
                Ok(text) => view! { <p class="success" role="status">{text}</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            {match shown.clone() {
                None => view! {
                    <p class="notice">{format!("{year}年的节假日日历未维护，该年的日期不计算期限。")}</p>
                    {(can_edit && (2000..=2100).contains(&year)).then(|| view! {
                        <div class="actions">
                            <button type="button" on:click=move |_| { add_year.dispatch(AddCalendarYear { year }); }>
                                {format!("添加{year}年")}
                            </button>
                        </div>
                    })}
                }.into_any(),
                Some(y) => view! {
                    <p>
                        <span class=if y.published { "badge ok" } else { "badge wait" }>{y.status()}</span>
                        {format!(" 放假{}天，调休上班{}天。来源：{}。最后修改：{}。",
                            y.holidays, y.adjusted_workdays, y.source(), changed_by(&y.updated_by, y.updated_at))}
                    </p>
                    {if y.published {
                        view! { <p class="hint">"计算期限时使用本年数据。"</p> }.into_any()
                    } else {
                        view! {
                            <p class="notice">"本年日历录入中，尚未启用：本年的日期仍显示为“日历未维护”。"
                                "请按国务院办公厅的通知录入全年的放假和调休上班日期，核对无误后启用。"</p>
                            {can_edit.then(|| view! {
                                <div class="actions">
                                    <button type="button" class="primary" disabled=move || publish.pending().get()
                                        on:click=move |_| { publish.dispatch(PublishCalendarYear { year }); }>
                                        {format!("启用{year}年日历")}
                                    </button>
                                </div>
                            })}
                        }.into_any()
                    }}
                }.into_any(),
            }}
        </section>

        {(can_edit && shown.is_some()).then(|| view! { <DayForm year=year set_day=edits.set_day fields=fields/> })}

        {shown.is_some().then(|| view! {
            <section class="card" aria-labelledby="days-heading">
                <h2 id="days-heading">{format!("{year}年放假和调休上班日期")}</h2>
                <DayList year=year days=data.days.clone() can_edit=can_edit edits=edits fields=fields/>
            </section>
        })}
    }
}

#[component]
fn DayList(year: i32, days: Vec<CalendarDay>, can_edit: bool, edits: Edits, fields: DayFields) -> impl IntoView {
    if days.is_empty() {
        return view! { <p class="empty">{format!("{year}年还没有录入放假或调休上班日期。")}</p> }.into_any();
    }
    let remove_day = edits.remove_day;
    view! {
        <TableRegion label=format!("{year}年特殊日期列表")>
            <table class="stack calendar-days">
                <thead><tr>
                    <th scope="col">"日期"</th><th scope="col">"星期"</th><th scope="col">"安排"</th>
                    <th scope="col">"节日"</th><th scope="col">"最后修改"</th>
                    {can_edit.then(|| view! { <th scope="col">"操作"</th> })}
                </tr></thead>
                <tbody>
                    {days.into_iter().map(|d| {
                        let day = d.day;
                        let date = day.date;
                        let kind = day.kind;
                        let name = day.name.clone();
                        let label = format!("{date}（{}）", day.name);
                        let badge = match kind {
                            DayKind::Holiday => "badge holiday",
                            DayKind::AdjustedWorkday => "badge workday",
                        };
                        view! {
                            <tr>
                                <td class="title">{date.to_string()}</td>
                                <td class="weekday" data-label="星期">{date.weekday().label()}</td>
                                <td class="kind" data-label="安排"><span class=badge>{kind.label()}</span></td>
                                <td class="name" data-label="节日">{day.name.clone()}</td>
                                <td class="changed" data-label="最后修改">{changed_by(&d.updated_by, d.updated_at)}</td>
                                {can_edit.then(|| view! {
                                    <td class="row-actions">
                                        <button type="button" aria-label=format!("修改{label}")
                                            on:click=move |_| {
                                                fields.input.set(DayInput {
                                                    date: date.to_string(),
                                                    kind: kind.as_str().to_string(),
                                                    name: name.clone(),
                                                });
                                                if let Some(input) = fields.date_input.get() {
                                                    let _ = input.focus();
                                                }
                                            }>"修改"</button>
                                        <button type="button" aria-label=format!("删除{label}")
                                            disabled=move || remove_day.pending().get()
                                            on:click=move |_| { remove_day.dispatch(RemoveCalendarDay { date: date.to_string() }); }>
                                            "删除"
                                        </button>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
    .into_any()
}

#[component]
fn DayForm(year: i32, set_day: Act<SetCalendarDay>, fields: DayFields) -> impl IntoView {
    let error = set_day.error();
    // the server's answer stands while the form holds what it was about
    let current = move || fields.refused.read().as_ref() == Some(&*fields.input.read());
    let field = move |f: &'static str| {
        Signal::derive(move || current().then(|| error.get().and_then(|e| e.field_message(f))).flatten())
    };
    // field errors stand under their fields; anything else is said once, here
    let other = Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Invalid { .. })));
    let saved = move || {
        set_day.value().get().and_then(|r| r.ok()).filter(|d| fields.input.read().is(d)).map(|d| {
            let text = format!("已保存：{} {}，{}（{}）。", d.date, d.date.weekday().label(), d.kind.label(), d.name);
            view! { <p class="success" role="status">{text}</p> }
        })
    };
    view! {
        <section class="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading">"添加或修改日期"</h2>
            <p class="hint">"填写已有的日期即修改该日。调休上班只能设在周六或周日。"</p>
            <ServerForm action=set_day.address() class="form day-form"
                submit=Callback::new(move |_| {
                    let DayInput { date, kind, name } = fields.input.get_untracked();
                    // the select offers only the kinds there are
                    if let Some(kind) = DayKind::parse(&kind) {
                        set_day.dispatch(SetCalendarDay { date, kind, name });
                    }
                })>
                <div class="field">
                    <label for="cal-date">"日期"</label>
                    <input id="cal-date" name="date" type="date" required node_ref=fields.date_input
                        min=format!("{year}-01-01") max=format!("{year}-12-31") aria-describedby="cal-date-error"
                        prop:value=move || fields.input.read().date.clone()
                        on:input=move |ev| fields.input.update(|f| f.date = event_target_value(&ev))/>
                    <FieldMessage id="cal-date-error" message=field("date")/>
                </div>
                <div class="field">
                    <label for="cal-kind">"安排"</label>
                    <select id="cal-kind" name="kind" aria-describedby="cal-kind-error"
                        prop:value=move || fields.input.read().kind.clone()
                        on:change=move |ev| fields.input.update(|f| f.kind = event_target_value(&ev))>
                        {DayKind::ALL.map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                    </select>
                    <FieldMessage id="cal-kind-error" message=field("kind")/>
                </div>
                <div class="field">
                    <label for="cal-name">"节日名称"</label>
                    <input id="cal-name" name="name" type="text" required maxlength=NAME_MAX_CHARS
                        placeholder="如：春节" aria-describedby="cal-name-error"
                        prop:value=move || fields.input.read().name.clone()
                        on:input=move |ev| fields.input.update(|f| f.name = event_target_value(&ev))/>
                    <FieldMessage id="cal-name-error" message=field("name")/>
                </div>
                <ErrorNotice error=other/>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || set_day.pending().get()>"保存"</button>
                </div>
            </ServerForm>
            {saved}
        </section>
    }
}

/// 期限试算's state, kept by the page: the date typed, the date asked about, and the answer,
/// counted again after every edit.
#[derive(Clone, Copy)]
struct DueState {
    signed: RwSignal<String>,
    asked: RwSignal<Option<String>>,
    result: crate::wire::Res<Option<Result<DueDate, AppError>>>,
}

impl DueState {
    fn new(edits: Edits) -> Self {
        let asked = RwSignal::new(None::<String>);
        let result = crate::wire::resource(
            move || (asked.get(), edits.version()),
            |(asked, _)| async move {
                match asked {
                    Some(s) => Some(calendar_due(s).await),
                    None => None,
                }
            },
        );
        DueState { signed: RwSignal::new(String::new()), asked, result }
    }
}

/// 期限试算: the deadline of cards signed for on a day, with the calendar as it now stands.
#[component]
fn DueCheck(due: DueState) -> impl IntoView {
    let DueState { signed, asked, result } = due;
    view! {
        <section class="card" aria-labelledby="due-heading">
            <h2 id="due-heading">"期限试算"</h2>
            <form class="form due-form" novalidate
                on:submit=move |ev| { ev.prevent_default(); asked.set(Some(signed.get_untracked())); }>
                <div class="field">
                    <label for="due-signed">"签收日期"</label>
                    <input id="due-signed" type="date" required aria-describedby="due-result"
                        prop:value=move || signed.get() on:input=move |ev| signed.set(event_target_value(&ev))/>
                </div>
                <div class="actions"><button type="submit">"计算发放期限"</button></div>
            </form>
            <div id="due-result" aria-live="polite">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match result.await {
                            None => view! {
                                <p class="hint">"按当前日历计算签收后第"{DISTRIBUTION_WORKING_DAYS}"个工作日，并说明用了哪一年的日历。"</p>
                            }.into_any(),
                            Some(Ok(d)) => view! {
                                <p class="success">{format!(
                                    "{}签收的卡，应在{}（{}）前发放完毕：签收后第{}个工作日，{}。",
                                    d.signed, d.due, d.due.weekday().label(), d.working_days, d.basis()
                                )}</p>
                            }.into_any(),
                            Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        </section>
    }
}
