//! What an audit log entry's action and target mean, in words, for the supervisor's search.

/// The action in words; one the code does not name reads as 其他操作 with its code.
pub fn action_label(action: &str) -> String {
    let known = match action {
        "login" => "登录",
        "login_failed" => "登录失败",
        "member_login" => "会员登录",
        "member_login_failed" => "会员登录失败",
        "password_changed" => "修改密码",
        "password_change_failed" => "修改密码失败",
        "password_reset" => "重置密码",
        "account_created" => "开设账号",
        "account_disabled" => "停用账号",
        "account_enabled" => "启用账号",
        "union_info_saved" => "保存单位信息",
        "member_viewed" => "查看会员完整信息",
        "member_looked_up" => "按完整号码查询会员",
        "member_updated" => "修改会员信息",
        "member_deleted" => "删除会员",
        "member_corrected" => "银行更正会员信息",
        "member_report" => "会员反馈信息有误",
        "member_report_resolved" => "处理会员反馈",
        "card_receipt" => "会员确认领卡",
        "template_downloaded" => "下载会员模板",
        "import_previewed" => "上传会员信息采集表",
        "import_committed" => "确认导入",
        "import_report_exported" => "下载错误报告",
        "id_hits_reported" => "查出其他工会的证件号码",
        "upload_dropped" => "删除过期上传文件",
        "batch_submitted" => "发起批量办卡",
        "batch_viewed" => "银行查看批次",
        "api_batch_viewed" => "银行接口查看批次",
        "batch_reviewed" => "银行审核批次",
        "bank_cards_viewed" => "银行查看卡片",
        "rejections_exported" => "下载待处理清单",
        "rejections_reset" => "改为待办卡",
        "delivery_proposed" => "提议送卡时间",
        "delivery_confirmed" => "确认送卡时间",
        "unions_exported" => "下载下属工会表",
        "overdue_exported" => "下载逾期未发放表",
        "members_exported" => "下载会员名单",
        "bank_token_created" => "创建接口令牌",
        "bank_token_revoked" => "停用接口令牌",
        "calendar_day_set" => "设置节假日",
        "calendar_day_removed" => "删除节假日",
        "calendar_year_added" => "新增日历年份",
        "calendar_year_published" => "启用日历年份",
        "calendar_year_seeded" => "载入日历年份",
        "hotlines_changed" => "修改服务热线",
        _ => return format!("其他操作（{action}）"),
    };
    known.to_string()
}

/// What an entry was about: 会员 #12, 工会 #3, 批次 …; the rest as written.
pub fn target_label(target: &str) -> String {
    match target.split_once(':') {
        Some(("member", id)) => format!("会员 #{id}"),
        Some(("union", id)) => format!("工会 #{id}"),
        Some(("user", id)) => format!("账号 #{id}"),
        Some(("batch", no)) => format!("批次 {no}"),
        Some(("import", id)) => format!("上传 {id}"),
        Some(("delivery", id)) => format!("送卡 #{id}"),
        None if target == "hotlines" => "服务热线".to_string(),
        _ => target.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_and_targets_read_in_words() {
        assert_eq!(action_label("member_viewed"), "查看会员完整信息");
        assert_eq!(action_label("something_new"), "其他操作（something_new）");
        assert_eq!(target_label("member:12"), "会员 #12");
        assert_eq!(target_label("batch:PC2026"), "批次 PC2026");
        assert_eq!(target_label("odd"), "odd");
        assert_eq!(target_label("hotlines"), "服务热线");
    }
}
