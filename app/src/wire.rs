//! How the browser's data travels: server functions answer in postcard (a compact binary form
//! of the same serde types), and a page's resources are written into the page the same way
//! (base64 of the postcard bytes), so each type has one small decoder in the wasm.
//!
//! JSON decoding cost the wasm a decoder per type that matched field names, skipped unknown
//! fields and reported missing ones (serde_json's `deserialize_struct` and `deserialize_seq`
//! with each struct inlined: 140 KB before compression, 25 KB of the compressed wasm).
//! Postcard reads the fields in order, which is all the browser needs: it was built from the
//! same types as the server. JSON stays where a person or another system reads it: the bank's
//! API (`/api/bank/v1`), plain routes' errors (`AppError::to_json`), the islands' props.

use leptos::{
    prelude::Resource,
    server::codee::{Decoder, Encoder},
    server_fn::{codec::Post, Bytes, ContentType, Decodes, Encodes, Format, FormatType},
};
use serde::{de::DeserializeOwned, Serialize};

/// Postcard, as a server function's answer (and `AppError`'s encoding).
pub struct WireEncoding;

impl ContentType for WireEncoding {
    const CONTENT_TYPE: &'static str = "application/x-postcard";
}

impl FormatType for WireEncoding {
    const FORMAT_TYPE: Format = Format::Binary;
}

impl<T: Serialize> Encodes<T> for WireEncoding {
    type Error = postcard::Error;

    fn encode(value: &T) -> Result<Bytes, postcard::Error> {
        postcard::to_allocvec(value).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for WireEncoding {
    type Error = postcard::Error;

    fn decode(bytes: Bytes) -> Result<T, postcard::Error> {
        postcard::from_bytes(&bytes)
    }
}

/// The answer encoding every server function names (`#[server(output = crate::wire::Answer)]`);
/// the arguments stay `PostUrl`, the form encoding a plain `<form>` sends.
pub type Answer = Post<WireEncoding>;

/// A page's resource value in the page: base64 (no padding, URL-safe: nothing to escape in the
/// script that carries it) of its postcard bytes.
pub struct Wire;

/// Why a value written into the page could not be read back.
#[derive(Debug)]
pub enum WireError {
    Base64,
    Postcard(postcard::Error),
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WireError::Base64 => f.write_str("not base64"),
            WireError::Postcard(e) => e.fmt(f),
        }
    }
}

impl<T: Serialize> Encoder<T> for Wire {
    type Error = postcard::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, postcard::Error> {
        use base64::Engine as _;
        Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(postcard::to_allocvec(val)?))
    }
}

impl<T: DeserializeOwned> Decoder<T> for Wire {
    type Error = WireError;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, WireError> {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(val).map_err(|_| WireError::Base64)?;
        postcard::from_bytes(&bytes).map_err(WireError::Postcard)
    }
}

/// A page's resource, sent with the page (`Wire`).
pub type Res<T> = Resource<T, Wire>;

/// `Resource::new` with this module's codec: `source` is tracked, `fetcher` loads the value
/// (on the server while the page renders; in the browser when `source` changes).
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Res<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{domain::calendar::Urgency, error::AppError};

    #[test]
    fn a_page_value_comes_back_as_it_went() {
        let v: Result<Vec<(String, i64)>, AppError> = Ok(vec![("会员".into(), 3)]);
        let s = <Wire as Encoder<_>>::encode(&v).unwrap();
        assert!(s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{s}");
        let back: Result<Vec<(String, i64)>, AppError> = <Wire as Decoder<_>>::decode(&s).unwrap();
        assert_eq!(back, v);
        assert!(<Wire as Decoder<Vec<String>>>::decode("%%").is_err(), "not base64");
    }

    #[test]
    fn every_error_and_urgency_crosses_the_wire() {
        // internally tagged enums cannot be read back from postcard: these are tagged outside
        let errors = [
            AppError::invalid("name", "请输入名称。"),
            AppError::conflict("x", "已被他人处理"),
            AppError::NotFound,
            AppError::Locked { message: "稍后".into() },
        ];
        for e in errors {
            let bytes = <WireEncoding as Encodes<_>>::encode(&e).unwrap();
            assert_eq!(<WireEncoding as Decodes<AppError>>::decode(bytes).unwrap(), e);
        }
        for u in [Urgency::OnTime { left: 4 }, Urgency::DueSoon { left: 0 }, Urgency::Overdue { by: 3 }] {
            let s = <Wire as Encoder<_>>::encode(&Some(u)).unwrap();
            assert_eq!(<Wire as Decoder<Option<Urgency>>>::decode(&s).unwrap(), Some(u));
        }
    }
}
