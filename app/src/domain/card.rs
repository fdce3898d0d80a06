//! The member service card lifecycle: states, the actions that move a card, who may take each and
//! what each needs. `check` is the one answer to "may this role do this now": the server refuses
//! with it and the browser shows only the buttons `available` lists, which agree with it.

use serde::{Deserialize, Serialize};

use crate::domain::role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    Pending,
    Submitted,
    Rejected,
    InProduction,
    AwaitingDelivery,
    AwaitingDistribution,
    Distributed,
    Activated,
}

impl CardState {
    pub const ALL: [CardState; 8] = [
        CardState::Pending,
        CardState::Submitted,
        CardState::Rejected,
        CardState::InProduction,
        CardState::AwaitingDelivery,
        CardState::AwaitingDistribution,
        CardState::Distributed,
        CardState::Activated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CardState::Pending => "pending",
            CardState::Submitted => "submitted",
            CardState::Rejected => "rejected",
            CardState::InProduction => "in_production",
            CardState::AwaitingDelivery => "awaiting_delivery",
            CardState::AwaitingDistribution => "awaiting_distribution",
            CardState::Distributed => "distributed",
            CardState::Activated => "activated",
        }
    }

    pub fn parse(s: &str) -> Option<CardState> {
        CardState::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The states of the bank's activation desk (激活与重新制卡), the cards it may activate first:
    /// cards the union signed for or handed out, and those activated. The desk shows full ID and
    /// phone numbers, so the server lists no other state there: a card still with the union
    /// (未办卡) was never sent to the bank, and the review has its own page.
    pub const BANK_DESK: [CardState; 3] =
        [CardState::Distributed, CardState::AwaitingDistribution, CardState::Activated];

    /// Whether the card is still the union's alone (未办卡: not sent, or sent back): the member
    /// may be removed and the name and ID changed. From the application on, the bank reviews and
    /// prints what was sent; a wrong name or ID then comes back as a rejection, or is corrected
    /// by the bank at activation from the member's papers.
    pub fn with_union(self) -> bool {
        matches!(self, CardState::Pending | CardState::Rejected)
    }

    /// Why the union may not change a member's name and ID in this state, with what to do
    /// instead; `None` when it may: while the card is the union's own (未办卡), and once its
    /// lifecycle is over (已激活: the record is the union's again, the card stays as it is).
    pub fn identity_lock(self) -> Option<&'static str> {
        match self {
            CardState::Pending | CardState::Rejected | CardState::Activated => None,
            CardState::Submitted | CardState::InProduction | CardState::AwaitingDelivery => Some(
                "该会员的会员服务卡正在银行办理（审核、制卡或送卡中），姓名和证件信息暂不能修改：如有错误，银行审核退回后即可修改。",
            ),
            CardState::AwaitingDistribution => Some(
                "该会员的会员服务卡已送到工会、待发放，姓名和证件信息不能在这里修改：卡面有误的，请联系银行收回重新制卡；发卡后也可由会员持证件到银行网点在激活时更正。",
            ),
            CardState::Distributed => {
                Some("该会员的会员服务卡已发放、待激活，姓名和证件信息请会员持证件到银行网点在激活时更正。")
            }
        }
    }

    /// The list label the union sees (domain.md).
    pub fn label(self) -> &'static str {
        match self {
            CardState::Pending => "未办卡—待办卡",
            CardState::Submitted => "办卡中—银行审核中",
            CardState::Rejected => "未办卡—待处理",
            CardState::InProduction => "办卡中—制卡中",
            CardState::AwaitingDelivery => "待送卡",
            CardState::AwaitingDistribution => "待发放",
            CardState::Distributed => "已发放",
            CardState::Activated => "已激活",
        }
    }

    /// Whether some action of the table moves a card from `self` to `to`: derived from
    /// [`CardAction::rule`], so the two cannot disagree.
    pub fn can_move_to(self, to: CardState) -> bool {
        CardAction::ALL.into_iter().any(|a| a.from().contains(&self) && a.to() == to)
    }

    /// Whose turn it is, for task lists and "what happens next":
    /// - `pending`, `rejected`, `awaiting_distribution`: the union (send; fix and reset; hand out);
    /// - `submitted`, `in_production`: the bank (review; record the card made);
    /// - `awaiting_delivery`: the bank, which proposes a delivery time and delivers (the union
    ///   confirms the time and signs for the cards once they arrive, see [`DeliveryAction`]);
    /// - `distributed`: the bank, which records the activation, on site at a time agreed with
    ///   the union or when the member comes to a branch (the member acts off the system);
    /// - `activated`: nobody, the card's lifecycle is over.
    ///
    /// Supervisors and members never move a card.
    pub fn next_actor(self) -> Option<Role> {
        match self {
            CardState::Pending | CardState::Rejected | CardState::AwaitingDistribution => Some(Role::Union),
            CardState::Submitted | CardState::InProduction | CardState::AwaitingDelivery | CardState::Distributed => {
                Some(Role::Bank)
            }
            CardState::Activated => None,
        }
    }
}

crate::text_column!(CardState, "card_state");

/// Something a user does to a card that changes its state. Delivery appointments do not change a
/// card's state and are [`DeliveryAction`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardAction {
    /// The union sends the application (选择人员发起批量办卡, or 全部批量办卡).
    Submit,
    /// The bank's review refuses, with one or more reasons.
    Reject,
    /// The bank's review passes and the card goes to the card factory.
    Approve,
    /// The union has fixed what the bank refused and sets the card back to 待办卡.
    ResetRejected,
    /// The bank records the card made, with its number's last four digits.
    MarkMade,
    /// The union signs for the delivered cards; the 5 working days to hand them out start.
    SignFor,
    /// The union hands the card to the member.
    Distribute,
    /// The bank activates the card on site, at the time agreed with the union.
    ActivateOnSite,
    /// The member activates the card at a branch (after correcting a wrong personal record there,
    /// if need be); the bank records it with the branch.
    ActivateAtBranch,
    /// A wrong card face: the bank recalls the card (the old one is void) and makes it again.
    Remake,
}

