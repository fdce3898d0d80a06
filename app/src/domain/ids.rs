//! Typed row ids: a union's, a member's, a user's and a bank's id cannot be passed one for
//! another. Each is its `i64` on the wire (serde) and in the database (sqlx, any engine).

use std::fmt;
use std::num::ParseIntError;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type))]
        #[cfg_attr(feature = "ssr", sqlx(transparent))]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )*};
}

id_type! {
    /// `unions.id`.
    UnionId;
    /// `members.id`.
    MemberId;
    /// `users.id`.
    UserId;
    /// `banks.id`.
    BankId;
    /// `card_batches.id`.
    BatchId;
    /// `card_deliveries.id`.
    DeliveryId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_number_as_text_and_on_the_wire() {
        assert_eq!(UnionId(42).to_string(), "42");
        assert_eq!("42".parse::<MemberId>(), Ok(MemberId(42)));
        assert_eq!("-7".parse::<UserId>(), Ok(UserId(-7)));
        for bad in ["", "4x", " 42", "9223372036854775808"] {
            assert!(bad.parse::<BankId>().is_err(), "{bad:?}");
        }
        assert_eq!(serde_json::to_string(&BankId(3)).unwrap(), "3");
        assert_eq!(serde_json::from_str::<UnionId>("17").unwrap(), UnionId(17));
        assert_eq!(serde_json::to_string(&[UserId(1), UserId(2)]).unwrap(), "[1,2]");
        assert!(serde_json::from_str::<UnionId>("\"17\"").is_err(), "a number, not a string");
        assert!(UnionId(1) < UnionId(2));
    }

    #[cfg(feature = "ssr")]
    #[tokio::test]
    async fn ids_bind_and_decode_through_the_any_driver() {
        sqlx::any::install_default_drivers();
        // one connection for the pool's life: each connection to `:memory:` is a database of its own
        let pool: sqlx::AnyPool = sqlx::pool::PoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::query("CREATE TABLE members (id BIGINT PRIMARY KEY, union_id BIGINT NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO members (id, union_id) VALUES ($1, $2)")
            .bind(MemberId(9_000_000_000))
            .bind(UnionId(7))
            .execute(&pool)
            .await
            .unwrap();
        let (id, union_id): (MemberId, UnionId) =
            sqlx::query_as("SELECT id, union_id FROM members WHERE union_id = $1")
                .bind(UnionId(7))
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!((id, union_id), (MemberId(9_000_000_000), UnionId(7)));
        let found: Option<UserId> = sqlx::query_scalar("SELECT id FROM members WHERE id = $1")
            .bind(UserId(1))
            .fetch_optional(&pool)
            .await
            .unwrap();
        assert_eq!(found, None);
    }
}
