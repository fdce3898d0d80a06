//! The member import: the template, preview then commit, files refused or with mistakes, each
//! union's own uploads, and the `unioncard import` CLI.

use app::{
    api::{
        auth::WhoAmI,
        imports::CommitImport,
        members::{DeleteMember, GetMember},
    },
    domain::ids::MemberId,
};
use unioncard_server::seed::{DEMO_PASSWORD, UNION_A, UNION_B};

use crate::common::{
    self, client,
    workbook::{resident_id, workbook, HEADERS},
    Engine, TestApp,
};

on_both_engines!(
    the_template_carries_the_unions_registered_name,
    a_clean_file_previews_then_commits_once_and_only_once,
    a_commit_checks_again_what_changed_since_the_preview,
    a_commit_on_the_instance_that_previewed_writes_the_rows_it_kept,
    a_file_with_mistakes_reports_every_error_and_writes_nothing,
    a_file_wrong_on_every_row_sends_the_browser_its_first_errors_and_their_count,
    a_refused_file_gets_a_plain_chinese_message,
    import_waits_for_complete_union_info,
    a_union_reaches_only_its_own_uploads_and_members,
);

async fn the_template_carries_the_unions_registered_name(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let r = c.get(format!("{}/union/template.xlsx", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''"));
    let bytes = r.bytes().await.unwrap();
    let sheet = app::server::xlsx::read_first_sheet(&bytes, &Default::default()).unwrap();
    let row3 = sheet.rows.iter().find(|r| r.row == 3).unwrap();
    assert_eq!(row3.cell(1), &app::domain::sheet::Cell::Text(UNION_A.into()));
    let row4 = sheet.rows.iter().find(|r| r.row == 4).unwrap();
    for (i, h) in HEADERS.iter().enumerate() {
        assert_eq!(row4.cell(i), &app::domain::sheet::Cell::Text(h.to_string()), "header {i}");
    }
    let actions = app::server::audit::actions_for(&app.db, &format!("union:{}", 3)).await.unwrap();
    assert!(actions.iter().any(|a| a == "template_downloaded"), "{actions:?}");
    // another role gets no template
    let bank = app.login_ok("boc", DEMO_PASSWORD).await;
    assert_eq!(bank.get(format!("{}/union/template.xlsx", app.base)).send().await.unwrap().status(), 403);
}

async fn a_clean_file_previews_then_commits_once_and_only_once(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let before = app.member_count().await;
    let id1 = resident_id("44030519900101123");
    // full-width digits and a lowercase x are normalised, not refused
    let id2 = resident_id("11010519491231002").replace('X', "x");
    let id2_fullwidth: String = id2
        .chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap() } else { c })
        .collect();
    let file = workbook(
        UNION_A,
        &[["张三", &id1, "13912345678", "生产部"], ["李四", &id2_fullwidth, "13912345679", "行政部"]],
    );
    let (status, p) = app.upload(&c, "members.xlsx", file.clone()).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["rows"], 2);
    assert_eq!(p["ok_rows"], 2);
    assert_eq!(p["issues"].as_array().unwrap().len(), 0, "{p}");
    assert!(!p["normalised"].as_array().unwrap().is_empty(), "normalisation is reported: {p}");
    assert_eq!(app.member_count().await, before, "the preview writes no member");
    let id = p["import_id"].as_str().unwrap().to_string();
    let done = app.call_fn(&c, CommitImport { import_id: id.clone() }).await;
    assert_eq!(done.body["imported"], 2, "{:?}", done.body);
    assert_eq!(app.member_count().await, before + 2);
    let stored: String =
        sqlx::query_scalar("SELECT id_number FROM members WHERE name = '李四'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(stored, "11010519491231002X", "stored normalised");
    let state: String =
        sqlx::query_scalar("SELECT c.state FROM cards c JOIN members m ON m.id = c.member_id WHERE m.name = '张三'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(state, "pending");
    // in the file's order, each naming the upload it came from (its uploader and time are the
    // upload's), with no card transition yet, and the staged rows gone
    let added: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT m.name, m.id_rev, m.import_id, (SELECT COUNT(*) FROM card_events e WHERE e.member_id = m.id) FROM members m \
         WHERE m.name IN ('张三', '李四') ORDER BY m.id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        added,
        vec![
            ("张三".to_string(), id1.chars().rev().collect(), Some(id.clone()), 0),
            ("李四".to_string(), "11010519491231002X".chars().rev().collect(), Some(id.clone()), 0),
        ]
    );
    let uploader: (Option<i64>, String) =
        sqlx::query_as("SELECT i.user_id, u.username FROM imports i JOIN users u ON u.id = i.user_id WHERE i.id = $1")
            .bind(&id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(uploader.1, "shili");
    let staged: Option<String> =
        sqlx::query_scalar("SELECT staged FROM imports WHERE id = $1").bind(&id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(staged, None);
    // the same upload cannot be committed twice
    let again = app.call_fn(&c, CommitImport { import_id: id.clone() }).await;
    assert_eq!(again.body["message"], "该文件已导入，请勿重复提交。");
    assert_eq!((again.status.as_u16(), again.kind()), (409, Some("conflict")), "{:?}", again.body);
    assert_eq!(again.body["code"], "import_already_committed");
    assert_eq!(app.member_count().await, before + 2);
    // uploading the same file again finds every ID already in this union
    let (_, p2) = app.upload(&c, "members.xlsx", file).await;
    let messages: Vec<_> =
        p2["issues"].as_array().unwrap().iter().map(|i| i["message"].as_str().unwrap().to_string()).collect();
    assert_eq!(messages, vec![format!("该证件号码在【{UNION_A}】中已存在！"); 2]);
}

/// The instance that previewed a clean upload keeps its checked rows in memory for the commit:
/// the commit needs neither the stored copy of those rows nor the file.
async fn a_commit_on_the_instance_that_previewed_writes_the_rows_it_kept(app: TestApp) {
    let a = app.login_ok("shili", DEMO_PASSWORD).await;
    let id_number = resident_id("44030519920303345");
    let file = workbook(UNION_A, &[["王五", &id_number, "13912345688", "仓储部"]]);
    let (_, p) = app.upload(&a, "kept.xlsx", file).await;
    assert!(p["issues"].as_array().unwrap().is_empty(), "{p}");
    let id = p["import_id"].as_str().unwrap().to_string();
    // both stored copies spoilt: a commit that read either would fail or find nothing to write
    let empty: &[u8] = &[];
    sqlx::query("UPDATE imports SET staged = $1, file = $2 WHERE id = $3")
        .bind("{}")
        .bind(empty)
        .bind(&id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let before = app.member_count().await;
    let r = app.call_fn(&a, CommitImport { import_id: id.clone() }).await;
    assert_eq!(r.body["imported"], 1, "{:?}", r.body);
    assert_eq!(app.member_count().await, before + 1);
    let (name, department): (String, Option<String>) =
        sqlx::query_as("SELECT name, department FROM members WHERE id_number = $1")
            .bind(&id_number)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((name.as_str(), department.as_deref()), ("王五", Some("仓储部")));
    // taken once: the same upload again is refused as already imported
    let again = app.call_fn(&a, CommitImport { import_id: id }).await;
    assert_eq!(again.body["code"], "import_already_committed", "{:?}", again.body);
}

async fn a_commit_checks_again_what_changed_since_the_preview(app: TestApp) {
    let a = app.login_ok("shili", DEMO_PASSWORD).await;
    let b = app.login_ok("yangban", DEMO_PASSWORD).await;
    let shared_id = resident_id("44030519900101123");
    let file = workbook(
        UNION_A,
        &[
            ["张三", &shared_id, "13912345678", "生产部"],
            ["李四", &resident_id("44030519910202234"), "13912345679", ""],
        ],
    );
    let (_, p) = app.upload(&a, "a.xlsx", file.clone()).await;
    assert!(p["issues"].as_array().unwrap().is_empty(), "{p}");
    let first = p["import_id"].as_str().unwrap().to_string();
    let staged: Option<String> = sqlx::query_scalar("SELECT staged FROM imports WHERE id = $1")
        .bind(&first)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(staged.is_some(), "a clean upload's rows are staged for the commit");

    // another union records one of the IDs after the preview: the commit writes nothing and
    // shows the row and why, like a new upload would
    let (_, pb) = app.upload(&b, "b.xlsx", workbook(UNION_B, &[["张三", &shared_id, "13912345678", ""]])).await;
    let done_b = app.call_fn(&b, CommitImport { import_id: pb["import_id"].as_str().unwrap().into() }).await;
    assert_eq!(done_b.body["imported"], 1, "{:?}", done_b.body);
    let before = app.member_count().await;
    let r = app.call_fn(&a, CommitImport { import_id: first.clone() }).await;
    assert_eq!(r.body["imported"], serde_json::Value::Null, "{:?}", r.body);
    let issues = r.body["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0]["row"], 5);
    assert_eq!(issues[0]["message"], "该证件号码已存在！");
    assert_eq!(app.member_count().await, before, "all or nothing");

    // the union's registered name changes after a preview: the staged rows no longer hold,
    // the file is checked again and its B3 is now wrong
    let file2 = workbook(UNION_A, &[["李四", &resident_id("44030519910202234"), "13912345679", ""]]);
    let (_, p2) = app.upload(&a, "a2.xlsx", file2.clone()).await;
    let second = p2["import_id"].as_str().unwrap().to_string();
    sqlx::query("UPDATE unions SET name = $1 WHERE name = $2")
        .bind("深圳市示例电子有限公司工会")
        .bind(UNION_A)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let r2 = app.call_fn(&a, CommitImport { import_id: second.clone() }).await;
    assert_eq!(r2.body["imported"], serde_json::Value::Null, "{:?}", r2.body);
    assert_eq!(r2.body["issues"][0]["row"], 3, "{:?}", r2.body);
    assert_eq!(app.member_count().await, before);
    sqlx::query("UPDATE unions SET name = $1 WHERE name = $2")
        .bind(UNION_A)
        .bind("深圳市示例电子有限公司工会")
        .execute(&app.db.pool)
        .await
        .unwrap();

    // rows staged by a build with other rules are not trusted: the file is read again, then committed
    let staged: String = sqlx::query_scalar("SELECT staged FROM imports WHERE id = $1")
        .bind(&second)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let mut other: serde_json::Value = serde_json::from_str(&staged).unwrap();
    other["context"] =
        serde_json::Value::String(format!("0123456789abcdef{}", &other["context"].as_str().unwrap()[16..]));
    other["members"][0][0] = "不在文件里的人".into();
    sqlx::query("UPDATE imports SET staged = $1 WHERE id = $2")
        .bind(other.to_string())
        .bind(&second)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let r3 = app.call_fn(&a, CommitImport { import_id: second.clone() }).await;
    assert_eq!(r3.body["imported"], 1, "{:?}", r3.body);
    assert_eq!(app.member_count().await, before + 1);
    let name: String = sqlx::query_scalar("SELECT name FROM members WHERE import_id = $1")
        .bind(&second)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(name, "李四", "the file's row, not the stale staged one");

    // rows staged by a preview never committed are dropped once it is a day old
    let (_, p4) = app
        .upload(&a, "a4.xlsx", workbook(UNION_A, &[["周八", &resident_id("44030519920303345"), "13912345672", ""]]))
        .await;
    let abandoned = p4["import_id"].as_str().unwrap().to_string();
    sqlx::query("UPDATE imports SET created_at = created_at - 90000 WHERE id = $1")
        .bind(&abandoned)
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.upload(&a, "a5.xlsx", workbook(UNION_A, &[["吴九", &resident_id("44030519930404456"), "13912345673", ""]]))
        .await;
    let staged: Option<String> = sqlx::query_scalar("SELECT staged FROM imports WHERE id = $1")
        .bind(&abandoned)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(staged, None);
}

async fn a_file_with_mistakes_reports_every_error_and_writes_nothing(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let before = app.member_count().await;
    let good = resident_id("44030519850505321");
    let taken_elsewhere: String = sqlx::query_scalar(
        "SELECT m.id_number FROM members m JOIN unions u ON u.id = m.union_id WHERE u.name = $1 LIMIT 1",
    )
    .bind(UNION_B)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let own_id: String = sqlx::query_scalar(
        "SELECT m.id_number FROM members m JOIN unions u ON u.id = m.union_id WHERE u.name = $1 AND m.name = '黄丽'",
    )
    .bind(UNION_A)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let other_name: String = sqlx::query_scalar("SELECT name FROM members WHERE id_number = $1")
        .bind(&taken_elsewhere)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let file = workbook(
        UNION_A,
        &[
            ["王五", &good, "13912345678", ""],
            ["赵六", "44030519850505321O", "1391234567", ""],
            ["孙七", &good, "13912345670", ""],
            [&other_name, &taken_elsewhere, "13912345671", ""],
            ["黄丽", &own_id, "1391234", ""],
        ],
    );
    let (status, p) = app.upload(&c, "bad.xlsx", file).await;
    assert_eq!(status, 200);
    let issues = p["issues"].as_array().unwrap();
    let find = |row: u64, col: &str| {
        issues
            .iter()
            .find(|i| i["row"] == row && i["column"] == col)
            .map(|i| i["message"].as_str().unwrap().to_string())
    };
    assert_eq!(find(6, "D").as_deref(), Some("身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母\"O\"！"));
    assert_eq!(find(6, "H").as_deref(), Some("手机号码：1391234567为无效手机号，请填写长度为11位数字的有效手机号码。"));
    assert_eq!(find(7, "D").as_deref(), Some("同5行的王五证件号码相同。"));
    let elsewhere = issues.iter().find(|i| i["row"] == 8).unwrap();
    assert_eq!(elsewhere["message"], "该证件号码已存在！");
    assert!(elsewhere["hint"].as_str().unwrap().contains("该会员是否已在其他单位录入"), "{elsewhere}");
    // a row with another mistake is told at once that its ID is already a member here
    assert_eq!(find(9, "H").as_deref(), Some("手机号码：1391234为无效手机号，请填写长度为11位数字的有效手机号码。"));
    assert_eq!(find(9, "D"), Some(format!("该证件号码在【{UNION_A}】中已存在！")));
    for i in issues {
        assert!(i["code"].as_str().is_some_and(|c| !c.is_empty()) && i["hint"].is_string(), "{i}");
    }
    assert_eq!(p["ok_rows"], 1);

    // a note far right of M (column AB, past the columns the reader keeps) is reported as one
    // in N would be, not dropped
    let mut row: [String; 13] = Default::default();
    (row[1], row[3], row[7]) = ("周八".into(), resident_id("44030519850505322"), "13912345672".into());
    let far = crate::common::workbook::full_workbook_with(UNION_A, &[row], &[(4, 27, "工号008")]);
    let (status, far) = app.upload(&c, "far.xlsx", far).await;
    assert_eq!(status, 200, "{far}");
    let far_issues = far["issues"].as_array().unwrap();
    assert_eq!(far_issues.len(), 1, "{far}");
    assert_eq!(far_issues[0]["code"], "beyond_column_m");
    assert_eq!(far_issues[0]["message"], "表格的最右列应是M列，AB列有内容（AB5）！");
    let id = p["import_id"].as_str().unwrap().to_string();
    let refused = app.call_fn(&c, CommitImport { import_id: id.clone() }).await;
    assert!(refused.body["imported"].is_null(), "nothing committed while errors stand: {:?}", refused.body);
    assert_eq!(app.member_count().await, before);
    // the error report: the clerk's rows with a 错误原因 column
    let r = c.get(format!("{}/union/imports/{id}/report.xlsx", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let report = app::server::xlsx::read_first_sheet(&r.bytes().await.unwrap(), &Default::default()).unwrap();
    let row6 = report.rows.iter().find(|r| r.row == 6).unwrap();
    let text = format!("{:?}", row6.cells);
    assert!(text.contains("无效手机号") && text.contains("赵六"), "{text}");
}

async fn a_file_wrong_on_every_row_sends_the_browser_its_first_errors_and_their_count(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    // 700 rows, each with a phone number one digit short
    let rows: Vec<[String; 4]> = (0..700u32)
        .map(|i| {
            [
                "张三".to_string(),
                resident_id(&format!("440305199001{:02}{:03}", i % 28 + 1, 100 + i)),
                format!("1391234{:03}", i),
                String::new(),
            ]
        })
        .collect();
    let (status, p) = app.upload(&c, "bad.xlsx", workbook(UNION_A, &rows)).await;
    assert_eq!(status, 200);
    assert_eq!(p["issue_count"], 700, "{}", p["issue_count"]);
    let sent = p["issues"].as_array().unwrap();
    assert_eq!(sent.len(), app::api::imports::SENT_ISSUES);
    assert_eq!(sent[0]["row"], 5);
    assert_eq!(sent[0]["column"], "H");
    // the error report has every one of them
    let id = p["import_id"].as_str().unwrap();
    let report =
        c.get(format!("{}/union/imports/{id}/report.xlsx", app.base)).send().await.unwrap().bytes().await.unwrap();
    let sheet = app::server::xlsx::read_first_sheet(&report, &Default::default()).unwrap();
    let marked = sheet
        .rows
        .iter()
        .filter(|r| r.row >= 5 && matches!(r.cell(13), app::domain::sheet::Cell::Text(t) if t.starts_with("H列")))
        .count();
    assert_eq!(marked, 700);
}

async fn a_refused_file_gets_a_plain_chinese_message(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let cases: [(&str, Vec<u8>); 4] = [
        ("random bytes", (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect()),
        ("a CSV renamed", "序号,姓名,证件号码\n1,张三,440305199001011234\n".as_bytes().to_vec()),
        ("an old .xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1].iter().copied().cycle().take(4096).collect()),
        (
            "a truncated workbook",
            workbook(UNION_A, &[["张三", "44030519900101123X", "13912345678", ""]])[..900].to_vec(),
        ),
    ];
    for (what, bytes) in cases {
        let (status, body) = app.upload(&c, "x.xlsx", bytes).await;
        assert_eq!(status, 422, "{what}: {body}");
        let m = body["message"].as_str().unwrap();
        assert!(m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{what}: a Chinese message, got {m}");
    }
    let (status, body) = app.upload(&c, "x.xlsx", Vec::new()).await;
    assert_eq!((status, body["message"].as_str()), (422, Some("上传的文件是空的，请重新选择文件。")));
    // the server is still up
    assert!(app.call_fn(&c, WhoAmI {}).await.body["username"] == "shili");
}

async fn import_waits_for_complete_union_info(app: TestApp) {
    sqlx::query("UPDATE unions SET credit_code = NULL WHERE name = $1")
        .bind(UNION_A)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let (status, body) = app.upload(&c, "x.xlsx", workbook::<&str>(UNION_A, &[])).await;
    assert_eq!(status, 422);
    assert!(body["message"].as_str().unwrap().contains("统一社会信用代码"), "{body}");
    let r = c.get(format!("{}/union/template.xlsx", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("请先完善单位信息"));
}

async fn a_union_reaches_only_its_own_uploads_and_members(app: TestApp) {
    let a = app.login_ok("shili", DEMO_PASSWORD).await;
    let (_, p) = app
        .upload(&a, "m.xlsx", workbook(UNION_A, &[["张三", &resident_id("44030519900101123"), "13912345678", ""]]))
        .await;
    let id = p["import_id"].as_str().unwrap().to_string();
    let b = app.login_ok("yangban", DEMO_PASSWORD).await;
    let other = app.call_fn(&b, CommitImport { import_id: id.clone() }).await;
    assert_eq!((other.status.as_u16(), other.kind()), (404, Some("not_found")));
    assert_eq!(b.get(format!("{}/union/imports/{id}/report.xlsx", app.base)).send().await.unwrap().status(), 404);
    let a_member: MemberId =
        sqlx::query_scalar("SELECT m.id FROM members m JOIN unions u ON u.id = m.union_id WHERE u.name = $1 LIMIT 1")
            .bind(UNION_A)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let replies = [
        ("members/get", app.call_fn(&b, GetMember { id: a_member }).await),
        ("members/delete", app.call_fn(&b, DeleteMember { id: a_member }).await),
    ];
    for (endpoint, r) in replies {
        assert_eq!(r.kind(), Some("not_found"), "{endpoint}");
        assert_eq!(r.status.as_u16(), 404, "{endpoint}");
    }
    assert_eq!(app.upload(&client(), "m.xlsx", vec![1, 2, 3]).await.0, 401);
}

/// `unioncard import`: exit codes and the JSON object on stdout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_imports_with_the_same_rules_and_says_so_in_json() {
    let app = common::spawn(Engine::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: Vec<String>| {
        let url = app.url.clone();
        async move {
            let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_unioncard"))
                .env("DATABASE_URL", url)
                .args(args)
                .output()
                .await
                .unwrap();
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
            (out.status.code().unwrap(), json)
        }
    };
    let good = dir.path().join("good.xlsx");
    std::fs::write(&good, workbook(UNION_A, &[["张三", &resident_id("44030519900101123"), "13912345678", ""]]))
        .unwrap();
    let bad = dir.path().join("bad.xlsx");
    std::fs::write(&bad, workbook(UNION_A, &[["张三", "44030519900101123", "13912345678", ""]])).unwrap();
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, b"not a workbook at all").unwrap();
    let args = |extra: &[&str], f: &std::path::Path| {
        let mut v: Vec<String> = vec!["import".into(), "--union".into(), UNION_A.into(), "--json".into()];
        v.extend(extra.iter().map(|s| s.to_string()));
        v.push(f.display().to_string());
        v
    };
    let before = app.member_count().await;
    let (code, j) = run(args(&["--dry-run"], &good)).await;
    assert_eq!((code, j["rows"].as_u64(), j["imported"].as_u64()), (0, Some(1), Some(0)), "{j}");
    assert_eq!(app.member_count().await, before, "a dry run writes nothing");
    let (code, j) = run(args(&[], &bad)).await;
    assert_eq!(code, 1, "{j}");
    assert_eq!(j["errors"][0]["row"], 5);
    assert_eq!(j["errors"][0]["column"], "D");
    assert_eq!(j["errors"][0]["message"], "身份证号码格式错误，请填写18位正确的身份证号码！");
    let (code, j) = run(args(&[], &junk)).await;
    assert_eq!(code, 2, "{j}");
    assert!(j["errors"][0]["row"].is_null() && j["errors"][0]["code"].is_string());
    let (code, j) = run(args(&[], &good)).await;
    assert_eq!((code, j["imported"].as_u64()), (0, Some(1)), "{j}");
    assert_eq!(app.member_count().await, before + 1);
    let (code, j) = run(vec![
        "import".into(),
        "--union".into(),
        "不存在的工会".into(),
        "--json".into(),
        good.display().to_string(),
    ])
    .await;
    assert_eq!((code, j["errors"][0]["code"].as_str()), (2, Some("union_not_found")));
}
