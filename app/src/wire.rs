//! How a page's data travels to the browser: as JSON, read with the same reader as a server
//! function's answer.
//!
//! Leptos writes a resource's value into the page and the browser decodes it with `codee`'s
//! `JsonSerdeCodec` (`serde_json::from_str`), while a server function's answer is decoded with
//! `serde_json::from_slice`. The two readers are different types, so every struct a page both
//! loads with the page and reloads from the server was compiled into the wasm twice. `Json`
//! decodes with `from_slice` too (the page's text is already valid UTF-8), so each type has one
//! decoder; the bytes on the wire are the same.

use leptos::{
    prelude::Resource,
    server::codee::{Decoder, Encoder},
};
use serde::{de::DeserializeOwned, Serialize};

/// JSON, decoded by the reader the server functions use (see the module's text).
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(val)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(val.as_bytes())
    }
}

/// A page's resource, sent with the page as JSON (`Json`).
pub type Res<T> = Resource<T, Json>;

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

    #[test]
    fn a_value_comes_back_as_it_went() {
        let v: Result<Vec<(String, i64)>, String> = Ok(vec![("会员".into(), 3)]);
        let s = <Json as Encoder<_>>::encode(&v).unwrap();
        assert_eq!(s, serde_json::to_string(&v).unwrap(), "the same JSON as before");
        let back: Result<Vec<(String, i64)>, String> = <Json as Decoder<_>>::decode(&s).unwrap();
        assert_eq!(back, v);
    }
}
