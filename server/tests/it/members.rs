//! A union's members: the list (search, filters, masking), one member's record, its edit and
//! removal, and what a database failure looks like to the user.

use app::{
    api::{
        auth::Login,
        members::{DeleteMember, GetMember, ListDepartments, UpdateMember},
    },
    domain::{card::CardState, ids::MemberId, member::MemberInput},
};
use unioncard_server::seed::{DEMO_PASSWORD, UNION_A};

use crate::common::{self, follow, list_members, post_form, script_free, Engine, TestApp};

on_every_collation!(
    lists_mask_id_and_phone_numbers,
    the_member_list_has_no_script_and_keeps_its_search_out_of_the_address,
    a_member_is_edited_with_the_template_rules_and_removed,
    a_database_error_reaches_the_user_as_a_plain_message,
);

async fn lists_mask_id_and_phone_numbers(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let r = app.call_fn(&c, list_members("", None, "", 1)).await;
    assert_eq!(r.body["total"], 24);
    for m in r.body["items"].as_array().unwrap() {
        let id = m["id_number_masked"].as_str().unwrap();
        assert!(id.starts_with("4403") && id.contains("**********"), "{id}");
        assert!(m["phone_masked"].as_str().unwrap().contains("****"));
    }
    let by_state = app.call_fn(&c, list_members("", Some(CardState::Rejected), "", 1)).await;
    assert!(by_state.body["items"].as_array().unwrap().iter().all(|m| m["card_state"] == "rejected"));
    let by_name = app.call_fn(&c, list_members("黄丽", None, "", 1)).await;
    assert_eq!(by_name.body["total"], 1);
    // the last digits of a phone or an ID number find the member
    let by_phone = app.call_fn(&c, list_members("138000", None, "", 1)).await;
    assert_eq!(by_phone.body["items"][0]["name"], "黄丽", "{:?}", by_phone.body);
    let id_tail: String = sqlx::query_scalar("SELECT substr(id_number, 13, 6) FROM members WHERE name = '黄丽'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let by_id = app.call_fn(&c, list_members(&id_tail.to_lowercase(), None, "", 1)).await;
    assert!(by_id.body["items"].as_array().unwrap().iter().any(|m| m["name"] == "黄丽"), "{:?}", by_id.body);
    for m in by_id.body["items"].as_array().unwrap() {
        assert!(
            m["id_number_masked"].as_str().unwrap().ends_with(&id_tail[2..])
                || m["phone_masked"].as_str().unwrap().ends_with(&id_tail[2..])
        );
    }
    // the department filter: the departments on record, then one of them
    let departments = app.call_fn(&c, ListDepartments {}).await;
    let mut counted: Vec<(String, i64)> = sqlx::query_as(
        "SELECT department, COUNT(*) FROM members m JOIN unions u ON u.id = m.union_id \
        WHERE u.name = $1 AND department IS NOT NULL GROUP BY department",
    )
    .bind(UNION_A)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    counted.sort();
    assert!(counted.len() >= 2, "the demo union has several departments");
    let listed: Vec<(String, i64)> = departments
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap().to_string(), d["members"].as_i64().unwrap()))
        .collect();
    assert_eq!(listed, counted);
    let (dept, n) = &counted[0];
    let by_dept = app.call_fn(&c, list_members("", None, dept, 1)).await;
    assert_eq!(by_dept.body["total"], *n);
    assert!(by_dept.body["items"].as_array().unwrap().iter().all(|m| m["department"] == dept.as_str()));
    // a deep page and a state filter together
    let page2 = app.call_fn(&c, list_members("", None, "", 2)).await;
    assert_eq!(page2.body["items"].as_array().unwrap().len(), 4, "24 members, 20 a page");
}

