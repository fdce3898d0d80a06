//! The working-day calendar (`calendar_years`, `calendar_days`, written only by
//! `app::server::calendar`): the State Council's years are there after migrating and never
//! seeded over an edit; only the city-level supervisor edits, each edit audited; a calendar the
//! domain refuses is refused; deadlines move with the calendar as it stands; a new year counts
//! only once published; and `unioncard calendar due | show`.

use app::{
    api::calendar::{
        AddCalendarYear, CalendarDue, GetCalendar, PublishCalendarYear, RemoveCalendarDay, SetCalendarDay,
    },
    domain::{
        calendar::{Calendar, Date, DayKind},
        ids::UserId,
    },
    server::calendar,
};
use unioncard_server::seed::DEMO_PASSWORD;

use crate::common::{Reply, TestApp};

on_both_engines!(
    the_state_council_years_are_there_after_migrating_and_never_seeded_over_an_edit,
    the_city_supervisor_sets_and_removes_a_day_and_the_audit_log_says_who_and_what,
    a_district_supervisor_reads_the_calendar_and_nobody_else_edits_it,
    a_day_the_calendar_cannot_hold_is_refused_under_its_field,
    a_deadline_moves_when_the_calendar_changes,
    a_new_year_counts_only_once_filled_in_and_published,
    the_calendar_command_prints_the_due_date_or_says_the_calendar_is_missing,
);

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn set(date: &str, kind: DayKind, name: &str) -> SetCalendarDay {
    SetCalendarDay { date: date.into(), kind, name: name.into() }
}

fn due(signed: &str) -> CalendarDue {
    CalendarDue { signed: signed.into() }
}

/// A successful call (a `SpecialDay` answer has a `kind` of its own, so the status says it).
fn ok(r: &Reply, what: &str) {
    assert!(r.status.is_success(), "{what}: {} {:?}", r.status, r.body);
}

async fn user_id(app: &TestApp, username: &str) -> UserId {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1").bind(username).fetch_one(&app.db.pool).await.unwrap()
}

