//! The portals' server functions check who is calling themselves: signed out, or the wrong role.

use app::api::{
    accounts::{ListAccounts, ParentOptions},
    member_portal::GetMyCard,
    overview::{bank::GetBankOverview, supervisor::GetSupervisorOverview},
    unions::GetUnionInfo,
};
use unioncard_server::seed::DEMO_PASSWORD;

use crate::common::{client, list_members, Reply, TestApp};

on_both_engines!(server_functions_check_the_callers_role_themselves);

/// The same calls for each caller: those a union may not make (the union's own info aside).
async fn portal_calls(app: &TestApp, c: &reqwest::Client, union_info: bool) -> Vec<(&'static str, Reply)> {
    let mut replies = vec![
        ("accounts/list", app.call_fn(c, ListAccounts { query: "".into(), page: 1 }).await),
        ("overview/bank", app.call_fn(c, GetBankOverview {}).await),
        ("me/card", app.call_fn(c, GetMyCard {}).await),
        ("overview/supervisor", app.call_fn(c, GetSupervisorOverview { union_id: None, sort: None, page: None }).await),
    ];
    replies.push(if union_info {
        ("union/info", app.call_fn(c, GetUnionInfo {}).await)
    } else {
        ("accounts/parents", app.call_fn(c, ParentOptions {}).await)
    });
    replies
}

async fn server_functions_check_the_callers_role_themselves(app: TestApp) {
    let anonymous = client();
    for (endpoint, r) in portal_calls(&app, &anonymous, true).await {
        assert_eq!(r.kind(), Some("unauthenticated"), "{endpoint} without login");
        assert_eq!(r.status.as_u16(), 401, "{endpoint} without login");
    }
    let union = app.login_ok("shili", DEMO_PASSWORD).await;
    for (endpoint, r) in portal_calls(&app, &union, false).await {
        assert_eq!(r.kind(), Some("forbidden"), "a union calling {endpoint}");
        assert_eq!(r.status.as_u16(), 403, "a union calling {endpoint}");
    }
    let member = app.login_ok("member", DEMO_PASSWORD).await;
    let r = app.call_fn(&member, list_members("", None, "", 1)).await;
    assert_eq!(r.kind(), Some("forbidden"));
    assert_eq!(r.status.as_u16(), 403);
}