/// Who may take an action, on which states, what it leads to and what it needs: one row of the
/// lifecycle table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub by: Role,
    pub from: &'static [CardState],
    pub to: CardState,
    pub needs: &'static [Requirement],
}

impl CardAction {
    pub const ALL: [CardAction; 10] = [
        CardAction::Submit,
        CardAction::Reject,
        CardAction::Approve,
        CardAction::ResetRejected,
        CardAction::MarkMade,
        CardAction::SignFor,
        CardAction::Distribute,
        CardAction::ActivateOnSite,
        CardAction::ActivateAtBranch,
        CardAction::Remake,
    ];

    /// The lifecycle table (domain.md "Card lifecycle"; the guide's section 四). No other move
    /// is possible.
    pub const fn rule(self) -> Rule {
        use CardState::*;
        use Requirement as R;
        use Role::{Bank, Union};
        let (by, from, to, needs): (Role, &'static [CardState], CardState, &'static [Requirement]) = match self {
            CardAction::Submit => (Union, &[Pending], Submitted, &[]),
            CardAction::Reject => (Bank, &[Submitted], Rejected, &[R::Reasons]),
            CardAction::Approve => (Bank, &[Submitted], InProduction, &[]),
            CardAction::ResetRejected => (Union, &[Rejected], Pending, &[]),
            CardAction::MarkMade => (Bank, &[InProduction], AwaitingDelivery, &[R::CardTail]),
            CardAction::SignFor => (Union, &[AwaitingDelivery], AwaitingDistribution, &[]),
            CardAction::Distribute => (Union, &[AwaitingDistribution], Distributed, &[]),
            CardAction::ActivateOnSite => (Bank, &[Distributed], Activated, &[R::Time]),
            CardAction::ActivateAtBranch => (Bank, &[Distributed], Activated, &[R::Branch]),
            CardAction::Remake => (Bank, &[AwaitingDistribution, Distributed], InProduction, &[R::Text]),
        };
        Rule { by, from, to, needs }
    }

    /// The only role that may take this action.
    pub fn by(self) -> Role {
        self.rule().by
    }

    /// The states this action applies to.
    pub fn from(self) -> &'static [CardState] {
        self.rule().from
    }

    /// The state this action leads to.
    pub fn to(self) -> CardState {
        self.rule().to
    }

    /// What the input must carry, in the order `check` looks at it.
    pub fn needs(self) -> &'static [Requirement] {
        self.rule().needs
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CardAction::Submit => "submit",
            CardAction::Reject => "reject",
            CardAction::Approve => "approve",
            CardAction::ResetRejected => "reset_rejected",
            CardAction::MarkMade => "mark_made",
            CardAction::SignFor => "sign_for",
            CardAction::Distribute => "distribute",
            CardAction::ActivateOnSite => "activate_on_site",
            CardAction::ActivateAtBranch => "activate_at_branch",
            CardAction::Remake => "remake",
        }
    }

    pub fn parse(s: &str) -> Option<CardAction> {
        CardAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The button's words; also read after "不能" in refusals.
    pub fn label(self) -> &'static str {
        match self {
            CardAction::Submit => "发起办卡",
            CardAction::Reject => "审核不通过",
            CardAction::Approve => "审核通过",
            CardAction::ResetRejected => "改为待办卡",
            CardAction::MarkMade => "登记制卡完成",
            CardAction::SignFor => "签收",
            CardAction::Distribute => "发放",
            CardAction::ActivateOnSite => "上门激活",
            CardAction::ActivateAtBranch => "网点激活",
            CardAction::Remake => "重新制卡",
        }
    }
}

crate::text_column!(CardAction, "card action");

/// Something an action needs besides the right role and state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// One or more rejection reasons, each at most once; `other` with its text.
    Reasons,
    /// The card number's last four digits.
    CardTail,
    /// When it happened (the agreed on-site activation time).
    Time,
    /// The branch's code.
    Branch,
    /// Free text: why the card is remade.
    Text,
}

impl Requirement {
    /// The [`CardMove`] field that carries it, for a form's field error.
    pub fn field(self) -> &'static str {
        match self {
            Requirement::Reasons => "reasons",
            Requirement::CardTail => "card_tail",
            Requirement::Time => "at",
            Requirement::Branch => "branch",
            Requirement::Text => "text",
        }
    }
}

/// Why the bank refuses an application: the stable codes the bank's systems send (domain.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionReason {
    IdNotVerified,
    NameIdMismatch,
    PhoneInvalid,
    AlreadyHolder,
    IdExpired,
    Other,
}

impl RejectionReason {
    pub const ALL: [RejectionReason; 6] = [
        RejectionReason::IdNotVerified,
        RejectionReason::NameIdMismatch,
        RejectionReason::PhoneInvalid,
        RejectionReason::AlreadyHolder,
        RejectionReason::IdExpired,
        RejectionReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RejectionReason::IdNotVerified => "id_not_verified",
            RejectionReason::NameIdMismatch => "name_id_mismatch",
            RejectionReason::PhoneInvalid => "phone_invalid",
            RejectionReason::AlreadyHolder => "already_holder",
            RejectionReason::IdExpired => "id_expired",
            RejectionReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<RejectionReason> {
        RejectionReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            RejectionReason::IdNotVerified => "证件信息与公安系统不符",
            RejectionReason::NameIdMismatch => "姓名与证件号码不符",
            RejectionReason::PhoneInvalid => "手机号码无效",
            RejectionReason::AlreadyHolder => "已持有本行会员服务卡",
            RejectionReason::IdExpired => "证件已过期",
            RejectionReason::Other => "其他",
        }
    }

