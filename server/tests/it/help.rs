//! The help centre's hotlines (`hotlines`, written only by `app::api::help`): anyone reads them;
//! the city-level supervisor replaces them, checked and audited; nobody else may.

use app::{
    api::help::{GetHotlines, GetHotlinesView, SaveHotlines},
    domain::faq::{Hotline, GUIDE_HOTLINES},
};
use leptos::server_fn::ServerFn;
use serde_json::Value;
use unioncard_server::seed::DEMO_PASSWORD;

use crate::common::{client, follow, post_form, script_free, TestApp};

on_both_engines!(
    the_guides_hotlines_are_there_after_migrating_and_anyone_reads_them,
    the_hotlines_page_has_no_script_and_a_refused_save_keeps_every_row,
    the_city_supervisor_replaces_the_hotlines_and_the_audit_log_says_so,
    nobody_but_the_city_supervisor_changes_the_hotlines,
);

fn lines(body: &Value) -> Vec<(String, String)> {
    body.as_array()
        .unwrap_or_else(|| panic!("a list of hotlines: {body}"))
        .iter()
        .map(|l| (l["label"].as_str().unwrap().to_string(), l["number"].as_str().unwrap().to_string()))
        .collect()
}

fn line(label: &str, number: &str) -> Hotline {
    Hotline { label: label.into(), number: number.into() }
}

