//! Who is calling. One function turns a session into a `Caller`, the signed-in account with the
//! scope its role gives it: a supervisor its subtree, a union its own union, a bank its bank, a
//! member their own record. Server functions (`require`) and plain routes (the extractor) both
//! derive scope here, and nowhere else.

use axum::{extract::FromRequestParts, http::request::Parts};
use tower_sessions::Session;

use super::{
    auth::{self, AuthUser},
    db::Db,
    state::AppState,
    unions::{self, UnionNode},
};
use crate::{
    domain::{
        ids::{BankId, MemberId, UnionId, UserId},
        role::Role,
    },
    error::{AppError, AppResult},
};

#[derive(Debug, Clone)]
pub enum Caller {
    Supervisor { user: AuthUser, root: UnionNode },
    Union { user: AuthUser, union: UnionId },
    Bank { user: AuthUser, bank: BankId },
    Member { user: AuthUser, member: MemberId },
}

impl Caller {
    /// Whether this is the city-level supervisor, who keeps what the whole city shares (the
    /// working-day calendar, the hotlines); any other supervisor reads them.
    pub fn at_city_level(&self) -> AppResult<bool> {
        Ok(self.subtree()?.level == crate::domain::role::UnionLevel::City)
    }

    pub fn user(&self) -> &AuthUser {
        match self {
            Caller::Supervisor { user, .. }
            | Caller::Union { user, .. }
            | Caller::Bank { user, .. }
            | Caller::Member { user, .. } => user,
        }
    }

    pub fn id(&self) -> UserId {
        self.user().id
    }

    pub fn role(&self) -> Role {
        self.user().role
    }

    /// The grassroots union a union account runs.
    pub fn union(&self) -> AppResult<UnionId> {
        match self {
            Caller::Union { union, .. } => Ok(*union),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The union at the top of a supervisor's subtree.
    pub fn subtree(&self) -> AppResult<&UnionNode> {
        match self {
            Caller::Supervisor { root, .. } => Ok(root),
            _ => Err(AppError::Forbidden),
        }
    }

    pub fn bank(&self) -> AppResult<BankId> {
        match self {
            Caller::Bank { bank, .. } => Ok(*bank),
            _ => Err(AppError::Forbidden),
        }
    }

    pub fn member(&self) -> AppResult<MemberId> {
        match self {
            Caller::Member { member, .. } => Ok(*member),
            _ => Err(AppError::Forbidden),
        }
    }
}

/// The caller of this session: signed out is `Unauthenticated`; an account still on its initial
/// password may do nothing but change it (`PasswordChangeRequired`). An account whose role lacks
/// the record its scope needs is refused, and logged: the data is wrong, not the request.
pub async fn caller_of(db: &Db, session: &Session) -> AppResult<Caller> {
    let user = auth::current_user(db, session).await?.ok_or(AppError::Unauthenticated)?;
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    let missing = |what: &str| {
        tracing::error!(user = %user.id, role = user.role.as_str(), "account has no {what}");
        AppError::Forbidden
    };
    Ok(match user.role {
        Role::Supervisor => {
            let union = user.union_id.ok_or_else(|| missing("union"))?;
            let root = unions::node(db, union).await?.ok_or_else(|| missing("union"))?;
            Caller::Supervisor { user, root }
        }
        Role::Union => {
            let union = user.union_id.ok_or_else(|| missing("union"))?;
            Caller::Union { user, union }
        }
        Role::Bank => {
            let bank = user.bank_id.ok_or_else(|| missing("bank"))?;
            Caller::Bank { user, bank }
        }
        Role::Member => {
            let member = user.member_id.ok_or_else(|| missing("member record"))?;
            Caller::Member { user, member }
        }
    })
}

/// First line of every server function: who is calling, and may their role do this?
pub async fn require(roles: &[Role]) -> AppResult<(Db, Caller)> {
    let db = super::state::db()?;
    let session = auth::session().await?;
    let caller = caller_of(&db, &session).await?;
    if !roles.contains(&caller.role()) {
        return Err(AppError::Forbidden);
    }
    tracing::Span::current().record("caller", tracing::field::display(caller.id()));
    Ok((db, caller))
}

/// A plain route takes a `Caller` argument and answers 401/403 like a server function.
impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state).await.map_err(|(_, e)| {
            tracing::error!(error = e, "no session layer");
            AppError::Internal
        })?;
        let caller = caller_of(&state.db, &session).await?;
        tracing::Span::current().record("caller", tracing::field::display(caller.id()));
        Ok(caller)
    }
}
