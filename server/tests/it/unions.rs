//! A union's information: the union-name rule shared by the info form and account creation,
//! and the info a grassroots union must complete before it can work.

use app::{
    api::{
        accounts::CreateAccount,
        auth::ChangePassword,
        cards::SubmitBatch,
        overview::{supervisor::GetSupervisorOverview, union::GetUnionOverview},
        unions::SaveUnionInfo,
    },
    domain::union_info::UnionInfoForm,
};
use unioncard_server::seed::DEMO_PASSWORD;

use crate::common::TestApp;

on_both_engines!(
    a_union_name_its_info_form_would_refuse_cannot_open_an_account,
    a_grassroots_union_completes_its_info_and_the_lock_lifts,
    the_info_page_has_no_script_and_a_refused_save_keeps_every_field,
);

/// 单位信息 without scripts: 保存 is a plain form; a refusal comes back with every field as typed
/// and the message under its field, once; a save says 已保存 once.
async fn the_info_page_has_no_script_and_a_refused_save_keeps_every_field(app: TestApp) {
    use crate::common::{follow, post_form, script_free};
    let clerk = app.login_ok("yangban", DEMO_PASSWORD).await;
    let (_, page) = app.get_page(&clerk, "/union/info").await;
    assert!(!script_free(&page).is_empty(), "no script on 单位信息: {page}");
    let before = page;
    let fields = |credit: &'static str| {
        vec![
            ("info[union_name]", "深圳市样板物流有限公司工会委员会"),
            ("info[unit_name]", "深圳市样板物流有限公司（新）"),
            ("info[credit_code]", credit),
            ("info[address]", "深圳市宝安区新安街道1号"),
            ("info[contact_person]", "陈静"),
            ("info[contact_phone]", "0755-83288565"),
            ("info[pickup_branch]", "104584000102"),
            ("info[agreement_branch]", "104584000102"),
            ("info[agreement_signed_on]", "2026-03-02"),
        ]
    };
    let (status, to) = post_form(&app, &clerk, "union/info/save", "/union/info", &fields("91110000600037341M")).await;
    assert!(status == 302 && to.contains("__err="), "{status} {to}");
    let page = follow(&app, &clerk, &to).await;
    assert!(page.contains("统一社会信用代码校验位不正确，请核对营业执照。"), "{page}");
    assert!(
        page.contains(r#"value="深圳市样板物流有限公司（新）""#) && page.contains(r#"value="91110000600037341M""#),
        "every field as typed: {page}"
    );
    assert!(!page.contains("已保存。"));
    assert_eq!(page.matches(r#"aria-invalid="true""#).count(), 1, "only the credit code is marked: {page}");
    assert!(page.contains(r#"id="credit_code" name="info[credit_code]""#), "{page}");
    // read once: the next visit shows the record as saved
    let page = follow(&app, &clerk, "/union/info").await;
    assert!(!page.contains("91110000600037341M") && !page.contains("（新）"), "{page}");
    assert_eq!(page.contains("已保存。"), before.contains("已保存。"));

    let (status, to) = post_form(&app, &clerk, "union/info/save", &to, &fields("91110000600037341L")).await;
    assert!(status == 302 && !to.contains("__err"), "{status} {to}");
    let page = follow(&app, &clerk, &to).await;
    assert!(page.contains("已保存。") && page.contains(r#"value="深圳市样板物流有限公司（新）""#), "{page}");
    assert!(!follow(&app, &clerk, "/union/info").await.contains("已保存。"), "said once");
}

async fn a_union_name_its_info_form_would_refuse_cannot_open_an_account(app: TestApp) {
    let sup = app.login_ok("futian", DEMO_PASSWORD).await;
    let district_id = app.union_id("福田区总工会").await;
    let too_long = format!("深圳市{}工会", "示".repeat(96));
    assert_eq!(too_long.chars().count(), 101);
    let r = app
        .call_fn(
            &sup,
            CreateAccount {
                parent_id: district_id,
                level: "grassroots".into(),
                union_name: too_long.clone(),
                username: "longname01".into(),
            },
        )
        .await;
    assert_eq!(r.kind(), Some("invalid"), "{:?}", r.body);
    assert_eq!(r.status.as_u16(), 422, "{:?}", r.body);
    assert_eq!(r.field_message("union_name").as_deref(), Some("工会名称不能超过100个字。"), "{:?}", r.body);
    let opened: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM unions WHERE name = $1")
        .bind(&too_long)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(opened, 0, "no union was opened");
    // one character fewer is the longest name the info form accepts, and opens an account
    let longest: String = too_long.chars().skip(1).collect();
    app.create_grassroots(&sup, "longname01", &longest).await;
}

async fn a_grassroots_union_completes_its_info_and_the_lock_lifts(app: TestApp) {
    let sup = app.login_ok("futian", DEMO_PASSWORD).await;
    let (user, initial) = app.create_grassroots(&sup, "infotest1", "深圳市信息测试有限公司工会委员会").await;
    let (c, _) = app.login(&user, &initial).await;
    app.call_fn(
        &c,
        ChangePassword { current: initial.clone(), new: "Kaika2026x".into(), confirm: "Kaika2026x".into() },
    )
    .await;
    let o = app.call_fn(&c, GetUnionOverview {}).await;
    let missing: Vec<_> = o.body["missing"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    assert_eq!(missing, ["单位名称", "统一社会信用代码", "单位地址", "联系人", "联系电话", "领卡网点"]);
    let form_named = |name: &str, credit: &str, branch: &str| SaveUnionInfo {
        info: UnionInfoForm {
            union_name: name.into(),
            unit_name: "深圳市信息测试有限公司".into(),
            credit_code: credit.into(),
            address: "深圳市福田区福华路1号".into(),
            contact_person: "陈静".into(),
            contact_phone: "0755-83288565".into(),
            pickup_branch: branch.into(),
            ..Default::default()
        },
    };
    let form = |credit, branch| form_named("深圳市信息测试有限公司工会委员会", credit, branch);
    let bad = app.call_fn(&c, form("91110000600037341M", "104584000101")).await;
    assert_eq!(bad.field_message("credit_code").as_deref(), Some("统一社会信用代码校验位不正确，请核对营业执照。"));
    assert_eq!((bad.status.as_u16(), bad.kind()), (422, Some("invalid")));
    let bad = app.call_fn(&c, form("91110000600037341L", "999999999999")).await;
    assert_eq!(bad.field_message("pickup_branch").as_deref(), Some("无效的领卡网点！"));
    let taken =
        app.call_fn(&c, form_named("深圳市示例电子有限公司工会委员会", "91110000600037341L", "104584000101")).await;
    assert!(taken.field_message("union_name").is_some(), "another union's registered name: {:?}", taken.body);
    let ok = app.call_fn(&c, form("91110000600037341l", "104584000101")).await;
    assert!(ok.kind().is_none(), "{:?}", ok.body);
    assert_eq!(ok.body["form"]["credit_code"], "91110000600037341L", "stored normalised");
    let o = app.call_fn(&c, GetUnionOverview {}).await;
    assert_eq!(o.body["missing"].as_array().unwrap().len(), 0);

    // complete info opens the import; batch applications wait for the bank agreement
    assert!(o.body["batch_lock"].as_str().unwrap().contains("批量开卡协议"), "{:?}", o.body);
    let submit = SubmitBatch { request_key: "k".into(), members: vec![], all: true };
    let r = app.call_fn(&c, submit.clone()).await;
    assert_eq!((r.status.as_u16(), r.body["code"].as_str()), (422, Some("agreement_missing")), "{:?}", r.body);
    let with_agreement = |branch: &str, day: &str| {
        let mut f = form("91110000600037341L", "104584000101");
        f.info.agreement_branch = branch.into();
        f.info.agreement_signed_on = day.into();
        f
    };
    let tomorrow = app::domain::format_time(app::server::db::now() + 86_400)[..10].to_string();
    let r = app.call_fn(&c, with_agreement("104584000101", &tomorrow)).await;
    assert_eq!(r.field_message("agreement_signed_on").as_deref(), Some("签约日期不能晚于今天。"), "{:?}", r.body);
    let r = app.call_fn(&c, with_agreement("999999999999", "2026-03-01")).await;
    assert_eq!(r.field_message("agreement_branch").as_deref(), Some("无效的合作网点！"), "{:?}", r.body);
    let r = app.call_fn(&c, with_agreement("104584000102", "2026-03-01")).await;
    assert_eq!(r.body["form"]["agreement_signed_on"], "2026-03-01", "{:?}", r.body);
    let o = app.call_fn(&c, GetUnionOverview {}).await;
    assert!(o.body["batch_lock"].is_null(), "{:?}", o.body);
    let r = app.call_fn(&c, submit).await;
    assert_eq!(r.body["code"], "nothing_pending", "open now, with no member yet: {:?}", r.body);
    let s = app.call_fn(&sup, GetSupervisorOverview { union_id: None, sort: None, page: None }).await;
    assert_eq!(s.body["grassroots_total"], 3);
    assert_eq!(s.body["grassroots_info_complete"], 3);
}