async fn the_guides_hotlines_are_there_after_migrating_and_anyone_reads_them(app: TestApp) {
    let r = app.call_fn(&client(), GetHotlines {}).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    let guide: Vec<(String, String)> = GUIDE_HOTLINES.iter().map(|(l, n)| (l.to_string(), n.to_string())).collect();
    assert_eq!(lines(&r.body), guide);
    // the help page lists them in its first answer, for a visitor who is not signed in
    let page = client().get(format!("{}/help", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("工会热线") && page.contains("12351") && page.contains("83288060、83288565"));
}

async fn the_city_supervisor_replaces_the_hotlines_and_the_audit_log_says_so(app: TestApp) {
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let view = app.call_fn(&city, GetHotlinesView {}).await;
    assert_eq!(view.body["editable"], Value::Bool(true), "{:?}", view.body);
    let new = vec![line(" 工会热线 ", "12351"), line("", ""), line("会员服务卡业务", "0755-83288060转2")];
    let r = app.call_fn(&city, SaveHotlines { lines: new }).await;
    assert!(r.status.is_success(), "{:?}", r.body);
    let read = app.call_fn(&client(), GetHotlines {}).await;
    assert_eq!(
        lines(&read.body),
        vec![("工会热线".into(), "12351".into()), ("会员服务卡业务".into(), "0755-83288060转2".into())],
        "trimmed, the blank row dropped, in the order given"
    );
    let page = client().get(format!("{}/help", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("0755-83288060转2") && !page.contains("88135133"), "the help page shows the new lines");
    let actions = app::server::audit::actions_for(&app.db, "hotlines").await.unwrap();
    assert_eq!(actions, vec!["hotlines_changed".to_string()]);

    // the form as a browser posts it without any script (brackets percent-encoded)
    let body = "lines%5B0%5D%5Blabel%5D=%E5%B7%A5%E4%BC%9A%E7%83%AD%E7%BA%BF&lines%5B0%5D%5Bnumber%5D=12351\
                &lines%5B1%5D%5Blabel%5D=&lines%5B1%5D%5Bnumber%5D=";
    let r = city
        .post(format!("{}{}", app.base, <SaveHotlines as ServerFn>::PATH))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success() || r.status().is_redirection(), "{}", r.status());
    assert_eq!(lines(&app.call_fn(&client(), GetHotlines {}).await.body), vec![("工会热线".into(), "12351".into())]);

    // a bad row is refused with its row number, and nothing changes
    let r = app.call_fn(&city, SaveHotlines { lines: vec![line("工会热线", "12351"), line("投诉", "请拨打")] }).await;
    assert_eq!(r.status.as_u16(), 422, "{:?}", r.body);
    assert!(r.field_message("lines").unwrap().starts_with("第2行：号码只能填写数字"), "{:?}", r.body);
    let r = app.call_fn(&city, SaveHotlines { lines: vec![line("", "")] }).await;
    assert_eq!(r.field_message("lines").as_deref(), Some("请至少填写一条服务热线。"));
    assert_eq!(lines(&app.call_fn(&client(), GetHotlines {}).await.body), vec![("工会热线".into(), "12351".into())]);
}

/// 服务热线 is sent without scripts: 保存 is a plain form; a refusal comes back with every row as
/// typed and the message, once; a save comes back with 已保存, once.
async fn the_hotlines_page_has_no_script_and_a_refused_save_keeps_every_row(app: TestApp) {
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let (status, page) = app.get_page(&city, "/supervisor/hotlines").await;
    assert!(status.is_success());
    assert!(!script_free(&page).is_empty(), "no script on 服务热线: {page}");
    assert!(page.contains(r#"value="12351""#), "{page}");
    // as the browser posts the form: every row, the empty ones too
    let rows = |fourth: &'static str| {
        [
            ("lines[0][label]", "工会热线"),
            ("lines[0][number]", "12351"),
            ("lines[1][label]", ""),
            ("lines[1][number]", ""),
            ("lines[2][label]", ""),
            ("lines[2][number]", ""),
            ("lines[3][label]", "会员服务卡投诉"),
            ("lines[3][number]", fourth),
        ]
    };
    let (status, to) = post_form(&app, &city, "help/hotlines/save", "/supervisor/hotlines", &rows("请拨打")).await;
    assert!(status == 302 && to.contains("__err="), "{status} {to}");
    let page = follow(&app, &city, &to).await;
    assert!(page.contains("第4行：号码只能填写数字"), "{page}");
    assert!(
        page.contains(r#"value="会员服务卡投诉""#) && page.contains(r#"value="请拨打""#),
        "every row as typed: {page}"
    );
    // read once: the next visit shows the saved lines
    let page = follow(&app, &city, "/supervisor/hotlines").await;
    assert!(!page.contains("请拨打") && page.contains(r#"value="12351""#), "{page}");
    assert!(!page.contains("服务热线已保存"));

    let (status, to) = post_form(&app, &city, "help/hotlines/save", &to, &rows("0755-83288060转9")).await;
    assert!(status == 302 && !to.contains("__err"), "{status} {to}");
    let page = follow(&app, &city, &to).await;
    assert!(page.contains("服务热线已保存") && page.contains(r#"value="0755-83288060转9""#), "{page}");
    assert!(!follow(&app, &city, "/supervisor/hotlines").await.contains("服务热线已保存"), "said once");
}

async fn nobody_but_the_city_supervisor_changes_the_hotlines(app: TestApp) {
    let save = || SaveHotlines { lines: vec![line("假热线", "110")] };
    let district = app.login_ok("futian", DEMO_PASSWORD).await;
    assert_eq!(app.call_fn(&district, GetHotlinesView {}).await.body["editable"], Value::Bool(false));
    let r = app.call_fn(&district, save()).await;
    assert_eq!(r.status.as_u16(), 403, "{:?}", r.body);
    assert!(r.body.to_string().contains("服务热线由市总工会维护"), "{:?}", r.body);
    for (who, status) in [("shili", 403), ("boc", 403)] {
        let c = app.login_ok(who, DEMO_PASSWORD).await;
        assert_eq!(app.call_fn(&c, save()).await.status.as_u16(), status, "{who}");
    }
    assert_eq!(app.call_fn(&client(), save()).await.status.as_u16(), 401, "not signed in");
    let guide: Vec<(String, String)> = GUIDE_HOTLINES.iter().map(|(l, n)| (l.to_string(), n.to_string())).collect();
    assert_eq!(lines(&app.call_fn(&client(), GetHotlines {}).await.body), guide, "unchanged");
}