    /// What the union can do about it, shown beside the reason in 未办卡—待处理.
    pub fn remedy(self) -> &'static str {
        match self {
            RejectionReason::IdNotVerified | RejectionReason::NameIdMismatch => {
                "请按会员证件上的内容更正姓名和证件号码，再改为待办卡并重新发起办卡。"
            }
            RejectionReason::PhoneInvalid => "请更正会员的手机号码，再改为待办卡并重新发起办卡。",
            RejectionReason::AlreadyHolder => "该会员已持有本行会员服务卡，无需重复办理，请不要再为其发起办卡。",
            RejectionReason::IdExpired => "请会员提供有效期内的证件，更新证件信息后，再改为待办卡并重新发起办卡。",
            RejectionReason::Other => "请阅读银行的说明，并联系对接银行，在其指导下处理后重新发起办卡。",
        }
    }

    /// Whether the bank must say more in the reason's text.
    pub fn needs_text(self) -> bool {
        self == RejectionReason::Other
    }
}

crate::text_column!(RejectionReason, "rejection reason");

/// One reason the bank gives, with its free text (required for `other`, optional otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub reason: RejectionReason,
    #[serde(default)]
    pub text: String,
}

/// What comes with an action. Only the fields the action [`needs`](CardAction::needs) are read;
/// the others are ignored. Blank text counts as missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CardMove {
    /// `reject`: why.
    pub reasons: Vec<Rejection>,
    /// `mark_made`: the card number's last four digits.
    pub card_tail: Option<String>,
    /// `activate_on_site`: when, in seconds since the epoch.
    pub at: Option<i64>,
    /// `activate_at_branch`: the branch's code (whether it exists is the server's to check).
    pub branch: Option<String>,
    /// `remake`: what is wrong on the card face.
    pub text: Option<String>,
}

fn filled(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl CardMove {
    /// The text recorded with the move's event: the reasons, the card tail, the time, the branch
    /// or the remake's reason; `None` for actions that need nothing. Read it after `check` passed.
    pub fn event_reason(&self, action: CardAction) -> Option<String> {
        match action {
            CardAction::Reject => Some(
                self.reasons
                    .iter()
                    .map(|r| match r.text.trim() {
                        "" => r.reason.label().to_string(),
                        text => format!("{}：{text}", r.reason.label()),
                    })
                    .collect::<Vec<_>>()
                    .join("；"),
            ),
            CardAction::MarkMade => filled(&self.card_tail).map(|t| format!("卡号后四位 {t}")),
            CardAction::ActivateOnSite => self.at.map(|at| format!("上门激活时间 {}", crate::domain::format_time(at))),
            CardAction::ActivateAtBranch => filled(&self.branch).map(|b| format!("激活网点 {b}")),
            CardAction::Remake => filled(&self.text).map(str::to_string),
            _ => None,
        }
    }
}

/// Why `check` refused a move: a stable `code()` for programs and a `message()` for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
#[error("{}", self.message())]
pub enum MoveRefusal {
    NotAllowedForRole { action: CardAction, role: Role },
    NotAllowedInState { action: CardAction, state: CardState },
    ReasonRequired,
    ReasonRepeated { reason: RejectionReason },
    OtherNeedsText,
    CardTailInvalid,
    TimeRequired,
    BranchRequired,
    TextRequired,
}

impl MoveRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            MoveRefusal::NotAllowedForRole { .. } => "not_allowed_for_role",
            MoveRefusal::NotAllowedInState { .. } => "not_allowed_in_state",
            MoveRefusal::ReasonRequired => "reason_required",
            MoveRefusal::ReasonRepeated { .. } => "reason_repeated",
            MoveRefusal::OtherNeedsText => "other_needs_text",
            MoveRefusal::CardTailInvalid => "card_tail_invalid",
            MoveRefusal::TimeRequired => "time_required",
            MoveRefusal::BranchRequired => "branch_required",
            MoveRefusal::TextRequired => "text_required",
        }
    }

    /// What the union clerk or bank staff reads.
    pub fn message(&self) -> String {
        match self {
            MoveRefusal::NotAllowedForRole { action, role } => {
                format!("“{}”由{}办理，{}不能操作。", action.label(), action.by().label(), role.label())
            }
            MoveRefusal::NotAllowedInState { action, state } => {
                let allowed: Vec<String> = action.from().iter().map(|s| format!("“{}”", s.label())).collect();
                format!(
                    "该会员服务卡当前为“{}”，不能{}。只有处于{}的会员服务卡才能{}。",
                    state.label(),
                    action.label(),
                    allowed.join("或"),
                    action.label()
                )
            }
            MoveRefusal::ReasonRequired => "请至少选择一项审核不通过的原因。".into(),
            MoveRefusal::ReasonRepeated { reason } => {
                format!("审核不通过的原因“{}”选了不止一次，请只保留一项。", reason.label())
            }
            MoveRefusal::OtherNeedsText => "选择“其他”原因时，请填写具体说明，以便基层工会处理。".into(),
            MoveRefusal::CardTailInvalid => "请填写卡号后四位（4位数字）。".into(),
            MoveRefusal::TimeRequired => "请填写上门激活的时间。".into(),
            MoveRefusal::BranchRequired => "请填写办理激活的网点代码。".into(),
            MoveRefusal::TextRequired => "请填写重新制卡的原因，说明卡面哪项信息有误。".into(),
        }
    }

    /// The [`CardMove`] field at fault, if the refusal is about the input.
    pub fn field(&self) -> Option<&'static str> {
        let needs = match self {
            MoveRefusal::NotAllowedForRole { .. } | MoveRefusal::NotAllowedInState { .. } => return None,
            MoveRefusal::ReasonRequired | MoveRefusal::ReasonRepeated { .. } | MoveRefusal::OtherNeedsText => {
                Requirement::Reasons
            }
            MoveRefusal::CardTailInvalid => Requirement::CardTail,
            MoveRefusal::TimeRequired => Requirement::Time,
            MoveRefusal::BranchRequired => Requirement::Branch,
            MoveRefusal::TextRequired => Requirement::Text,
        };
        Some(needs.field())
    }
}

