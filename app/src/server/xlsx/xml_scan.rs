//! A small streaming XML tokenizer that splits a part into start tags and everything else,
//! drawing the lines exactly where quick-xml (calamine's parser) draws them: quoted `>` inside
//! tags, comments ending at the first `-->`, CDATA at the first `]]>`, PIs at the first `?>`.
//! The guard uses it to see every start tag calamine will see, and to rewrite a few of them.

/// A piece of the input: either a complete start (or empty-element) tag, `<` to `>`, or bytes
/// that are not part of a start tag (text, end tags, comments, CDATA, PIs), passed through.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Seg<'a> {
    Raw(&'a [u8]),
    StartTag(&'a [u8]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScanError {
    /// `<!DOCTYPE` / `<!ENTITY`: refused, never expanded.
    Dtd,
    /// Something quick-xml would read differently or reject (`<!x`, `--` in a comment, `<?>`).
    Malformed,
    /// A single tag longer than the cap.
    TagTooLong,
    /// The part ended inside markup.
    Unterminated,
}

#[derive(Debug, Clone, Copy)]
enum State {
    Text,
    /// Just after `<`.
    AfterLt,
    /// Inside `<!…` before we know whether it is a comment or CDATA (prefix kept in `tag`).
    Bang,
    Comment {
        dashes: u8,
    },
    CData {
        brackets: u8,
    },
    Pi {
        first: bool,
        prev_q: bool,
    },
    EndTag {
        quote: u8,
    },
    StartTag {
        quote: u8,
    },
}

pub(crate) struct XmlScanner {
    state: State,
    tag: Vec<u8>,
    max_tag: usize,
}

const COMMENT_OPEN: &[u8] = b"<!--";
const CDATA_OPEN: &[u8] = b"<![CDATA[";

impl XmlScanner {
    pub(crate) fn new(max_tag: usize) -> Self {
        XmlScanner { state: State::Text, tag: Vec::with_capacity(256), max_tag }
    }

    /// Feeds the next chunk; `sink` receives the segments in order.
    pub(crate) fn feed<F>(&mut self, mut input: &[u8], sink: &mut F) -> Result<(), ScanError>
    where
        F: FnMut(Seg<'_>) -> Result<(), ScanError>,
    {
        while !input.is_empty() {
            match self.state {
                State::Text => match input.iter().position(|&b| b == b'<') {
                    None => {
                        sink(Seg::Raw(input))?;
                        return Ok(());
                    }
                    Some(i) => {
                        if i > 0 {
                            sink(Seg::Raw(&input[..i]))?;
                        }
                        // Fast path: a start or end tag wholly inside this chunk is handed on
                        // without copying (nearly every tag of a worksheet).
                        let rest = &input[i + 1..];
                        if let Some(&first) = rest.first() {
                            if first != b'?' && first != b'!' {
                                let mut quote = 0;
                                let from = usize::from(first == b'/');
                                if let Some(end) = scan_tag_end(&rest[from..], &mut quote) {
                                    let tag = &input[i..i + 1 + from + end + 1];
                                    if from == 1 {
                                        sink(Seg::Raw(tag))?;
                                    } else if tag.len() > self.max_tag {
                                        return Err(ScanError::TagTooLong);
                                    } else {
                                        sink(Seg::StartTag(tag))?;
                                    }
                                    input = &input[i + tag.len()..];
                                    continue;
                                }
                            }
                        }
                        self.tag.clear();
                        self.tag.push(b'<');
                        self.state = State::AfterLt;
                        input = rest;
                    }
                },
                State::AfterLt => match input[0] {
                    b'/' => {
                        sink(Seg::Raw(b"</"))?;
                        self.state = State::EndTag { quote: 0 };
                        input = &input[1..];
                    }
                    b'?' => {
                        sink(Seg::Raw(b"<?"))?;
                        self.state = State::Pi { first: true, prev_q: false };
                        input = &input[1..];
                    }
                    b'!' => {
                        self.tag.push(b'!');
                        self.state = State::Bang;
                        input = &input[1..];
                    }
                    _ => self.state = State::StartTag { quote: 0 },
                },
                State::Bang => {
                    self.tag.push(input[0]);
                    input = &input[1..];
                    let t = self.tag.as_slice();
                    if t == COMMENT_OPEN {
                        sink(Seg::Raw(t))?;
                        self.state = State::Comment { dashes: 0 };
                    } else if t == CDATA_OPEN {
                        sink(Seg::Raw(t))?;
                        self.state = State::CData { brackets: 0 };
                    } else if !COMMENT_OPEN.starts_with(t) && !CDATA_OPEN.starts_with(t) {
                        // quick-xml reads `<!D…`/`<!d…` as a DOCTYPE; `<!ENTITY` is one inside.
                        return Err(match t[2] {
                            b'D' | b'd' | b'E' | b'e' | b'A' | b'a' => ScanError::Dtd,
                            _ => ScanError::Malformed,
                        });
                    }
                }
                State::Comment { mut dashes } => {
                    // Ends at the first `-->`; a `--` not followed by `>` is refused so that
                    // no reader can disagree about where the comment stops.
                    let mut end = None;
                    for (i, &b) in input.iter().enumerate() {
                        match b {
                            b'-' if dashes >= 2 => return Err(ScanError::Malformed),
                            b'-' => dashes += 1,
                            b'>' if dashes >= 2 => {
                                end = Some(i);
                                break;
                            }
                            _ if dashes >= 2 => return Err(ScanError::Malformed),
                            _ => dashes = 0,
                        }
                    }
                    input = self.pass_until(input, end, State::Comment { dashes }, sink)?;
                }
                State::CData { mut brackets } => {
                    let mut end = None;
                    for (i, &b) in input.iter().enumerate() {
                        match b {
                            b']' => brackets = (brackets + 1).min(2),
                            b'>' if brackets >= 2 => {
                                end = Some(i);
                                break;
                            }
                            _ => brackets = 0,
                        }
                    }
                    input = self.pass_until(input, end, State::CData { brackets }, sink)?;
                }
                State::Pi { mut first, mut prev_q } => {
                    let mut end = None;
                    for (i, &b) in input.iter().enumerate() {
                        if first && b == b'>' {
                            // `<?>`: quick-xml reads it as a complete PI; nobody writes it.
                            return Err(ScanError::Malformed);
                        }
                        first = false;
                        if b == b'>' && prev_q {
                            end = Some(i);
                            break;
                        }
                        prev_q = b == b'?';
                    }
                    input = self.pass_until(input, end, State::Pi { first, prev_q }, sink)?;
                }
                State::EndTag { mut quote } => {
                    // quick-xml parses end tags with its quote-aware element parser too.
                    let end = scan_tag_end(input, &mut quote);
                    input = self.pass_until(input, end, State::EndTag { quote }, sink)?;
                }
                State::StartTag { mut quote } => {
                    let end = scan_tag_end(input, &mut quote);
                    let take = end.map_or(input.len(), |i| i + 1);
                    if self.tag.len() + take > self.max_tag {
                        return Err(ScanError::TagTooLong);
                    }
                    self.tag.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    if end.is_some() {
                        sink(Seg::StartTag(&self.tag))?;
                        self.state = State::Text;
                    } else {
                        self.state = State::StartTag { quote };
                    }
                }
            }
        }
        Ok(())
    }

    /// Passes `input` through up to and including `end` (or all of it while the construct is
    /// still open), updating the state; returns the rest.
    fn pass_until<'i, F>(
        &mut self,
        input: &'i [u8],
        end: Option<usize>,
        open_state: State,
        sink: &mut F,
    ) -> Result<&'i [u8], ScanError>
    where
        F: FnMut(Seg<'_>) -> Result<(), ScanError>,
    {
        match end {
            Some(i) => {
                sink(Seg::Raw(&input[..=i]))?;
                self.state = State::Text;
                Ok(&input[i + 1..])
            }
            None => {
                sink(Seg::Raw(input))?;
                self.state = open_state;
                Ok(&[])
            }
        }
    }

    /// Call at the end of the part.
    pub(crate) fn finish(&self) -> Result<(), ScanError> {
        match self.state {
            State::Text => Ok(()),
            _ => Err(ScanError::Unterminated),
        }
    }
}

/// Finds the `>` that closes a tag, honouring quotes like quick-xml's `ElementParser`.
fn scan_tag_end(input: &[u8], quote: &mut u8) -> Option<usize> {
    let mut i = 0;
    while i < input.len() {
        if *quote == 0 {
            let j = input[i..].iter().position(|&b| b == b'>' || b == b'"' || b == b'\'')?;
            i += j;
            if input[i] == b'>' {
                return Some(i);
            }
            *quote = input[i];
        } else {
            let q = *quote;
            let j = input[i..].iter().position(|&b| b == q)?;
            i += j;
            *quote = 0;
        }
        i += 1;
    }
    None
}

/// The parts of a start tag: its qualified name, the local name (after `:`), and the raw
/// attribute bytes (between the name and the closing `>` / `/>`).
pub(crate) struct TagParts<'a> {
    pub qname: &'a [u8],
    pub local: &'a [u8],
    pub attrs: &'a [u8],
    pub self_closing: bool,
}

pub(crate) fn split_tag(tag: &[u8]) -> TagParts<'_> {
    // tag = b"<name attrs>" or b"<name attrs/>"
    let inner = &tag[1..tag.len().saturating_sub(1).max(1)];
    let (inner, self_closing) = match inner.last() {
        Some(b'/') => (&inner[..inner.len() - 1], true),
        _ => (inner, false),
    };
    let name_end = inner.iter().position(|b| b.is_ascii_whitespace() || *b == b'/').unwrap_or(inner.len());
    let qname = &inner[..name_end];
    let local = match qname.iter().rposition(|&b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    };
    TagParts { qname, local, attrs: &inner[name_end..], self_closing }
}

