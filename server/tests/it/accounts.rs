//! A supervisor's account management: its scope, password resets and disabled accounts.

use app::{
    api::{
        accounts::{CreateAccount, ListAccounts, ResetPassword, SetAccountDisabled},
        overview::{supervisor::GetSupervisorOverview, union::GetUnionOverview},
    },
    domain::ids::{UnionId, UserId},
};
use unioncard_server::seed::DEMO_PASSWORD;

use crate::common::TestApp;

on_every_collation!(
    a_supervisor_reaches_only_accounts_below_its_own_union,
    a_reset_password_ends_old_sessions_and_unlocks_the_account,
    a_disabled_account_is_refused_and_its_session_ends,
);

async fn user_id(app: &TestApp, username: &str) -> UserId {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1").bind(username).fetch_one(&app.db.pool).await.unwrap()
}

async fn a_supervisor_reaches_only_accounts_below_its_own_union(app: TestApp) {
    let city_account = user_id(&app, "szzgh").await;
    let own = user_id(&app, "futian").await;
    let below = user_id(&app, "shili").await;
    let district = app.login_ok("futian", DEMO_PASSWORD).await;
    for target in [city_account, own] {
        let r = app.call_fn(&district, ResetPassword { user_id: target }).await;
        assert_eq!(r.kind(), Some("not_found"), "futian must not reset account {target}");
        assert_eq!(r.status.as_u16(), 404, "{target}");
        let r = app.call_fn(&district, SetAccountDisabled { user_id: target, disabled: true }).await;
        assert_eq!(r.kind(), Some("not_found"));
    }
    let r = app.call_fn(&district, ResetPassword { user_id: below }).await;
    assert!(r.kind().is_none(), "futian may reset shili: {:?}", r.body);
    let list = app.call_fn(&district, ListAccounts { query: "".into(), page: 1 }).await;
    let names: Vec<_> =
        list.body["items"].as_array().unwrap().iter().map(|a| a["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["shili", "yangban"], "only accounts below 福田区总工会");
    // a supervisor cannot open an account under a union outside its subtree
    let city_union: UnionId =
        sqlx::query_scalar("SELECT id FROM unions WHERE level = 'city'").fetch_one(&app.db.pool).await.unwrap();
    let r = app
        .call_fn(
            &district,
            CreateAccount {
                parent_id: city_union,
                level: "district".into(),
                union_name: "南山区总工会".into(),
                username: "nanshan".into(),
            },
        )
        .await;
    assert_eq!((r.status.as_u16(), r.kind()), (404, Some("not_found")), "out of scope answers as not found");
    // nor drill down above itself
    let r = app.call_fn(&district, GetSupervisorOverview { union_id: Some(city_union), sort: None, page: None }).await;
    assert_eq!((r.status.as_u16(), r.kind()), (404, Some("not_found")));
    // the city sees the district's accounts too
    let city = app.login_ok("szzgh", DEMO_PASSWORD).await;
    let list = app.call_fn(&city, ListAccounts { query: "yang".into(), page: 1 }).await;
    assert_eq!(list.body["total"], 1);
}

async fn a_reset_password_ends_old_sessions_and_unlocks_the_account(app: TestApp) {
    let old_session = app.login_ok("yangban", DEMO_PASSWORD).await;
    for _ in 0..5 {
        app.login("yangban", "wrong-password1").await;
    }
    let (_, locked) = app.login("yangban", DEMO_PASSWORD).await;
    assert_eq!(locked.kind(), Some("locked"));
    assert_eq!(locked.status.as_u16(), 429);
    let sup = app.login_ok("futian", DEMO_PASSWORD).await;
    let id = user_id(&app, "yangban").await;
    let r = app.call_fn(&sup, ResetPassword { user_id: id }).await;
    let fresh = r.body["initial_password"].as_str().unwrap().to_string();
    let gone = app.call_fn(&old_session, GetUnionOverview {}).await;
    assert_eq!(gone.kind(), Some("unauthenticated"), "the session from before the reset ended");
    assert_eq!(gone.status.as_u16(), 401);
    let (_, r) = app.login("yangban", &fresh).await;
    assert_eq!(r.location.as_deref(), Some("/change-password"), "unlocked, and must change again: {:?}", r.body);
    let actions = app::server::audit::actions_for(&app.db, "user:yangban").await.unwrap();
    assert!(actions.contains(&"password_reset".to_string()));
}

async fn a_disabled_account_is_refused_and_its_session_ends(app: TestApp) {
    let union = app.login_ok("shili", DEMO_PASSWORD).await;
    let sup = app.login_ok("futian", DEMO_PASSWORD).await;
    let id = user_id(&app, "shili").await;
    let r = app.call_fn(&sup, SetAccountDisabled { user_id: id, disabled: true }).await;
    assert!(r.kind().is_none(), "{:?}", r.body);
    let ended = app.call_fn(&union, GetUnionOverview {}).await;
    assert_eq!((ended.status.as_u16(), ended.kind()), (401, Some("unauthenticated")));
    let (_, r) = app.login("shili", DEMO_PASSWORD).await;
    assert_eq!(r.body["message"], "该账号已停用，请联系上级工会。");
    assert_eq!((r.status.as_u16(), r.kind(), r.body["code"].as_str()), (403, Some("denied"), Some("account_disabled")));
    app.call_fn(&sup, SetAccountDisabled { user_id: id, disabled: false }).await;
    app.login_ok("shili", DEMO_PASSWORD).await;
}