/// Whether `role` may take `action` on a card in `state` with `input`, and the state it leads to.
/// Looks at the role first, then the state, then each requirement in [`CardAction::needs`] order.
pub fn check(state: CardState, action: CardAction, role: Role, input: &CardMove) -> Result<CardState, MoveRefusal> {
    let rule = action.rule();
    if rule.by != role {
        return Err(MoveRefusal::NotAllowedForRole { action, role });
    }
    if !rule.from.contains(&state) {
        return Err(MoveRefusal::NotAllowedInState { action, state });
    }
    for need in rule.needs {
        check_need(*need, input)?;
    }
    Ok(rule.to)
}

fn check_need(need: Requirement, input: &CardMove) -> Result<(), MoveRefusal> {
    match need {
        Requirement::Reasons => {
            if input.reasons.is_empty() {
                return Err(MoveRefusal::ReasonRequired);
            }
            for (i, r) in input.reasons.iter().enumerate() {
                if input.reasons[..i].iter().any(|earlier| earlier.reason == r.reason) {
                    return Err(MoveRefusal::ReasonRepeated { reason: r.reason });
                }
                if r.reason.needs_text() && r.text.trim().is_empty() {
                    return Err(MoveRefusal::OtherNeedsText);
                }
            }
        }
        Requirement::CardTail => {
            let tail = filled(&input.card_tail).unwrap_or("");
            if tail.len() != 4 || !tail.bytes().all(|b| b.is_ascii_digit()) {
                return Err(MoveRefusal::CardTailInvalid);
            }
        }
        Requirement::Time => {
            if input.at.is_none() {
                return Err(MoveRefusal::TimeRequired);
            }
        }
        Requirement::Branch => {
            if filled(&input.branch).is_none() {
                return Err(MoveRefusal::BranchRequired);
            }
        }
        Requirement::Text => {
            if filled(&input.text).is_none() {
                return Err(MoveRefusal::TextRequired);
            }
        }
    }
    Ok(())
}

/// The actions `role` may take on a card in `state`: the buttons to show. An action is listed
/// exactly when `check` would pass it given an input that meets its needs.
pub fn available(state: CardState, role: Role) -> Vec<CardAction> {
    CardAction::ALL.into_iter().filter(|a| a.by() == role && a.from().contains(&state)).collect()
}

/// Where a delivery's appointment stands. A delivery brings a union's made cards (待送卡); its
/// steps never change a card's state: the union's [`CardAction::SignFor`] does, once the cards
/// are there. Either side may propose a time (the bank usually does, the union may answer with
/// another), the other side confirms it, and a confirmed time may still be moved by a new
/// proposal until the bank records the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum DeliveryStage {
    Unscheduled,
    Proposed {
        by: Role,
    },
    Confirmed,
    Delivered,
    /// The union has signed for the cards ([`CardAction::SignFor`]): nothing more to arrange.
    Signed,
}

impl DeliveryStage {
    /// The stored stage and who proposed the time (`proposed_by`, for `proposed` only).
    pub fn code(self) -> (&'static str, Option<Role>) {
        match self {
            DeliveryStage::Unscheduled => ("unscheduled", None),
            DeliveryStage::Proposed { by } => ("proposed", Some(by)),
            DeliveryStage::Confirmed => ("confirmed", None),
            DeliveryStage::Delivered => ("delivered", None),
            DeliveryStage::Signed => ("signed", None),
        }
    }

    /// The stage stored as [`DeliveryStage::code`] gives it; `None` for anything else.
    pub fn from_code(stage: &str, proposed_by: Option<Role>) -> Option<DeliveryStage> {
        Some(match (stage, proposed_by) {
            ("unscheduled", _) => DeliveryStage::Unscheduled,
            ("proposed", Some(by @ (Role::Bank | Role::Union))) => DeliveryStage::Proposed { by },
            ("confirmed", _) => DeliveryStage::Confirmed,
            ("delivered", _) => DeliveryStage::Delivered,
            ("signed", _) => DeliveryStage::Signed,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            DeliveryStage::Unscheduled => "待约定送卡时间",
            DeliveryStage::Proposed { by: Role::Bank } => "银行已提出送卡时间，待基层工会确认",
            DeliveryStage::Proposed { .. } => "基层工会已提出送卡时间，待银行确认",
            DeliveryStage::Confirmed => "送卡时间已确认",
            DeliveryStage::Delivered => "已送达，待签收",
            DeliveryStage::Signed => "已签收",
        }
    }
}

/// A step of a delivery's appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryAction {
    /// The bank or the union proposes a delivery time (needs the time).
    ProposeTime,
    /// The side that did not propose the time accepts it.
    ConfirmTime,
    /// The bank records that the cards were delivered.
    RecordDelivered,
}

impl DeliveryAction {
    pub const ALL: [DeliveryAction; 3] =
        [DeliveryAction::ProposeTime, DeliveryAction::ConfirmTime, DeliveryAction::RecordDelivered];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryAction::ProposeTime => "propose_time",
            DeliveryAction::ConfirmTime => "confirm_time",
            DeliveryAction::RecordDelivered => "record_delivered",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryAction> {
        DeliveryAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            DeliveryAction::ProposeTime => "提出送卡时间",
            DeliveryAction::ConfirmTime => "确认送卡时间",
            DeliveryAction::RecordDelivered => "登记已送卡",
        }
    }

    /// The roles that may take this step.
    pub fn by(self) -> &'static [Role] {
        match self {
            DeliveryAction::ProposeTime | DeliveryAction::ConfirmTime => &[Role::Bank, Role::Union],
            DeliveryAction::RecordDelivered => &[Role::Bank],
        }
    }
}

crate::text_column!(DeliveryAction, "delivery action");

/// Why `check_delivery` refused a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
#[error("{}", self.message())]
pub enum DeliveryRefusal {
    NotAllowedForRole {
        action: DeliveryAction,
        role: Role,
    },
    NotAllowedInState {
        action: DeliveryAction,
        stage: DeliveryStage,
    },
    /// Confirming the time one proposed oneself.
    OwnProposal {
        role: Role,
    },
    TimeRequired,
}