/// (actor, action, detail) of the audit rows about `target`, oldest first.
async fn audit_of(app: &TestApp, target: &str) -> Vec<(Option<i64>, String, String)> {
    sqlx::query_as("SELECT actor_id, action, detail FROM audit_log WHERE target = $1 ORDER BY id")
        .bind(target)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

async fn the_state_council_years_are_there_after_migrating_and_never_seeded_over_an_edit(app: TestApp) {
    let stored = calendar::load(&app.db).await.unwrap();
    assert_eq!(stored, Calendar::state_council_2025_2026(), "the seed is the domain's table, once");
    let day = |s: &str| stored.special_day(d(s)).map(|x| (x.kind, x.name.clone()));
    assert_eq!(day("2026-02-14"), Some((DayKind::AdjustedWorkday, "春节".into())));
    assert_eq!(day("2026-10-01"), Some((DayKind::Holiday, "国庆".into())));
    assert_eq!(stored.years().collect::<Vec<_>>(), [2025, 2026]);
    let seeded = audit_of(&app, "calendar:2026").await;
    assert_eq!(seeded.len(), 1);
    assert_eq!((seeded[0].0, seeded[0].1.as_str()), (None, "calendar_year_seeded"));

    // an administrator's edit stands through another migration (every start runs one)
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    ok(&app.call_fn(&city, RemoveCalendarDay { date: "2026-10-01".into() }).await, "remove 10-01");
    app.db.migrate().await.unwrap();
    assert_eq!(calendar::seed_if_missing(&app.db).await.unwrap(), Vec::<i32>::new());
    let stored = calendar::load(&app.db).await.unwrap();
    assert_eq!(stored.special_day(d("2026-10-01")), None, "not seeded again");
    assert_eq!(audit_of(&app, "calendar:2026").await.len(), 1);

    // what the page reads
    let r = app.call_fn(&city, GetCalendar { year: Some(2026) }).await;
    ok(&r, "get 2026");
    assert_eq!(r.body["year"], 2026);
    assert_eq!(r.body["can_edit"], true);
    let years: Vec<_> = r.body["years"].as_array().unwrap().iter().map(|y| y["year"].as_i64().unwrap()).collect();
    assert_eq!(years, [2025, 2026]);
    assert!(r.body["years"].as_array().unwrap().iter().all(|y| y["published"] == true && y["built_in"] == true));
    assert_eq!(r.body["days"].as_array().unwrap().len(), 38, "39 seeded, one removed");
    assert_eq!(r.body["years"][1]["updated_by"], "szzgh", "the year says who changed it last");
    // a year without data is shown as such, with no days
    let r = app.call_fn(&city, GetCalendar { year: Some(2027) }).await;
    ok(&r, "get 2027");
    assert_eq!((r.body["year"].as_i64(), r.body["days"].as_array().map(Vec::len)), (Some(2027), Some(0)));
}

async fn the_city_supervisor_sets_and_removes_a_day_and_the_audit_log_says_who_and_what(app: TestApp) {
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let actor = Some(user_id(&app, "szzgh").await.0);
    let target = "calendar:2026-03-04";
    let r = app.call_fn(&city, set("2026-03-04", DayKind::Holiday, " 临时假日 ")).await;
    ok(&r, "set 03-04");
    assert_eq!(r.body["name"], "临时假日", "the name is trimmed");
    let stored = calendar::load(&app.db).await.unwrap();
    assert_eq!(stored.special_day(d("2026-03-04")).map(|s| s.kind), Some(DayKind::Holiday));
    assert_eq!(stored.is_working_day(d("2026-03-04")), Ok(false));

    // changing it records before and after
    ok(&app.call_fn(&city, set("2026-03-04", DayKind::Holiday, "补假")).await, "rename");
    // the same again changes nothing and records nothing
    ok(&app.call_fn(&city, set("2026-03-04", DayKind::Holiday, "补假")).await, "same again");
    // a weekend day made a working day
    ok(&app.call_fn(&city, set("2026-03-07", DayKind::AdjustedWorkday, "补假")).await, "set 03-07");
    assert_eq!(calendar::load(&app.db).await.unwrap().is_working_day(d("2026-03-07")), Ok(true));

    let page = app.call_fn(&city, GetCalendar { year: Some(2026) }).await;
    let row = page.body["days"].as_array().unwrap().iter().find(|x| x["day"]["date"] == "2026-03-04").unwrap().clone();
    assert_eq!((row["day"]["name"].as_str(), row["updated_by"].as_str()), (Some("补假"), Some("szzgh")));

    let r = app.call_fn(&city, RemoveCalendarDay { date: "2026-03-04".into() }).await;
    ok(&r, "remove 03-04");
    assert_eq!((r.body["kind"].as_str(), r.body["name"].as_str()), (Some("holiday"), Some("补假")));
    assert_eq!(calendar::load(&app.db).await.unwrap().special_day(d("2026-03-04")), None);
    // a second removal finds nothing to remove
    let r = app.call_fn(&city, RemoveCalendarDay { date: "2026-03-04".into() }).await;
    assert_eq!((r.status.as_u16(), r.body["code"].as_str()), (409, Some("calendar_day_gone")), "{:?}", r.body);

    let log = audit_of(&app, target).await;
    let want = [
        ("calendar_day_set", "普通日 → 放假（临时假日）"),
        ("calendar_day_set", "放假（临时假日） → 放假（补假）"),
        ("calendar_day_removed", "放假（补假） → 普通日"),
    ];
    assert_eq!(log.len(), want.len(), "{log:?}");
    for ((who, action, detail), (want_action, want_detail)) in log.iter().zip(want) {
        assert_eq!((*who, action.as_str(), detail.as_str()), (actor, want_action, want_detail));
    }
    // removing a built-in day is audited the same way
    ok(&app.call_fn(&city, RemoveCalendarDay { date: "2026-10-01".into() }).await, "remove 10-01");
    let log = audit_of(&app, "calendar:2026-10-01").await;
    assert_eq!(log, [(actor, "calendar_day_removed".into(), "放假（国庆） → 普通日".into())]);
}

async fn a_district_supervisor_reads_the_calendar_and_nobody_else_edits_it(app: TestApp) {
    let district = app.login_ok("futian", DEMO_PASSWORD).await;
    let r = app.call_fn(&district, GetCalendar { year: None }).await;
    ok(&r, "futian reads");
    assert_eq!(r.body["can_edit"], false);
    assert!(r.body["days"].as_array().is_some_and(|d| !d.is_empty()), "{:?}", r.body);
    ok(&app.call_fn(&district, due("2026-02-13")).await, "futian counts a deadline");

    let union = app.login_ok("shili", DEMO_PASSWORD).await;
    let r = app.call_fn(&union, GetCalendar { year: Some(2026) }).await;
    assert_eq!((r.status.as_u16(), r.kind()), (403, Some("forbidden")), "the page is the supervisors'");
    let r = app.call_fn(&union, due("2026-02-13")).await;
    ok(&r, "a union counts its deadline");
    assert_eq!(r.body["due"], "2026-02-27");

    for (who, client) in [("futian", &district), ("shili", &union)] {
        let refused = [
            app.call_fn(client, set("2026-03-04", DayKind::Holiday, "临时假日")).await,
            app.call_fn(client, RemoveCalendarDay { date: "2026-10-01".into() }).await,
            app.call_fn(client, AddCalendarYear { year: 2027 }).await,
            app.call_fn(client, PublishCalendarYear { year: 2026 }).await,
        ];
        for r in refused {
            assert_eq!(r.status.as_u16(), 403, "{who}: {:?}", r.body);
        }
    }
    let r = app.call_fn(&district, RemoveCalendarDay { date: "2026-10-01".into() }).await;
    assert_eq!(r.body["code"], "calendar_city_only");
    assert!(r.body["message"].as_str().unwrap().contains("市总工会"), "{:?}", r.body);
    let member = app.login_ok("member", DEMO_PASSWORD).await;
    assert_eq!(app.call_fn(&member, due("2026-02-13")).await.status.as_u16(), 403);
    let signed_out = crate::common::client();
    assert_eq!(app.call_fn(&signed_out, due("2026-02-13")).await.status.as_u16(), 401);
    assert_eq!(app.call_fn(&signed_out, GetCalendar { year: None }).await.status.as_u16(), 401);

    // nothing changed, nothing was recorded
    assert_eq!(calendar::load(&app.db).await.unwrap(), Calendar::state_council_2025_2026());
    let edits: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE target LIKE 'calendar:%' AND action <> 'calendar_year_seeded'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(edits, 0);
}

async fn a_day_the_calendar_cannot_hold_is_refused_under_its_field(app: TestApp) {
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let cases = [
        // Wednesday: a working day anyway
        (set("2026-03-04", DayKind::AdjustedWorkday, "补班"), "kind", "本来就是工作日"),
        (set("2026-03-04", DayKind::Holiday, "  "), "name", "节日名称"),
        (set("2026-03-04", DayKind::Holiday, &"假".repeat(21)), "name", "不超过20个字"),
        (set("2030-10-01", DayKind::Holiday, "国庆"), "date", "请先添加该年份"),
        (set("2026-02-30", DayKind::Holiday, "春节"), "date", "不是有效的日期"),
        (set("2026/03/04", DayKind::Holiday, "春节"), "date", "2026-02-13"),
    ];
    for (args, field, says) in cases {
        let what = format!("{} {:?} {:?}", args.date, args.kind, args.name);
        let r = app.call_fn(&city, args).await;
        assert_eq!((r.status.as_u16(), r.kind()), (422, Some("invalid")), "{what}: {:?}", r.body);
        let message = r.field_message(field).unwrap_or_else(|| panic!("{what}: no message for {field}: {:?}", r.body));
        assert!(message.contains(says), "{what}: {message}");
    }
    // a built-in holiday made an adjusted working day on a weekday is refused the same way
    let r = app.call_fn(&city, set("2026-10-01", DayKind::AdjustedWorkday, "国庆")).await;
    assert_eq!(r.status.as_u16(), 422, "{:?}", r.body);
    assert_eq!(calendar::load(&app.db).await.unwrap(), Calendar::state_council_2025_2026(), "nothing written");
    let r = app.call_fn(&city, RemoveCalendarDay { date: "2026-13-01".into() }).await;
    assert_eq!(r.status.as_u16(), 422);
}

async fn a_deadline_moves_when_the_calendar_changes(app: TestApp) {
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let due_of = |signed: &'static str| {
        let (app, city) = (&app, &city);
        async move {
            let r = app.call_fn(city, due(signed)).await;
            ok(&r, signed);
            r.body
        }
    };
    let r = due_of("2026-02-13").await;
    assert_eq!((r["due"].as_str(), r["working_days"].as_u64()), (Some("2026-02-27"), Some(5)));
    assert_eq!(r["years"][0]["year"], 2026, "says which calendar year it used");
    let r = due_of("2025-12-29").await;
    assert_eq!(r["due"], "2026-01-06");
    let used: Vec<_> = r["years"].as_array().unwrap().iter().map(|y| y["year"].as_i64().unwrap()).collect();
    assert_eq!(used, [2025, 2026]);

    // Mon 03-02: 03-03 .. 03-06 and Mon 03-09
    assert_eq!(due_of("2026-03-02").await["due"], "2026-03-09");
    ok(&app.call_fn(&city, set("2026-03-04", DayKind::Holiday, "临时假日")).await, "add a holiday");
    assert_eq!(due_of("2026-03-02").await["due"], "2026-03-10", "the running deadline moved");
    ok(&app.call_fn(&city, set("2026-03-07", DayKind::AdjustedWorkday, "临时假日")).await, "a Saturday worked");
    assert_eq!(due_of("2026-03-02").await["due"], "2026-03-09");
    ok(&app.call_fn(&city, RemoveCalendarDay { date: "2026-03-04".into() }).await, "remove the holiday");
    assert_eq!(due_of("2026-03-02").await["due"], "2026-03-07");

    // a deadline that needs 2027 is not guessed
    let r = app.call_fn(&city, due("2026-12-28")).await;
    assert_eq!((r.status.as_u16(), r.body["code"].as_str()), (422, Some("calendar_gap")), "{:?}", r.body);
    let message = r.body["message"].as_str().unwrap();
    assert!(message.contains("2027年") && message.contains("日历未维护"), "{message}");
    let r = app.call_fn(&city, due("2024-06-03")).await;
    assert!(r.body["message"].as_str().unwrap().starts_with("2024年"), "{:?}", r.body);
    let r = app.call_fn(&city, due("2026-2-13")).await;
    assert_eq!((r.status.as_u16(), r.field_message("signed").is_some()), (422, true), "{:?}", r.body);
}

