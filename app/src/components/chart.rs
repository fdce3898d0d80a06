//! A horizontal bar chart drawn as SVG on the server: no chart library, no script. The figures
//! are the chart's accessible name and are also shown as text beside it.

use leptos::prelude::*;

/// One bar: its label and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
}

/// Bars scaled to the largest value; `title` names the chart for screen readers, which read
/// every bar's label and value from it.
#[component]
pub fn BarChart(#[prop(into)] title: String, bars: Vec<Bar>) -> impl IntoView {
    const ROW: f64 = 26.0;
    const LABEL: f64 = 128.0;
    const WIDTH: f64 = 400.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;
    let height = ROW * bars.len() as f64;
    let described =
        format!("{title}：{}", bars.iter().map(|b| format!("{} {}", b.label, b.value)).collect::<Vec<_>>().join("，"));
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let y = i as f64 * ROW;
            let w = ((WIDTH - LABEL - 60.0) * b.value as f64 / max).max(if b.value > 0 { 2.0 } else { 0.0 });
            view! {
                <g>
                    <text x=LABEL - 8.0 y=y + 18.0 text-anchor="end" class="bar-label">{b.label}</text>
                    <rect x=LABEL y=y + 5.0 width=w height=ROW - 10.0 rx="3" class="bar"></rect>
                    <text x=LABEL + w + 6.0 y=y + 18.0 class="bar-value">{b.value}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="bar-chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=described
            preserveAspectRatio="xMinYMin meet">
            {rows}
        </svg>
    }
}

/// One column group of a [`ColumnChart`]: its label and a value per series.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: String,
    pub values: Vec<i64>,
}

/// Columns side by side per group (a week's applications and activations), scaled to the
/// largest value; `series` names each value, shown in a legend and read by screen readers.
#[component]
pub fn ColumnChart(#[prop(into)] title: String, series: Vec<&'static str>, columns: Vec<Column>) -> impl IntoView {
    const HEIGHT: f64 = 160.0;
    const AXIS: f64 = 20.0;
    const GROUP: f64 = 22.0;
    let width = GROUP * columns.len().max(1) as f64;
    let max = columns.iter().flat_map(|c| c.values.iter().copied()).max().unwrap_or(0).max(1) as f64;
    let bar = (GROUP - 4.0) / series.len().max(1) as f64;
    let rows = columns
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <th scope="row">{c.label.clone()}</th>
                    {c.values.iter().map(|v| view! { <td>{*v}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    let heads = series.iter().map(|s| view! { <th scope="col">{*s}</th> }).collect_view();
    let described = format!(
        "{title}（{}）：{}",
        series.join("、"),
        columns
            .iter()
            .map(|c| format!("{} {}", c.label, c.values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("/")))
            .collect::<Vec<_>>()
            .join("，")
    );
    let groups = columns
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let x0 = i as f64 * GROUP + 2.0;
            let bars = c
                .values
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    let h = (HEIGHT - AXIS - 4.0) * *v as f64 / max;
                    view! {
                        <rect x=x0 + k as f64 * bar y=HEIGHT - AXIS - h width=bar - 1.0 height=h
                            class=format!("col col-{k}")></rect>
                    }
                })
                .collect_view();
            let label = (i % 4 == 0).then(|| {
                view! {
                    <text x=x0 y=HEIGHT - 4.0 class="bar-label">{c.label.clone()}</text>
                }
            });
            view! { <g>{bars}{label}</g> }
        })
        .collect_view();
    view! {
        <figure class="column-chart">
            <svg viewBox=format!("0 0 {width} {HEIGHT}") role="img" aria-label=described preserveAspectRatio="xMinYMin meet">
                {groups}
            </svg>
            <figcaption>
                {series.iter().enumerate().map(|(k, s)| view! {
                    <span class="legend"><span class=format!("swatch col-{k}") aria-hidden="true"></span>{*s}</span>
                }).collect_view()}
            </figcaption>
            <details class="chart-data">
                <summary>"查看数据"</summary>
                <table>
                    <thead><tr><th scope="col">"周（周一）"</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}