impl DeliveryRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            DeliveryRefusal::NotAllowedForRole { .. } => "not_allowed_for_role",
            DeliveryRefusal::NotAllowedInState { .. } => "not_allowed_in_state",
            DeliveryRefusal::OwnProposal { .. } => "own_proposal",
            DeliveryRefusal::TimeRequired => "time_required",
        }
    }

    pub fn message(&self) -> String {
        match self {
            DeliveryRefusal::NotAllowedForRole { action, role } => {
                format!("{}不能{}。", role.label(), action.label())
            }
            DeliveryRefusal::NotAllowedInState { action, stage } => {
                format!("该批会员服务卡的送卡安排当前为“{}”，不能{}。", stage.label(), action.label())
            }
            DeliveryRefusal::OwnProposal { role } => {
                let other = if *role == Role::Bank { Role::Union } else { Role::Bank };
                format!("该送卡时间由{}提出，需由{}确认。", role.label(), other.label())
            }
            DeliveryRefusal::TimeRequired => "请填写送卡上门的时间。".into(),
        }
    }
}

/// Whether `role` may take `action` on a delivery at `stage` (with the proposed time `at`), and
/// the stage it leads to.
pub fn check_delivery(
    stage: DeliveryStage,
    action: DeliveryAction,
    role: Role,
    at: Option<i64>,
) -> Result<DeliveryStage, DeliveryRefusal> {
    if !action.by().contains(&role) {
        return Err(DeliveryRefusal::NotAllowedForRole { action, role });
    }
    let refused = || DeliveryRefusal::NotAllowedInState { action, stage };
    match (action, stage) {
        (DeliveryAction::ProposeTime, DeliveryStage::Delivered | DeliveryStage::Signed) => Err(refused()),
        (DeliveryAction::ProposeTime, _) => match at {
            Some(_) => Ok(DeliveryStage::Proposed { by: role }),
            None => Err(DeliveryRefusal::TimeRequired),
        },
        (DeliveryAction::ConfirmTime, DeliveryStage::Proposed { by }) if by == role => {
            Err(DeliveryRefusal::OwnProposal { role })
        }
        (DeliveryAction::ConfirmTime, DeliveryStage::Proposed { .. }) => Ok(DeliveryStage::Confirmed),
        (DeliveryAction::RecordDelivered, DeliveryStage::Confirmed) => Ok(DeliveryStage::Delivered),
        _ => Err(refused()),
    }
}

#[cfg(test)]
mod tests {
    use super::CardAction::*;
    use super::CardState::*;
    use super::*;

    /// An input that meets every requirement of every action.
    fn complete() -> CardMove {
        CardMove {
            reasons: vec![Rejection { reason: RejectionReason::PhoneInvalid, text: String::new() }],
            card_tail: Some("1234".into()),
            at: Some(1_770_948_000),
            branch: Some("0101".into()),
            text: Some("卡面姓名印错".into()),
        }
    }

    /// Every allowed move: (from, action, role, to).
    const ALLOWED: [(CardState, CardAction, Role, CardState); 11] = [
        (Pending, Submit, Role::Union, Submitted),
        (Submitted, Reject, Role::Bank, Rejected),
        (Submitted, Approve, Role::Bank, InProduction),
        (Rejected, ResetRejected, Role::Union, Pending),
        (InProduction, MarkMade, Role::Bank, AwaitingDelivery),
        (AwaitingDelivery, SignFor, Role::Union, AwaitingDistribution),
        (AwaitingDistribution, Distribute, Role::Union, Distributed),
        (Distributed, ActivateOnSite, Role::Bank, Activated),
        (Distributed, ActivateAtBranch, Role::Bank, Activated),
        (AwaitingDistribution, Remake, Role::Bank, InProduction),
        (Distributed, Remake, Role::Bank, InProduction),
    ];