async fn a_new_year_counts_only_once_filled_in_and_published(app: TestApp) {
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let gap = |r: &Reply| r.status.as_u16() == 422 && r.body["code"] == "calendar_gap";
    ok(&app.call_fn(&city, AddCalendarYear { year: 2027 }).await, "add 2027");
    let r = app.call_fn(&city, GetCalendar { year: Some(2027) }).await;
    let y2027 = r.body["years"].as_array().unwrap().iter().find(|y| y["year"] == 2027).unwrap().clone();
    assert_eq!((y2027["published"].as_bool(), y2027["built_in"].as_bool()), (Some(false), Some(false)));
    // an empty year being filled in is still 日历未维护, never Monday to Friday
    assert!(gap(&app.call_fn(&city, due("2026-12-28")).await));
    assert!(!calendar::load(&app.db).await.unwrap().has_year(2027));
    let r = app.call_fn(&city, PublishCalendarYear { year: 2027 }).await;
    assert_eq!((r.status.as_u16(), r.body["code"].as_str()), (422, Some("calendar_year_empty")), "{:?}", r.body);

    ok(&app.call_fn(&city, set("2027-01-01", DayKind::Holiday, "元旦")).await, "fill in 2027");
    assert!(gap(&app.call_fn(&city, due("2026-12-28")).await), "not before it is published");
    ok(&app.call_fn(&city, PublishCalendarYear { year: 2027 }).await, "publish 2027");
    // Mon 12-28: 12-29, 12-30, 12-31, (Fri 01-01 off), Mon 01-04, Tue 01-05
    let r = app.call_fn(&city, due("2026-12-28")).await;
    ok(&r, "2026-12-28 with 2027");
    assert_eq!(r.body["due"], "2027-01-05");
    assert_eq!(r.body["years"].as_array().unwrap().len(), 2);

    let r = app.call_fn(&city, AddCalendarYear { year: 2027 }).await;
    assert_eq!((r.status.as_u16(), r.body["code"].as_str()), (409, Some("calendar_year_exists")));
    let r = app.call_fn(&city, PublishCalendarYear { year: 2027 }).await;
    assert_eq!((r.status.as_u16(), r.body["code"].as_str()), (409, Some("calendar_year_published")));
    assert_eq!(app.call_fn(&city, PublishCalendarYear { year: 2031 }).await.status.as_u16(), 404);
    let r = app.call_fn(&city, AddCalendarYear { year: 1999 }).await;
    assert_eq!((r.status.as_u16(), r.field_message("year").is_some()), (422, true));
    let actions: Vec<String> = audit_of(&app, "calendar:2027").await.into_iter().map(|(_, a, _)| a).collect();
    assert_eq!(actions, ["calendar_year_added", "calendar_year_published"]);

    // a year in use keeps at least one day off: neither removing nor re-kinding the last one
    // may turn it into Monday-to-Friday counting
    let emptied = |r: &Reply| r.status.as_u16() == 422 && r.body["code"] == "calendar_year_emptied";
    let r = app.call_fn(&city, RemoveCalendarDay { date: "2027-01-01".into() }).await;
    assert!(emptied(&r), "{} {:?}", r.status, r.body);
    let r = app.call_fn(&city, set("2027-01-02", DayKind::AdjustedWorkday, "元旦")).await;
    ok(&r, "a Saturday worked");
    let r = app.call_fn(&city, RemoveCalendarDay { date: "2027-01-01".into() }).await;
    assert!(emptied(&r), "{} {:?}", r.status, r.body);
    // 元旦 is still off; the worked Saturday 01-02 now counts: 12-29, 12-30, 12-31, 01-02, 01-04
    assert_eq!(app.call_fn(&city, due("2026-12-28")).await.body["due"], "2027-01-04");
    ok(&app.call_fn(&city, set("2027-02-17", DayKind::Holiday, "春节")).await, "another day off");
    ok(&app.call_fn(&city, RemoveCalendarDay { date: "2027-01-01".into() }).await, "then the first may go");
    // the last day off made a worked day instead: refused the same way (Sat 2027-02-20)
    ok(&app.call_fn(&city, set("2027-02-20", DayKind::Holiday, "春节")).await, "a Saturday off");
    ok(&app.call_fn(&city, RemoveCalendarDay { date: "2027-02-17".into() }).await, "02-17 goes");
    let r = app.call_fn(&city, set("2027-02-20", DayKind::AdjustedWorkday, "春节")).await;
    assert!(emptied(&r), "{} {:?}", r.status, r.body);
}