/// 会员信息 is sent without scripts: 查询 is a plain form whose answer is the list's address for
/// the filters, the search text kept in the session (a whole ID number never stands in an
/// address), and the pages are links that keep search and filters.
async fn the_member_list_has_no_script_and_keeps_its_search_out_of_the_address(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let (status, page) = app.get_page(&c, "/union/members").await;
    assert!(status.is_success());
    assert!(!script_free(&page).is_empty(), "no script on the member list: {page}");
    assert!(page.contains("第 1 / 2 页，共 24 条") && page.contains(r#"href="/union/members?page=2""#), "{page}");

    let id: String =
        sqlx::query_scalar("SELECT id_number FROM members WHERE name = '黄丽'").fetch_one(&app.db.pool).await.unwrap();
    let fields = [("q", id.as_str()), ("state", ""), ("department", "")];
    let (status, to) = post_form(&app, &c, "members/search", "/union/members?page=2", &fields).await;
    assert_eq!((status, to.as_str()), (302, "/union/members?search=1"));
    let page = follow(&app, &c, &to).await;
    assert!(page.contains("共 1 条") && page.contains("黄丽"), "{page}");
    assert!(page.contains(&format!(r#"value="{id}""#)), "the search field shows what was searched");
    assert_eq!(page.matches(&id).count(), 1, "the whole number only in the search field, not in a link");

    // a filter with a search: both kept by the pager's links
    let fields = [("q", "部"), ("state", "activated"), ("department", "仓储部")];
    let (_, to) = post_form(&app, &c, "members/search", "/union/members", &fields).await;
    assert_eq!(to, "/union/members?search=1&state=activated&department=%E4%BB%93%E5%82%A8%E9%83%A8");
    // the same address without `search` is the whole list again (the menu's link)
    let page = follow(&app, &c, "/union/members").await;
    assert!(page.contains("共 24 条") && !page.contains(r#"value="部""#), "{page}");
    // a page far past the end: an empty page whose 上一页 goes to the last one
    let page = follow(&app, &c, "/union/members?page=9223372036854775807").await;
    assert!(page.contains(r#"href="/union/members?page=2""#) && page.contains("共 24 条"), "{page}");

    // signed out, the search is forgotten
    let (_, to) =
        post_form(&app, &c, "members/search", "/union/members", &[("q", &id), ("state", ""), ("department", "")]).await;
    assert!(follow(&app, &c, &to).await.contains(&id));
    let (status, _) = post_form(&app, &c, "logout", "/union/members", &[]).await;
    assert_eq!(status, 302);
    let again = app.call_fn(&c, Login { username: "shili".into(), password: DEMO_PASSWORD.into() }).await;
    assert!(again.kind().is_none(), "{:?}", again.body);
    let page = follow(&app, &c, "/union/members?search=1").await;
    assert!(page.contains("共 24 条") && !page.contains(&id), "{page}");
    // and another clerk signing in on the same browser without signing out finds none of it
    let (_, to) =
        post_form(&app, &c, "members/search", "/union/members", &[("q", &id), ("state", ""), ("department", "")]).await;
    assert!(follow(&app, &c, &to).await.contains(&id));
    let other = app.call_fn(&c, Login { username: "yangban".into(), password: DEMO_PASSWORD.into() }).await;
    assert!(other.kind().is_none(), "{:?}", other.body);
    let page = follow(&app, &c, "/union/members?search=1").await;
    assert!(!page.contains(&id), "another clerk's search is not kept: {page}");
    // another role may not search a union's members
    let bank = app.login_ok("boc", DEMO_PASSWORD).await;
    let (status, to) =
        post_form(&app, &bank, "members/search", "/bank", &[("q", "黄丽"), ("state", ""), ("department", "")]).await;
    assert!(status == 302 && to.contains("__err="), "{status} {to}");
}

async fn a_member_is_edited_with_the_template_rules_and_removed(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    let (id, idn): (MemberId, String) = sqlx::query_as("SELECT m.id, m.id_number FROM members m JOIN cards c ON c.member_id = m.id JOIN unions u ON u.id = m.union_id WHERE u.name = $1 AND c.state = 'pending' LIMIT 1")
        .bind(UNION_A)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let d = app.call_fn(&c, GetMember { id }).await;
    assert_eq!(d.body["input"]["id_number"], idn.as_str(), "the edit form gets the full number");
    let actions = app::server::audit::actions_for(&app.db, &format!("member:{id}")).await.unwrap();
    assert_eq!(actions, ["member_viewed"]);
    let form = |phone: &str, idn: &str| UpdateMember {
        id,
        input: MemberInput {
            name: "新名字".into(), id_number: idn.into(), phone: phone.into(), ..Default::default()
        },
    };
    let bad = app.call_fn(&c, form("12345", &idn)).await;
    assert_eq!(bad.body["kind"], "invalid");
    assert_eq!(bad.status.as_u16(), 422);
    assert!(bad.body["errors"][0]["message"].as_str().unwrap().contains("为无效手机号"), "{:?}", bad.body);
    let ok = app.call_fn(&c, form("13700001111", &idn)).await;
    assert_eq!(ok.body["input"]["name"], "新名字", "{:?}", ok.body);
    let actions = app::server::audit::actions_for(&app.db, &format!("member:{id}")).await.unwrap();
    assert_eq!(actions[0], "member_updated");
    let gone = app.call_fn(&c, DeleteMember { id }).await;
    assert!(gone.kind().is_none(), "{:?}", gone.body);
    let after = app.call_fn(&c, GetMember { id }).await;
    assert_eq!(after.kind(), Some("not_found"));
    assert_eq!(after.status.as_u16(), 404);
    // a member whose card is under way stays
    let busy: MemberId = sqlx::query_scalar("SELECT m.id FROM members m JOIN cards c ON c.member_id = m.id JOIN unions u ON u.id = m.union_id WHERE u.name = $1 AND c.state = 'in_production' LIMIT 1")
        .bind(UNION_A)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let stays = app.call_fn(&c, DeleteMember { id: busy }).await;
    assert_eq!(stays.kind(), Some("refused"));
    assert_eq!((stays.status.as_u16(), stays.body["code"].as_str()), (422, Some("member_card_under_way")));
    // and its name and ID are the bank's to judge now: refused, while its phone may change
    let d = app.call_fn(&c, GetMember { id: busy }).await;
    let held: MemberInput = serde_json::from_value(d.body["input"].clone()).unwrap();
    let renamed = MemberInput { name: "改个名字".into(), ..held.clone() };
    let r = app.call_fn(&c, UpdateMember { id: busy, input: renamed }).await;
    assert_eq!((r.status.as_u16(), r.body["code"].as_str()), (422, Some("identity_locked")), "{:?}", r.body);
    assert_eq!(r.body["message"], CardState::InProduction.identity_lock().unwrap());
    let name: String =
        sqlx::query_scalar("SELECT name FROM members WHERE id = $1").bind(busy).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(name, held.name);
    let new_phone = if held.phone == "13700002222" { "13700003333" } else { "13700002222" };
    let r = app.call_fn(&c, UpdateMember { id: busy, input: MemberInput { phone: new_phone.into(), ..held } }).await;
    assert!(r.kind().is_none(), "{:?}", r.body);
    assert_eq!(r.body["input"]["phone"], new_phone);
    // once the card is activated its lifecycle is over: the record is the union's to fix again
    let done: MemberId = sqlx::query_scalar("SELECT m.id FROM members m JOIN cards c ON c.member_id = m.id JOIN unions u ON u.id = m.union_id WHERE u.name = $1 AND c.state = 'activated' LIMIT 1")
        .bind(UNION_A)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let d = app.call_fn(&c, GetMember { id: done }).await;
    let held: MemberInput = serde_json::from_value(d.body["input"].clone()).unwrap();
    let r =
        app.call_fn(&c, UpdateMember { id: done, input: MemberInput { name: "更正后的名字".into(), ..held } }).await;
    assert!(r.kind().is_none(), "{:?}", r.body);
    assert_eq!(r.body["input"]["name"], "更正后的名字");
}

async fn a_database_error_reaches_the_user_as_a_plain_message(app: TestApp) {
    let c = app.login_ok("shili", DEMO_PASSWORD).await;
    sqlx::query("DROP TABLE card_events").execute(&app.db.pool).await.unwrap();
    sqlx::query("ALTER TABLE members RENAME TO members_gone").execute(&app.db.pool).await.unwrap();
    let r = app.call_fn(&c, list_members("", None, "", 1)).await;
    assert_eq!(r.kind(), Some("internal"));
    assert_eq!(r.status.as_u16(), 500);
    let text = r.body.to_string();
    assert!(!text.contains("members") && !text.contains("relation") && !text.contains("table"), "{text}");
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    let app = common::spawn(Engine::Sqlite).await;
    let before = app.member_count().await;
    let again = unioncard_server::seed::seed_demo(&app.db).await.unwrap();
    assert_eq!(again, unioncard_server::seed::Outcome::AlreadyHasData);
    assert_eq!(app.member_count().await, before);
}