/// Iterates `(key, value)` pairs of raw attribute bytes exactly as calamine's `RawAttrIter`
/// does (key = everything up to `=`, trimmed at the end; value quoted), stopping at the first
/// malformed attribute, where calamine stops too (with an error).
pub(crate) fn raw_attrs(raw: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let len = raw.len();
        while pos < len && raw[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= len {
            return None;
        }
        let key_start = pos;
        while pos < len && raw[pos] != b'=' {
            pos += 1;
        }
        if pos >= len {
            pos = len;
            return None;
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < len && raw[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = match raw.get(pos) {
            Some(&q) if q == b'"' || q == b'\'' => q,
            _ => {
                pos = len;
                return None;
            }
        };
        pos += 1;
        let val_start = pos;
        while pos < len && raw[pos] != quote {
            pos += 1;
        }
        let val = &raw[val_start..pos];
        if pos < len {
            pos += 1;
        }
        Some((key, val))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start_tags(xml: &[u8], chunk: usize) -> Result<Vec<String>, ScanError> {
        let mut s = XmlScanner::new(1024);
        let mut out = Vec::new();
        let mut raw_total = 0usize;
        for c in xml.chunks(chunk) {
            s.feed(c, &mut |seg| {
                match seg {
                    Seg::StartTag(t) => {
                        raw_total += t.len();
                        out.push(String::from_utf8_lossy(t).into_owned())
                    }
                    Seg::Raw(r) => raw_total += r.len(),
                }
                Ok(())
            })?;
        }
        s.finish()?;
        assert_eq!(raw_total, xml.len(), "segments must cover every byte");
        Ok(out)
    }

    #[test]
    fn finds_start_tags_across_any_chunking() {
        let xml = br#"<?xml version="1.0"?><!-- a -> b --><a x='>'><![CDATA[<b>]]><c r="A1"/></a>"#;
        for chunk in 1..xml.len() {
            assert_eq!(
                start_tags(xml, chunk).unwrap(),
                vec![r#"<a x='>'>"#.to_string(), r#"<c r="A1"/>"#.to_string()],
                "chunk size {chunk}"
            );
        }
    }

    #[test]
    fn refuses_doctype_and_ambiguous_markup() {
        assert_eq!(start_tags(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>", 3), Err(ScanError::Dtd));
        assert_eq!(start_tags(b"<!ENTITY a 'b'>", 3), Err(ScanError::Dtd));
        assert_eq!(start_tags(b"<!-- a -- b --><x/>", 2), Err(ScanError::Malformed));
        assert_eq!(start_tags(b"<?><x/>", 2), Err(ScanError::Malformed));
        assert_eq!(start_tags(b"<x", 2), Err(ScanError::Unterminated));
    }

    #[test]
    fn attributes_are_split_like_calamine() {
        let t = split_tag(br#"<x:sst  count="2" uniqueCount = '3'/>"#);
        assert_eq!(t.qname, b"x:sst");
        assert_eq!(t.local, b"sst");
        assert!(t.self_closing);
        let attrs: Vec<_> = raw_attrs(t.attrs).collect();
        assert_eq!(attrs, vec![(&b"count"[..], &b"2"[..]), (&b"uniqueCount"[..], &b"3"[..])]);
    }
}
