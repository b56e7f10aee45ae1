//! A small element tree read with quick-xml: names, attributes, children and where each
//! element starts, which is all GENIUS files use (their text content carries nothing).
//!
//! Why quick-xml and not a hand reader: quick-xml's tokenizer accepts everything GENIUS's own
//! `SimpleDOMParser` accepts once two of its checks are relaxed, and it keeps the positions
//! errors need. What it would reject is handled here, as GENIUS 10.4 reads it:
//! - a bare `&` (`value="AT & T"`): GENIUS decodes no entities at all; attribute values are
//!   taken raw and decoded here leniently ([`unescape`]): the five XML entities and
//!   character references are decoded, any other `&` stays as written;
//!   A bare `&` in text content is let through too (quick-xml's `allow_dangling_amp`);
//! - unquoted attribute values (`index=1`) and repeated attributes (the last wins, as in
//!   GENIUS's hash map): HTML-style attribute parsing without the duplicate check.
//!
//! Well-formed XML that GENIUS's reader would choke on (spaces around `=`, comments inside
//! elements) is accepted as any XML reader does. Mismatched or missing end tags are
//! rejected, as GENIUS rejects them.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::genius::{GeniusError, GeniusErrorKind};
use crate::io::SourceFile;

/// Deepest element nesting accepted: real files nest four deep; this stops a hostile file
/// from recursing the walkers without bound.
const MAX_DEPTH: usize = 256;

/// One element.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// Byte offset of the `<` in the file's text (BOM removed).
    pub start: usize,
}

impl Element {
    /// The value of attribute `key` (the last one if repeated).
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Children named `name`, in document order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element and its descendants in document order (preorder).
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(e.children.iter().rev());
        }
        out
    }

    /// The start tag as errors show it: the name and the identifying attributes.
    pub fn describe(&self) -> String {
        let mut s = format!("<{}", self.name);
        for key in ["index", "name", "value"] {
            if let Some(v) = self.attr(key) {
                s.push_str(&format!(" {key}=\"{v}\""));
            }
        }
        s.push('>');
        s
    }
}

/// A parsed XML file: its source (for positions) and its root element.
pub(crate) struct XmlFile {
    pub src: SourceFile,
    pub root: Element,
}

impl XmlFile {
    /// An error about element `e`.
    pub fn error(&self, e: &Element, kind: GeniusErrorKind) -> GeniusError {
        GeniusError::new(self.src.name(), kind)
            .located(self.src.locate(e.start..e.start + 1))
            .in_element(e.describe())
    }

    /// A required attribute.
    pub fn attr<'a>(&self, e: &'a Element, key: &str) -> Result<&'a str, GeniusError> {
        e.attr(key).ok_or_else(|| {
            // GENIUS matches attribute names exactly; a near miss gets a did-you-mean.
            let near = e
                .attrs
                .iter()
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(key))
                .map(|(k, _)| {
                    format!("the element has `{k}`: attribute names are case-sensitive (`{key}`)")
                });
            self.error(
                e,
                GeniusErrorKind::Missing {
                    what: format!("attribute `{key}`"),
                },
            )
            .help(near)
        })
    }

    /// A required finite number attribute.
    pub fn number(&self, e: &Element, key: &str) -> Result<f64, GeniusError> {
        let text = self.attr(e, key)?;
        self.parse_number(e, key, text)
    }

    fn parse_number(&self, e: &Element, key: &str, text: &str) -> Result<f64, GeniusError> {
        match text.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(self.error(
                e,
                GeniusErrorKind::BadNumber {
                    what: format!("attribute `{key}`"),
                    text: text.to_string(),
                    reason: "not a finite number".into(),
                },
            )),
        }
    }

    /// A required whole-number attribute.
    pub fn integer(&self, e: &Element, key: &str) -> Result<i64, GeniusError> {
        let text = self.attr(e, key)?;
        let t = text.trim();
        // GENIUS writes bounds as "1" or, from some editors, "1.0".
        let parsed = t.parse::<i64>().ok().or_else(|| {
            t.parse::<f64>()
                .ok()
                .filter(|x| x.fract() == 0.0 && x.abs() < 9.0e15)
                .map(|x| x as i64)
        });
        parsed.ok_or_else(|| {
            self.error(
                e,
                GeniusErrorKind::BadNumber {
                    what: format!("attribute `{key}`"),
                    text: text.to_string(),
                    reason: "not a whole number".into(),
                },
            )
        })
    }
}