async fn the_calendar_command_prints_the_due_date_or_says_the_calendar_is_missing(app: TestApp) {
    let run = |args: &'static [&'static str]| {
        let url = app.url.clone();
        async move {
            let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_unioncard"))
                .env("DATABASE_URL", url)
                .args(args)
                .output()
                .await
                .unwrap();
            let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
            (out.status.code().unwrap(), text(out.stdout), text(out.stderr))
        }
    };
    let (code, stdout, _) = run(&["calendar", "due", "2026-02-13"]).await;
    assert_eq!((code, stdout.lines().next()), (0, Some("2026-02-27")), "{stdout}");
    assert!(stdout.contains("按2026年日历计算"), "{stdout}");

    let (code, stdout, stderr) = run(&["calendar", "due", "2026-12-28"]).await;
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("日历未维护") && stderr.contains("2027年"), "{stderr}");

    for bad in [&["calendar", "due", "2026-2-13"][..], &["calendar", "due", "2026-02-30"], &["calendar", "show", "26"]]
    {
        let (code, stdout, stderr) = run(bad).await;
        assert_eq!((code, stdout.as_str()), (2, ""), "{bad:?}: {stderr}");
        assert!(stderr.contains("用法"), "{bad:?}: {stderr}");
    }

    let (code, stdout, _) = run(&["calendar", "show", "2026"]).await;
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("2026年：已启用"), "{stdout}");
    assert_eq!(lines.len(), 1 + 39, "{stdout}");
    assert!(lines.contains(&"2026-02-14 星期六 调休上班 春节"), "{stdout}");
    assert!(lines.contains(&"2026-10-01 星期四 放假 国庆"), "{stdout}");
    let (code, _, stderr) = run(&["calendar", "show", "2027"]).await;
    assert_eq!(code, 1);
    assert!(stderr.contains("日历未维护"), "{stderr}");

    // the command counts with the calendar as it stands
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    // 02-24 off as well: 02-14 (1), 02-25 .. 02-27 (2 to 4), Sat 02-28 worked (5)
    ok(&app.call_fn(&city, set("2026-02-24", DayKind::Holiday, "春节")).await, "one more day off");
    let (code, stdout, _) = run(&["calendar", "due", "2026-02-13"]).await;
    assert_eq!((code, stdout.lines().next()), (0, Some("2026-02-28")), "{stdout}");
}
