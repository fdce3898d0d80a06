//! The member service card lifecycle: states, their Chinese labels, and the only allowed moves.

use serde::{Deserialize, Serialize};

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

    /// Whether the lifecycle allows moving from `self` to `to`.
    pub fn can_move_to(self, to: CardState) -> bool {
        use CardState::*;
        matches!(
            (self, to),
            (Pending, Submitted)
                | (Submitted, Rejected)
                | (Submitted, InProduction)
                | (Rejected, Pending)
                | (InProduction, AwaitingDelivery)
                | (AwaitingDelivery, AwaitingDistribution)
                | (AwaitingDistribution, Distributed)
                | (Distributed, Activated)
                // a wrong card face: the bank recalls the card and remakes it
                | (Distributed, InProduction)
                | (AwaitingDistribution, InProduction)
        )
    }
}

crate::text_column!(CardState, "card_state");

#[cfg(test)]
mod tests {
    use super::CardState::*;
    use super::*;

    #[test]
    fn state_codes_round_trip() {
        for s in CardState::ALL {
            assert_eq!(CardState::parse(s.as_str()), Some(s));
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
}