fn syntax(src: &SourceFile, offset: usize, message: String) -> GeniusError {
    let loc = src.locate(offset..offset + 1);
    GeniusError::new(src.name(), GeniusErrorKind::XmlSyntax { message }).located(loc)
}

fn element(src: &SourceFile, e: &BytesStart, end: usize) -> Result<Element, GeniusError> {
    let start = src
        .text()
        .get(..end)
        .and_then(|t| t.rfind('<'))
        .unwrap_or(0);
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in e.html_attributes().with_checks(false) {
        let a = a.map_err(|err| syntax(src, start, err.to_string()))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = unescape(&String::from_utf8_lossy(&a.value));
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        start,
    })
}

/// An attribute value with XML's references decoded where they are well formed
/// (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#N;` `&#xH;`) and every other `&` kept as
/// written: GENIUS decodes nothing, so a file GENIUS reads may hold a bare `&`.
pub(crate) fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(k) = rest.find('&') {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a well-formed reference at the start of `s` stands for, and its length.
pub(crate) fn reference(s: &str) -> Option<(char, usize)> {
    // A reference is `&`, a name or number with no `&`, space or `;`, then `;`.
    let end = s[1..].find(|c: char| c == ';' || c == '&' || c.is_whitespace())? + 1;
    if !s[end..].starts_with(';') {
        return None;
    }
    let body = &s[1..end];
    let c = match body {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let code = if let Some(hex) = body.strip_prefix("#x") {
                if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                u32::from_str_radix(hex, 16).ok()?
            } else {
                let dec = body.strip_prefix('#')?;
                if dec.is_empty() || !dec.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                dec.parse().ok()?
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

/// Parse `text` (a leading byte-order mark and blank lines are fine) into its root element.
pub(crate) fn parse(file: &str, text: &str) -> Result<XmlFile, GeniusError> {
    let src = SourceFile::new(file, text);
    let mut reader = Reader::from_str(src.text());
    reader.config_mut().trim_text(true);
    // GENIUS takes text as written, so a bare `&` in text (ignored here) is no error.
    reader.config_mut().allow_dangling_amp = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|err| syntax(&src, reader.error_position() as usize, err.to_string()))?;
        let end = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                if root.is_some() {
                    return Err(syntax(&src, end, "content after the root element".into()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(syntax(
                        &src,
                        end,
                        format!("elements nested deeper than {MAX_DEPTH}"),
                    ));
                }
                stack.push(element(&src, &e, end)?);
            }
            Event::Empty(e) => {
                let el = element(&src, &e, end)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if root.is_none() => root = Some(el),
                    None => {
                        return Err(syntax(&src, end, "content after the root element".into()));
                    }
                }
            }
            Event::End(_) => {
                // quick-xml checks that end names match their start tags.
                let Some(done) = stack.pop() else {
                    return Err(syntax(&src, end, "unmatched end tag".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Eof => break,
            // Declarations, comments, text and the like carry nothing in these formats.
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(syntax(
            &src,
            src.text().len(),
            format!(
                "the file ends before `<{}>` (line {}) is closed (truncated?)",
                open.name,
                src.locate(open.start..open.start + 1).line
            ),
        ));
    }
    match root {
        Some(root) => Ok(XmlFile { src, root }),
        None => Err(syntax(&src, 0, "no root element (empty file?)".into())),
    }
}
