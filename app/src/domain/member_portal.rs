//! The member's own portal (会员服务平台): the card's way as a member reads it, what the member
//! does next, their answer to a card handed out, and what they may report as wrong. Shared by
//! the server (which decides) and the browser (which shows); the lifecycle itself stays in
//! [`super::card`].

use serde::{Deserialize, Serialize};

use super::card::CardState;

/// The steps of a card as the member's timeline names them, in order.
pub const STEPS: [&str; 7] = ["已提交申请", "银行审核中", "制卡中", "已送达工会", "待领取", "已领取", "已激活"];

/// Index in [`STEPS`] of the step the card is at: the steps before it are done, this one is
/// under way (`STEPS.len()` once every step is done). A card not yet sent, or sent back by the
/// bank's review, is at its first or second step.
pub fn current_step(state: CardState) -> usize {
    match state {
        CardState::Pending => 0,
        CardState::Submitted | CardState::Rejected => 1,
        CardState::InProduction => 2,
        CardState::AwaitingDelivery => 3,
        CardState::AwaitingDistribution => 4,
        CardState::Distributed => 6,
        CardState::Activated => STEPS.len(),
    }
}

/// Who acts next and what the member should know, in plain words. The page adds what only the
/// record knows (the deadline, the branch, the union's contact).
pub fn guidance(state: CardState) -> &'static str {
    match state {
        CardState::Pending => "您的信息已由工会采集，工会将为您提交办卡申请。",
        CardState::Submitted => "办卡申请已提交，正在等待中国银行审核，无需您操作。",
        CardState::Rejected => {
            "银行审核未通过。请核对下方原因：信息有误可点“信息有误，我要反馈”告诉工会，工会修改后将重新提交。"
        }
        CardState::InProduction => "银行审核已通过，会员服务卡正在制作中。",
        CardState::AwaitingDelivery => "卡片已制作完成，银行将送卡到您所在工会。",
        CardState::AwaitingDistribution => "卡片已送达工会，请按时到工会领取。",
        CardState::Distributed => {
            "工会已登记您领取了会员服务卡。请携带本人身份证到中国银行网点激活，或参加工会组织的现场激活。"
        }
        CardState::Activated => "您的会员服务卡已激活，可以正常使用。",
    }
}

/// The member's answer once the union has recorded their card as handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptAnswer {
    /// 我已领到卡
    Received,
    /// 未收到
    NotReceived,
}

impl ReceiptAnswer {
    pub const ALL: [ReceiptAnswer; 2] = [ReceiptAnswer::Received, ReceiptAnswer::NotReceived];

    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptAnswer::Received => "received",
            ReceiptAnswer::NotReceived => "not_received",
        }
    }

    pub fn parse(s: &str) -> Option<ReceiptAnswer> {
        ReceiptAnswer::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// As the timeline and the union's lists say it.
    pub fn label(self) -> &'static str {
        match self {
            ReceiptAnswer::Received => "会员确认已领到卡",
            ReceiptAnswer::NotReceived => "会员反馈未收到卡",
        }
    }
}

crate::text_column!(ReceiptAnswer, "receipt answer");

/// Whether a member may answer 我已领到卡 / 未收到 for a card in `state`: once the union has
/// recorded it handed out, until it is activated (a card activated is in the member's hands).
pub fn may_answer_receipt(state: CardState) -> bool {
    state == CardState::Distributed
}

/// The fields of their record a member may report as wrong: (field code, label).
pub const REPORTABLE: [(&str, &str); 6] = [
    ("name", "姓名"),
    ("id_number", "证件号码"),
    ("phone", "手机号码"),
    ("sex", "性别"),
    ("birth_date", "出生日期"),
    ("department", "部门"),
];

pub fn reportable_label(field: &str) -> Option<&'static str> {
    REPORTABLE.iter().find(|(f, _)| *f == field).map(|(_, l)| *l)
}

/// The longest text a member may write as the right value, and a union as its answer.
pub const REPORT_MAX_CHARS: usize = 200;

/// A report's text as stored: trimmed, control characters dropped (it is shown escaped, as every
/// text is), at most [`REPORT_MAX_CHARS`]. `Err` with the message when it is empty or too long.
pub fn clean_report_text(raw: &str) -> Result<String, &'static str> {
    let text: String = raw.trim().chars().filter(|c| !c.is_control() || *c == '\n').collect();
    if text.is_empty() {
        return Err("请填写正确的信息。");
    }
    if text.chars().count() > REPORT_MAX_CHARS {
        return Err("内容不能超过200个字。");
    }
    Ok(text)
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Open,
    /// The union edited the record.
    Fixed,
    /// The union answered in words.
    Answered,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Open => "open",
            ReportStatus::Fixed => "fixed",
            ReportStatus::Answered => "answered",
        }
    }

    pub fn parse(s: &str) -> Option<ReportStatus> {
        [ReportStatus::Open, ReportStatus::Fixed, ReportStatus::Answered].into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Open => "待工会处理",
            ReportStatus::Fixed => "工会已修改信息",
            ReportStatus::Answered => "工会已答复",
        }
    }
}

crate::text_column!(ReportStatus, "report status");

/// A 短信验证码 as typed: six digits after the template's normalisation (full-width digits and
/// spaces allowed).
pub fn parse_code(raw: &str) -> Option<String> {
    let (code, _) = super::id_document::compact_half_width(raw);
    (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_step_and_steps_only_go_forward_along_the_lifecycle() {
        let order = [
            CardState::Pending,
            CardState::Submitted,
            CardState::InProduction,
            CardState::AwaitingDelivery,
            CardState::AwaitingDistribution,
            CardState::Distributed,
            CardState::Activated,
        ];
        for pair in order.windows(2) {
            assert!(current_step(pair[0]) < current_step(pair[1]), "{:?} before {:?}", pair[0], pair[1]);
        }
        assert_eq!(current_step(CardState::Rejected), current_step(CardState::Submitted));
        assert_eq!(current_step(CardState::Activated), STEPS.len());
        assert_eq!(STEPS[current_step(CardState::AwaitingDistribution)], "待领取");
    }

    #[test]
    fn only_a_card_handed_out_takes_the_members_answer() {
        for s in CardState::ALL {
            assert_eq!(may_answer_receipt(s), s == CardState::Distributed);
        }
    }

    #[test]
    fn codes_are_six_digits_after_normalisation() {
        assert_eq!(parse_code(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(parse_code("１２３４５６").as_deref(), Some("123456"));
        for bad in ["12345", "1234567", "12345a", ""] {
            assert_eq!(parse_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn report_text_is_trimmed_and_capped() {
        assert_eq!(clean_report_text("  张三\u{7}  ").unwrap(), "张三");
        assert!(clean_report_text("   ").is_err());
        assert!(clean_report_text(&"字".repeat(201)).is_err());
        assert!(clean_report_text(&"字".repeat(200)).is_ok());
        for s in ["open", "fixed", "answered"] {
            assert_eq!(ReportStatus::parse(s).unwrap().as_str(), s);
        }
        for a in ReceiptAnswer::ALL {
            assert_eq!(ReceiptAnswer::parse(a.as_str()), Some(a));
        }
    }
}