    #[test]
    fn state_codes_round_trip() {
        for s in CardState::ALL {
            assert_eq!(CardState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn action_and_reason_codes_round_trip_and_match_serde() {
        for a in CardAction::ALL {
            assert_eq!(CardAction::parse(a.as_str()), Some(a));
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{}\"", a.as_str()));
        }
        for r in RejectionReason::ALL {
            assert_eq!(RejectionReason::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.as_str()));
        }
        for a in DeliveryAction::ALL {
            assert_eq!(DeliveryAction::parse(a.as_str()), Some(a));
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{}\"", a.as_str()));
        }
        assert_eq!(CardAction::parse("approve_all"), None);
    }

    #[test]
    fn rejection_reasons_carry_the_codes_the_bank_sends() {
        let codes: Vec<&str> = RejectionReason::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            codes,
            ["id_not_verified", "name_id_mismatch", "phone_invalid", "already_holder", "id_expired", "other"]
        );
        for r in RejectionReason::ALL {
            assert!(!r.label().is_empty() && !r.remedy().is_empty(), "{r:?}");
            assert_eq!(r.needs_text(), r == RejectionReason::Other, "{r:?}");
        }
        assert!(RejectionReason::AlreadyHolder.remedy().contains("不要再为其发起办卡"));
    }

    #[test]
    fn every_allowed_move_passes_check() {
        for (from, action, role, to) in ALLOWED {
            assert_eq!(check(from, action, role, &complete()), Ok(to), "{from:?} --{action:?} by {role:?}");
        }
    }

    #[test]
    fn the_allowed_moves_are_exactly_the_table() {
        let mut from_table = Vec::new();
        for a in CardAction::ALL {
            for s in a.from() {
                from_table.push((*s, a, a.by(), a.to()));
            }
        }
        assert_eq!(from_table.len(), ALLOWED.len());
        for row in ALLOWED {
            assert!(from_table.contains(&row), "{row:?}");
        }
    }

    #[test]
    fn can_move_to_is_the_set_of_edges_of_the_table() {
        let edges = [
            (Pending, Submitted),
            (Submitted, Rejected),
            (Submitted, InProduction),
            (Rejected, Pending),
            (InProduction, AwaitingDelivery),
            (AwaitingDelivery, AwaitingDistribution),
            (AwaitingDistribution, Distributed),
            (Distributed, Activated),
            (Distributed, InProduction),
            (AwaitingDistribution, InProduction),
        ];
        for from in CardState::ALL {
            for to in CardState::ALL {
                assert_eq!(from.can_move_to(to), edges.contains(&(from, to)), "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn the_happy_path_is_allowed_step_by_step() {
        let path = [Pending, Submitted, InProduction, AwaitingDelivery, AwaitingDistribution, Distributed, Activated];
        for w in path.windows(2) {
            assert!(w[0].can_move_to(w[1]), "{:?} -> {:?} should be allowed", w[0], w[1]);
        }
    }

    #[test]
    fn no_state_can_be_skipped_or_reversed() {
        let refused = [
            (Pending, InProduction, "skips the bank review"),
            (Pending, Activated, "skips everything"),
            (Rejected, Submitted, "a rejection must be reset to pending first"),
            (Activated, Pending, "an activated card is final"),
            (Submitted, Pending, "the union cannot pull back an application"),
        ];
        for (from, to, why) in refused {
            assert!(!from.can_move_to(to), "{from:?} -> {to:?} must be refused: {why}");
        }
    }

    #[test]
    fn every_role_that_may_not_act_is_refused_in_every_state() {
        for action in CardAction::ALL {
            for role in Role::ALL.into_iter().filter(|r| *r != action.by()) {
                for state in CardState::ALL {
                    let refusal = check(state, action, role, &complete()).unwrap_err();
                    assert_eq!(refusal, MoveRefusal::NotAllowedForRole { action, role }, "{action:?} by {role:?}");
                    assert_eq!(refusal.code(), "not_allowed_for_role");
                }
            }
        }
    }

    #[test]
    fn every_state_the_action_does_not_apply_to_is_refused() {
        for action in CardAction::ALL {
            for state in CardState::ALL.into_iter().filter(|s| !action.from().contains(s)) {
                let refusal = check(state, action, action.by(), &complete()).unwrap_err();
                assert_eq!(refusal, MoveRefusal::NotAllowedInState { action, state }, "{action:?} on {state:?}");
                assert_eq!(refusal.code(), "not_allowed_in_state");
            }
        }
    }

    #[test]
    fn an_activated_card_takes_no_action_from_anyone() {
        for role in Role::ALL {
            assert!(available(Activated, role).is_empty(), "{role:?}");
        }
        assert_eq!(Activated.next_actor(), None);
    }

    #[test]
    fn a_rejection_needs_one_or_more_distinct_reasons_and_other_needs_text() {
        let reject = |reasons: Vec<Rejection>| {
            check(Submitted, Reject, Role::Bank, &CardMove { reasons, ..CardMove::default() }).map_err(|e| e.code())
        };
        let r = |reason, text: &str| Rejection { reason, text: text.into() };
        use RejectionReason::*;
        let cases = [
            (vec![], Err("reason_required"), "no reason"),
            (vec![r(Other, "")], Err("other_needs_text"), "other without text"),
            (vec![r(Other, "  \n")], Err("other_needs_text"), "other with blank text"),
            (vec![r(IdExpired, ""), r(IdExpired, "x")], Err("reason_repeated"), "the same reason twice"),
            (vec![r(PhoneInvalid, "")], Ok(Rejected), "a coded reason needs no text"),
            (vec![r(Other, "联系不上会员")], Ok(Rejected), "other with text"),
            (
                vec![r(IdNotVerified, ""), r(NameIdMismatch, "姓名有生僻字"), r(Other, "请核实")],
                Ok(Rejected),
                "several",
            ),
        ];
        for (reasons, want, why) in cases {
            assert_eq!(reject(reasons), want, "{why}");
        }
    }

    #[test]
    fn marking_a_card_made_needs_four_digits() {
        for (tail, ok) in [
            ("1234", true),
            (" 0007 ", true),
            ("123", false),
            ("12345", false),
            ("12a4", false),
            ("", false),
            ("１２３４", false),
        ] {
            let input = CardMove { card_tail: Some(tail.into()), ..CardMove::default() };
            let got = check(InProduction, MarkMade, Role::Bank, &input);
            assert_eq!(got.is_ok(), ok, "{tail:?}");
            if !ok {
                assert_eq!(got.unwrap_err().code(), "card_tail_invalid", "{tail:?}");
            }
        }
        let none = check(InProduction, MarkMade, Role::Bank, &CardMove::default()).unwrap_err();
        assert_eq!(none.code(), "card_tail_invalid");
        assert_eq!(none.field(), Some("card_tail"));
    }

    #[test]
    fn activation_on_site_needs_a_time_and_at_a_branch_needs_the_branch() {
        let on_site = check(Distributed, ActivateOnSite, Role::Bank, &CardMove::default()).unwrap_err();
        assert_eq!(on_site.code(), "time_required");
        let with_time = CardMove { at: Some(1_770_948_000), ..CardMove::default() };
        assert_eq!(check(Distributed, ActivateOnSite, Role::Bank, &with_time), Ok(Activated));

        for branch in [None, Some(""), Some("   ")] {
            let input = CardMove { branch: branch.map(String::from), ..CardMove::default() };
            let refusal = check(Distributed, ActivateAtBranch, Role::Bank, &input).unwrap_err();
            assert_eq!(refusal.code(), "branch_required", "{branch:?}");
        }
        let at_branch = CardMove { branch: Some("0101".into()), ..CardMove::default() };
        assert_eq!(check(Distributed, ActivateAtBranch, Role::Bank, &at_branch), Ok(Activated));
    }

    #[test]
    fn a_remake_needs_its_reason() {
        for state in [AwaitingDistribution, Distributed] {
            for text in [None, Some(""), Some(" ")] {
                let input = CardMove { text: text.map(String::from), ..CardMove::default() };
                assert_eq!(check(state, Remake, Role::Bank, &input).unwrap_err().code(), "text_required");
            }
            let input = CardMove { text: Some("卡面姓名印错".into()), ..CardMove::default() };
            assert_eq!(check(state, Remake, Role::Bank, &input), Ok(InProduction));
        }
    }

    #[test]
    fn actions_that_need_nothing_pass_with_an_empty_input() {
        for action in CardAction::ALL.into_iter().filter(|a| a.needs().is_empty()) {
            let from = action.from()[0];
            assert_eq!(check(from, action, action.by(), &CardMove::default()), Ok(action.to()), "{action:?}");
        }
    }

    #[test]
    fn available_agrees_with_check_for_every_state_role_and_action() {
        for state in CardState::ALL {
            for role in Role::ALL {
                let shown = available(state, role);
                for action in CardAction::ALL {
                    let passed = check(state, action, role, &complete());
                    assert_eq!(shown.contains(&action), passed.is_ok(), "{state:?} {role:?} {action:?}");
                    // without the needed input the refusal is about the input, never the role or state
                    if shown.contains(&action) {
                        if let Err(e) = check(state, action, role, &CardMove::default()) {
                            assert!(e.field().is_some(), "{state:?} {role:?} {action:?}: {e:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn supervisors_and_members_never_move_a_card() {
        for state in CardState::ALL {
            assert!(available(state, Role::Supervisor).is_empty());
            assert!(available(state, Role::Member).is_empty());
        }
    }

    #[test]
    fn the_next_actor_has_something_to_do() {
        for state in CardState::ALL {
            match state.next_actor() {
                Some(role) if state == AwaitingDelivery => {
                    assert!(DeliveryAction::ProposeTime.by().contains(&role), "{state:?}");
                }
                Some(role) => assert!(!available(state, role).is_empty(), "{state:?}: {role:?} has no button"),
                None => assert!(Role::ALL.iter().all(|r| available(state, *r).is_empty())),
            }
        }
        assert_eq!(Pending.next_actor(), Some(Role::Union));
        assert_eq!(Submitted.next_actor(), Some(Role::Bank));
        assert_eq!(AwaitingDistribution.next_actor(), Some(Role::Union));
    }

    #[test]
    fn refusals_speak_plainly() {
        let state = check(InProduction, Submit, Role::Union, &CardMove::default()).unwrap_err();
        assert!(
            state.message().starts_with("该会员服务卡当前为“办卡中—制卡中”，不能发起办卡。"),
            "{}",
            state.message()
        );
        assert!(state.message().contains("只有处于“未办卡—待办卡”的会员服务卡才能发起办卡"));
        let remake = check(Pending, Remake, Role::Bank, &CardMove::default()).unwrap_err();
        assert!(remake.message().contains("“待发放”或“已发放”"), "{}", remake.message());
        let role = check(Submitted, Approve, Role::Union, &CardMove::default()).unwrap_err();
        assert_eq!(role.message(), "“审核通过”由银行网点办理，基层工会不能操作。");
        assert_eq!(role.to_string(), role.message());
        let json = serde_json::to_value(&role).unwrap();
        assert_eq!(json["code"], "not_allowed_for_role");
    }

    #[test]
    fn the_event_reason_says_what_came_with_the_move() {
        let input = CardMove {
            reasons: vec![
                Rejection { reason: RejectionReason::IdExpired, text: String::new() },
                Rejection { reason: RejectionReason::Other, text: " 请核实住址 ".into() },
            ],
            ..complete()
        };
        assert_eq!(input.event_reason(Reject).as_deref(), Some("证件已过期；其他：请核实住址"));
        assert_eq!(input.event_reason(MarkMade).as_deref(), Some("卡号后四位 1234"));
        assert_eq!(input.event_reason(ActivateOnSite).as_deref(), Some("上门激活时间 2026-02-13 10:00"));
        assert_eq!(input.event_reason(ActivateAtBranch).as_deref(), Some("激活网点 0101"));
        assert_eq!(input.event_reason(Remake).as_deref(), Some("卡面姓名印错"));
        assert_eq!(input.event_reason(Submit), None);
    }

    #[test]
    fn a_move_input_reads_from_json_with_missing_fields() {
        let input: CardMove = serde_json::from_str(r#"{"reasons":[{"reason":"other","text":"x"}]}"#).unwrap();
        assert_eq!(input.reasons[0].reason, RejectionReason::Other);
        assert_eq!(input.card_tail, None);
    }

    #[test]
    fn delivery_stage_codes_round_trip() {
        use DeliveryStage::*;
        for stage in
            [Unscheduled, Proposed { by: Role::Bank }, Proposed { by: Role::Union }, Confirmed, Delivered, Signed]
        {
            let (code, by) = stage.code();
            assert_eq!(DeliveryStage::from_code(code, by), Some(stage));
        }
        assert_eq!(DeliveryStage::from_code("proposed", None), None, "a proposal names its side");
        assert_eq!(DeliveryStage::from_code("proposed", Some(Role::Member)), None);
        assert_eq!(DeliveryStage::from_code("lost", None), None);
    }

    #[test]
    fn a_delivery_time_is_proposed_by_one_side_and_confirmed_by_the_other() {
        use DeliveryAction::*;
        use DeliveryStage::*;
        let t = Some(1_770_948_000);
        assert_eq!(check_delivery(Unscheduled, ProposeTime, Role::Bank, t), Ok(Proposed { by: Role::Bank }));
        assert_eq!(check_delivery(Unscheduled, ProposeTime, Role::Union, t), Ok(Proposed { by: Role::Union }));
        assert_eq!(check_delivery(Unscheduled, ProposeTime, Role::Bank, None).unwrap_err().code(), "time_required");
        assert_eq!(check_delivery(Proposed { by: Role::Bank }, ConfirmTime, Role::Union, None), Ok(Confirmed));
        assert_eq!(check_delivery(Proposed { by: Role::Union }, ConfirmTime, Role::Bank, None), Ok(Confirmed));
        let own = check_delivery(Proposed { by: Role::Bank }, ConfirmTime, Role::Bank, None).unwrap_err();
        assert_eq!(own.code(), "own_proposal");
        assert_eq!(own.message(), "该送卡时间由银行网点提出，需由基层工会确认。");
        // a counter-proposal, and a new time after confirming
        assert_eq!(
            check_delivery(Proposed { by: Role::Bank }, ProposeTime, Role::Union, t),
            Ok(Proposed { by: Role::Union })
        );
        assert_eq!(check_delivery(Confirmed, ProposeTime, Role::Bank, t), Ok(Proposed { by: Role::Bank }));
        assert_eq!(check_delivery(Confirmed, RecordDelivered, Role::Bank, None), Ok(Delivered));
        let refused = [
            (Unscheduled, ConfirmTime, Role::Union, "not_allowed_in_state", "nothing to confirm"),
            (Confirmed, ConfirmTime, Role::Union, "not_allowed_in_state", "already confirmed"),
            (Proposed { by: Role::Bank }, RecordDelivered, Role::Bank, "not_allowed_in_state", "time not agreed"),
            (Delivered, ProposeTime, Role::Bank, "not_allowed_in_state", "already delivered"),
            (Signed, ProposeTime, Role::Union, "not_allowed_in_state", "already signed for"),
            (Signed, RecordDelivered, Role::Bank, "not_allowed_in_state", "already signed for"),
            (Signed, ConfirmTime, Role::Union, "not_allowed_in_state", "already signed for"),
            (Confirmed, RecordDelivered, Role::Union, "not_allowed_for_role", "the bank records the delivery"),
            (Unscheduled, ProposeTime, Role::Member, "not_allowed_for_role", "members take no part"),
            (Proposed { by: Role::Bank }, ConfirmTime, Role::Supervisor, "not_allowed_for_role", "nor supervisors"),
        ];
        for (stage, action, role, code, why) in refused {
            let refusal = check_delivery(stage, action, role, t).unwrap_err();
            assert_eq!(refusal.code(), code, "{why}");
            assert!(!refusal.message().is_empty());
        }
    }

    #[test]
    fn every_state_is_reached_from_pending_through_check() {
        let mut reached = vec![Pending];
        let mut i = 0;
        while i < reached.len() {
            for role in Role::ALL {
                for action in available(reached[i], role) {
                    let next = check(reached[i], action, role, &complete()).unwrap();
                    if !reached.contains(&next) {
                        reached.push(next);
                    }
                }
            }
            i += 1;
        }
        assert_eq!(reached.len(), CardState::ALL.len(), "{reached:?}");
    }

    mod model {
        use proptest::prelude::*;

        use super::super::*;

        fn role() -> impl Strategy<Value = Role> {
            proptest::sample::select(Role::ALL.to_vec())
        }

        fn action() -> impl Strategy<Value = CardAction> {
            proptest::sample::select(CardAction::ALL.to_vec())
        }

        fn text() -> impl Strategy<Value = Option<String>> {
            proptest::option::of(proptest::sample::select(vec!["", "  ", "1234", "12a4", "0101", "卡面错误"]))
                .prop_map(|t| t.map(String::from))
        }

        fn input() -> impl Strategy<Value = CardMove> {
            let reason = (proptest::sample::select(RejectionReason::ALL.to_vec()), text())
                .prop_map(|(reason, text)| Rejection { reason, text: text.unwrap_or_default() });
            (proptest::collection::vec(reason, 0..3), text(), proptest::option::of(any::<i64>()), text(), text())
                .prop_map(|(reasons, card_tail, at, branch, text)| CardMove { reasons, card_tail, at, branch, text })
        }

        /// One step of a random session: any role trying any action, or one of the buttons shown
        /// to anyone in the current state (so that sequences get past the first moves).
        #[derive(Debug, Clone)]
        enum Step {
            Any(Role, CardAction),
            Shown(usize),
        }

        fn step() -> impl Strategy<Value = (Step, CardMove)> {
            let step = prop_oneof![
                (role(), action()).prop_map(|(r, a)| Step::Any(r, a)),
                any::<usize>().prop_map(Step::Shown)
            ];
            let input = prop_oneof![input(), Just(super::complete())];
            (step, input)
        }

        proptest! {
            #[test]
            fn random_moves_from_pending_only_follow_the_lifecycle(steps in proptest::collection::vec(step(), 0..60)) {
                let mut state = CardState::Pending;
                for (step, input) in steps {
                    let (role, action) = match step {
                        Step::Any(role, action) => (role, action),
                        Step::Shown(i) => {
                            let shown: Vec<(Role, CardAction)> = Role::ALL
                                .into_iter()
                                .flat_map(|r| available(state, r).into_iter().map(move |a| (r, a)))
                                .collect();
                            match shown.len() {
                                0 => continue,
                                n => shown[i % n],
                            }
                        }
                    };
                    match check(state, action, role, &input) {
                        Ok(next) => {
                            prop_assert!(CardState::ALL.contains(&next));
                            prop_assert!(state.can_move_to(next), "{:?} -> {:?}", state, next);
                            prop_assert!(available(state, role).contains(&action));
                            prop_assert_eq!(next, action.to());
                            state = next;
                        }
                        Err(refusal) => {
                            let shown = available(state, role).contains(&action);
                            // a listed action is refused only for its input, an unlisted one never for it
                            prop_assert_eq!(shown, refusal.field().is_some(), "{:?}", refusal);
                        }
                    }
                }
            }

            #[test]
            fn available_agrees_with_check_whatever_the_input(
                state in proptest::sample::select(CardState::ALL.to_vec()),
                role in role(),
                action in action(),
                input in input(),
            ) {
                let shown = available(state, role).contains(&action);
                match check(state, action, role, &input) {
                    Ok(_) => prop_assert!(shown),
                    Err(refusal) => prop_assert_eq!(shown, refusal.field().is_some()),
                }
            }
        }
    }
}
