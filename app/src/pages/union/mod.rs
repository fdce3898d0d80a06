//! 基层工会工作平台: a grassroots union's home, its 单位信息, its members and their import.

pub mod cards;
pub mod feedback;
pub mod home;
pub mod import;
pub mod info;
pub mod member;
pub mod members;

use leptos::prelude::*;

/// Why import and card applications are locked, naming what is missing.
#[component]
pub(crate) fn InfoLock(missing: Vec<String>) -> impl IntoView {
    (!missing.is_empty()).then(|| {
        view! {
            <div class="lock" role="note">
                <h2>"请先完善单位信息"</h2>
                <p>"按操作指引，导入会员和办理会员服务卡前须完善单位信息和工会组织信息的必填项。尚未填写："
                    <strong>{missing.join("、")}</strong>"。"</p>
                <a href="/union/info">"去完善单位信息"</a>
            </div>
        }
    })
}
