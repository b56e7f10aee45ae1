//! A small element tree read with quick-xml: names, attributes, children and where each
//! element starts, which is all GENIUS files use (their text content carries nothing).

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::error::{GeniusError, GeniusErrorKind};
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
    /// Line and column of a byte offset.
    pub fn position(&self, offset: usize) -> Option<(usize, usize)> {
        let loc = self.src.locate(offset..offset + 1);
        Some((loc.line, loc.column))
    }

    /// An error about element `e`.
    pub fn error(&self, e: &Element, kind: GeniusErrorKind) -> GeniusError {
        GeniusError::new(self.src.name(), kind)
            .at(self.position(e.start))
            .in_element(e.describe())
    }

    /// A required attribute.
    pub fn attr<'a>(&self, e: &'a Element, key: &str) -> Result<&'a str, GeniusError> {
        e.attr(key).ok_or_else(|| {
            self.error(
                e,
                GeniusErrorKind::Missing {
                    what: format!("attribute `{key}`"),
                },
            )
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
    GeniusError::new(src.name(), GeniusErrorKind::XmlSyntax { message })
        .at(Some((loc.line, loc.column)))
}

fn element(src: &SourceFile, e: &BytesStart, end: usize) -> Result<Element, GeniusError> {
    let start = src
        .text()
        .get(..end)
        .and_then(|t| t.rfind('<'))
        .unwrap_or(0);
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| syntax(src, start, err.to_string()))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|err| syntax(src, start, err.to_string()))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        start,
    })
}

/// Parse `text` (a leading byte-order mark and blank lines are fine) into its root element.
pub(crate) fn parse(file: &str, text: &str) -> Result<XmlFile, GeniusError> {
    let src = SourceFile::new(file, text);
    let mut reader = Reader::from_str(src.text());
    reader.config_mut().trim_text(true);
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
