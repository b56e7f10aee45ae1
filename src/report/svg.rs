//! Pictures: the candidates in the utility space of two parties, as an SVG document.
//!
//! Drawn with plotters' SVG backend, which writes `<text>` elements and leaves the font to
//! the viewer: no font library, no system library. Every point is placed on whole pixels
//! and drawn once per pixel, so thousands of candidates still give a file of modest size,
//! and the same input always gives the same bytes.

use std::collections::{BTreeSet, HashSet};

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::analysis::bargain::{Bargain, is_acceptable};
use crate::analysis::path::ZonePath;
use crate::error::{Error, Result};
use crate::model::Scenario;
use crate::space::CompiledScenario;

/// Size of the picture in pixels.
const WIDTH: u32 = 800;
const HEIGHT: u32 = 600;
/// Height of the title band and width of the plot (the legend takes the rest).
const TITLE_HEIGHT: u32 = 44;
/// Height of each what-if line under the title, and the most such lines.
const WHAT_IF_LINE: u32 = 22;
const MAX_WHAT_IF_LINES: usize = 3;
const PLOT_WIDTH: u32 = 572;
/// The axes run a little past 0 and 1 so that no point sits on the frame.
const AXIS_MIN: f64 = -0.03;
const AXIS_MAX: f64 = 1.03;

pub(super) const FONT: &str = "sans-serif";
/// Requested font sizes. plotters writes `font-size` as the requested size / 1.24, so the
/// document says about 19.4, 14.5 and 12.9 pixels.
pub(super) const TITLE_SIZE: f64 = 24.0;
pub(super) const AXIS_SIZE: f64 = 18.0;
pub(super) const TEXT_SIZE: f64 = 16.0;
/// Step numbers along a path: small, in a dark shade of the path's colour.
const STEP_SIZE: f64 = 15.0;
const PATH_INK: RGBColor = RGBColor(140, 90, 0);
/// A generous estimate of a character's advance, in em, for laying out labels.
pub(super) const CHAR_EM: f64 = 0.6;
/// A likely character advance, in em, of a common sans-serif font.
const LIKELY_EM: f64 = 0.55;

/// Layers with more distinct pixels than this are drawn as bars on a grid (see [`dots`]).
const DENSE: usize = 4_000;
/// Grid step, in pixels, of a dense layer.
const CELL: i32 = 3;
/// Frontier points beyond this many are not ringed one by one.
const MAX_RINGS: usize = 400;

/// Okabe–Ito colours: told apart with every common form of colour blindness.
const CANDIDATE: RGBColor = RGBColor(170, 170, 170);
const ACCEPTABLE: RGBColor = RGBColor(0, 158, 115);
const ZONE_TINT: RGBColor = RGBColor(228, 244, 238);
const FRONTIER: RGBColor = RGBColor(0, 114, 178);
const NASH: RGBColor = RGBColor(213, 94, 0);
const KALAI: RGBColor = RGBColor(204, 121, 167);
const PATH: RGBColor = RGBColor(230, 159, 0);
const RESERVATION: RGBColor = RGBColor(90, 90, 90);
pub(super) const GRID: RGBColor = RGBColor(232, 232, 232);
pub(super) const INK: RGBColor = RGBColor(30, 30, 30);
/// The what-if line: dark vermillion, to read as a warning.
const WHAT_IF_INK: RGBColor = RGBColor(170, 60, 0);

pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(super) type DrawResult = std::result::Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// A pixel box `(x0, y0, x1, y1)`, edges included.
type PixelBox = (i32, i32, i32, i32);

/// What a picture shows besides the scenario itself: a what-if (constraints dropped or
/// softened) and notes for the foot of the legend.
///
/// A picture drawn under a what-if says so in its title (a second line, "What-if, not the
/// facts: …", naming every dropped and softened constraint) and in its legend.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caption {
    /// Constraints dropped for the what-if (`party/id`, `party/reservation`).
    pub dropped: Vec<String>,
    /// Constraints softened for the what-if, each as `party/id: from -> to`.
    pub softened: Vec<String>,
    /// The parties that give way, for the title ("if russia gave way"); may be empty.
    pub parties: Vec<String>,
    /// Lines for the foot of the legend (each kept short: about 26 characters fit).
    pub notes: Vec<String>,
}

impl Caption {
    /// A what-if that drops `dropped` (the `--without` of a command).
    pub fn without(dropped: &[String]) -> Caption {
        Caption {
            dropped: dropped.to_vec(),
            ..Caption::default()
        }
    }

    /// Whether the picture shows a what-if rather than the scenario as it stands.
    pub fn is_what_if(&self) -> bool {
        !self.dropped.is_empty() || !self.softened.is_empty()
    }

    /// The what-if in words: `if russia gave way: without russia/keep_territory`.
    pub fn what_if_text(&self) -> String {
        let mut parts = Vec::new();
        if !self.dropped.is_empty() {
            parts.push(format!("without {}", self.dropped.join(", ")));
        }
        if !self.softened.is_empty() {
            parts.push(format!("softened {}", self.softened.join("; ")));
        }
        let what = parts.join("; ");
        match self.parties.as_slice() {
            [] => what,
            [one] => format!("if {one} gave way: {what}"),
            many => format!("if {} gave way together: {what}", many.join(" and ")),
        }
    }
}

/// The candidates in the utility space of two parties, as an SVG document of 800 × 600
/// pixels.
///
/// The picture shows every candidate (a state meeting every red line) as a small grey dot,
/// the acceptable ones (every party, not only the two drawn, at or above its reservation
/// within [`crate::space::RESERVATION_TOLERANCE`]) as larger green dots over a tinted
/// quadrant where both drawn parties meet their reservation, the two reservations as dashed
/// lines, the Pareto frontier joined in order of the first party's utility, the Nash point
/// (a ring) and the Kalai–Smorodinsky point (a triangle) with text labels, the status quo
/// (a black square) and, when given and reachable, the concession path with an arrowhead
/// on each step. A legend to the right counts the candidates and the acceptable states
/// and gives both reservations; the title gives the scenario's name and date. Without
/// candidates the axes are drawn with a note.
///
/// Points are drawn once per pixel (the grey dots once per pixel not already green), so
/// the file stays small whatever the number of candidates; labels use fonts of at least
/// 12 pixels and are kept inside the plot and off the markers.
///
/// # Arguments
/// - `s`: the scenario (its name and date make the title).
/// - `c`: the same scenario compiled; its status quo and utilities are used.
/// - `b`: the bargaining analysis of `c`'s candidates
///   ([`crate::analysis::bargain::bargain_compiled`]).
/// - `x`, `y`: positions in [`CompiledScenario::utilities`] of the parties on the
///   horizontal and the vertical axis.
/// - `path`: a concession path to draw ([`crate::analysis::path::paths`]); ignored when
///   unreachable. The legend names its zone by index, from 0, as the text report does.
///
/// # Returns
/// The SVG document, starting `<svg` and ending `</svg>`.
///
/// # Errors
/// [`Error::LimitExceeded`] with limit `"svg parties"` (placeholder) when fewer than two
/// parties have a utility, `x` or `y` is out of range, `x == y`, `b` has another number of
/// parties than `c`, or the path has a state outside `c`'s space; with limit
/// `"svg drawing"` when plotters fails.
///
/// # Complexity
/// O(C · P) for C candidates of P parties, plus O(F log F) to sort the F frontier points.
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, analysis::bargain, report::svg, space::CompiledScenario};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let b = bargain::bargain_compiled(&c, &Limits::default())?;
/// let picture = svg::utility_plot(&s, &c, &b, 0, 1, None)?;
/// assert!(picture.starts_with("<svg") && picture.trim_end().ends_with("</svg>"));
/// assert!(picture.contains("utility of union") && picture.contains("Nash"));
/// assert!(svg::utility_plot(&s, &c, &b, 0, 0, None).is_err());
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn utility_plot(
    s: &Scenario,
    c: &CompiledScenario,
    b: &Bargain,
    x: usize,
    y: usize,
    path: Option<&ZonePath>,
) -> Result<String> {
    utility_plot_captioned(s, c, b, x, y, path, &Caption::default())
}

/// [`utility_plot`] with a [`Caption`]: under a what-if, the title's second line and the
/// legend name the dropped and softened constraints, beside the scenario's name and date.
///
/// # Arguments
/// As [`utility_plot`], and `caption`: the what-if `c` was built under (`c` must already
/// have it applied) and notes for the legend.
///
/// # Returns
/// The SVG document.
///
/// # Errors
/// As [`utility_plot`].
///
/// # Complexity
/// As [`utility_plot`].
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, analysis::bargain, report::svg, space::CompiledScenario};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?.without(&["union/real_wage_floor"])?;
/// let b = bargain::bargain_compiled(&c, &Limits::default())?;
/// let caption = svg::Caption::without(&["union/real_wage_floor".to_string()]);
/// let picture = svg::utility_plot_captioned(&s, &c, &b, 0, 1, None, &caption)?;
/// assert!(picture.contains("What-if") && picture.contains("union/real_wage_floor"));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn utility_plot_captioned(
    s: &Scenario,
    c: &CompiledScenario,
    b: &Bargain,
    x: usize,
    y: usize,
    path: Option<&ZonePath>,
    caption: &Caption,
) -> Result<String> {
    let parties = c.utilities().len();
    if parties < 2 || x >= parties || y >= parties || x == y || b.candidates.parties() != parties {
        return Err(bad_parties());
    }
    let path_points = match path {
        Some(p) if p.reachable => {
            if p.states.iter().any(|&st| st >= c.space().size()) {
                return Err(bad_parties());
            }
            p.states
                .iter()
                .map(|&st| {
                    let u = c.utilities_at(&c.space().decode(st));
                    (u[x], u[y])
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let plot = Plot {
        s,
        c,
        b,
        x,
        y,
        path_points,
        path_zone: path.map_or(0, |p| p.zone),
        caption,
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        plot.draw(&root).map_err(drawing_failed)?;
        root.present().map_err(drawing_failed)?;
    }
    Ok(svg)
}

/// Bad party positions, or candidates or a path that do not belong to this scenario.
fn bad_parties() -> Error {
    Error::Plot {
        message: "a picture needs two different parties with a utility, and candidates and a \
                  path of this scenario"
            .into(),
    }
}

/// The drawing backend failed (writing to a String does not, in practice).
pub(super) fn drawing_failed<E: std::fmt::Debug>(e: E) -> Error {
    Error::Plot {
        message: format!("drawing failed: {e:?}"),
    }
}

/// Everything one picture needs.
struct Plot<'a> {
    s: &'a Scenario,
    c: &'a CompiledScenario,
    b: &'a Bargain,
    x: usize,
    y: usize,
    /// The path's states in the two parties' utilities; empty when there is none to draw.
    path_points: Vec<(f64, f64)>,
    path_zone: usize,
    caption: &'a Caption,
}

impl Plot<'_> {
    fn draw(&self, root: &Area) -> DrawResult {
        root.fill(&WHITE)?;
        let (top, rest) = root.split_vertically(self.title_height());
        let (plot_area, legend_area) = rest.split_horizontally(PLOT_WIDTH);
        self.title(&top)?;

        let names = [self.party_name(self.x), self.party_name(self.y)];
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(8)
            .margin_left(10)
            .margin_right(14)
            .margin_bottom(10)
            .x_label_area_size(46)
            .y_label_area_size(58)
            .build_cartesian_2d(AXIS_MIN..AXIS_MAX, AXIS_MIN..AXIS_MAX)?;
        let coord = chart.as_coord_spec().clone();
        let at = move |u: (f64, f64)| coord.translate(&u);
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let frame: PixelBox = (xs.start, ys.start, xs.end - 1, ys.end - 1);

        // The quadrant where both drawn parties meet their reservation, under everything.
        let (rx, ry) = (self.reservation(self.x), self.reservation(self.y));
        root.draw(&Rectangle::new(
            [at((rx, AXIS_MAX)), at((AXIS_MAX, ry))],
            ZONE_TINT.filled(),
        ))?;

        chart
            .configure_mesh()
            .x_desc(format!("utility of {}", names[0]))
            .y_desc(format!("utility of {}", names[1]))
            .axis_desc_style((FONT, AXIS_SIZE))
            .label_style((FONT, TEXT_SIZE))
            .x_labels(11)
            .y_labels(11)
            .x_label_formatter(&|v| format!("{v:.1}"))
            .y_label_formatter(&|v| format!("{v:.1}"))
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .axis_style(INK.stroke_width(1))
            .draw()?;

        // Reservation lines.
        let dashed = RESERVATION.stroke_width(1);
        root.draw(&DashedPathElement::new(
            vec![at((rx, AXIS_MIN)), at((rx, AXIS_MAX))],
            6,
            4,
            dashed,
        ))?;
        root.draw(&DashedPathElement::new(
            vec![at((AXIS_MIN, ry)), at((AXIS_MAX, ry))],
            6,
            4,
            dashed,
        ))?;

        // Candidates, once per pixel: green where some acceptable state lands.
        let reservations = self.b.candidates.reservations();
        let (mut grey, mut green) = (Vec::new(), Vec::new());
        let (mut grey_seen, mut green_seen) = (HashSet::new(), HashSet::new());
        for row in self.b.candidates.rows() {
            let p = at((row[self.x], row[self.y]));
            if is_acceptable(row, reservations) {
                if green_seen.insert(p) {
                    green.push(p);
                }
            } else if grey_seen.insert(p) {
                grey.push(p);
            }
        }
        grey.retain(|p| !green_seen.contains(p));
        dots(root, &grey, 2, CANDIDATE.filled())?;
        dots(root, &green, 3, ACCEPTABLE.filled())?;

        // The Pareto frontier. With two parties it is a falling curve: joined in order of
        // the first party's utility. With more, its shadow on this plane is a cloud: rings.
        let mut frontier: Vec<(f64, f64)> = self
            .b
            .pareto
            .iter()
            .map(|&r| {
                let u = self.b.candidates.utilities(r);
                (u[self.x], u[self.y])
            })
            .collect();
        frontier.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut frontier_px: Vec<(i32, i32)> = frontier.into_iter().map(&at).collect();
        frontier_px.dedup();
        if self.c.utilities().len() == 2 {
            if frontier_px.len() > 1 {
                root.draw(&PathElement::new(
                    frontier_px.clone(),
                    FRONTIER.stroke_width(2),
                ))?;
            }
            if frontier_px.len() <= MAX_RINGS {
                for &p in &frontier_px {
                    root.draw(&Circle::new(p, 4, FRONTIER.stroke_width(1)))?;
                }
            }
        } else {
            let mut seen = HashSet::new();
            frontier_px.retain(|p| seen.insert(*p));
            if frontier_px.len() <= MAX_RINGS {
                for &p in &frontier_px {
                    root.draw(&Circle::new(p, 4, FRONTIER.stroke_width(1)))?;
                }
            } else {
                dots(root, &frontier_px, 2, FRONTIER.filled())?;
            }
        }

        // The path, with an arrowhead halfway along each step that moves on this plane.
        let mut path_px: Vec<(i32, i32)> = self.path_points.iter().map(|&u| at(u)).collect();
        path_px.dedup();
        if path_px.len() > 1 {
            root.draw(&PathElement::new(path_px.clone(), PATH.stroke_width(3)))?;
            for w in path_px.windows(2) {
                if let Some(head) = arrowhead(w[0], w[1]) {
                    root.draw(&Polygon::new(head, PATH.filled()))?;
                }
            }
        }

        // Markers, then their labels, kept off each other and inside the frame.
        let sq = at(self.status_quo());
        let nash = self.solution(self.b.nash.as_ref()).map(&at);
        let kalai = self.solution(self.b.kalai_smorodinsky.as_ref()).map(&at);
        root.draw(&Rectangle::new(
            [(sq.0 - 5, sq.1 - 5), (sq.0 + 5, sq.1 + 5)],
            INK.filled(),
        ))?;
        if let Some(p) = kalai {
            root.draw(&TriangleMarker::new(p, 7, KALAI.filled()))?;
        }
        if let Some(p) = nash {
            root.draw(&Circle::new(p, 9, NASH.stroke_width(3)))?;
        }

        let mut important: Vec<(i32, i32)> = green.iter().chain(&frontier_px).copied().collect();
        if self.c.utilities().len() == 2 {
            important.extend(along(&frontier_px));
        }
        important.extend(along(&path_px));
        let mut labels = Labels::new(frame, important, grey);
        labels.block(around(sq, 6));
        for p in nash.iter().chain(kalai.iter()) {
            labels.block(around(*p, 10));
        }
        match (nash, kalai) {
            (Some(n), Some(k)) if (n.0 - k.0).abs() <= 4 && (n.1 - k.1).abs() <= 4 => {
                labels.draw(root, "Nash, Kalai–Smorodinsky", n, 11)?;
            }
            _ => {
                if let Some(n) = nash {
                    labels.draw(root, "Nash", n, 11)?;
                }
                if let Some(k) = kalai {
                    labels.draw(root, "Kalai–Smorodinsky", k, 9)?;
                }
            }
        }
        labels.draw(root, "status quo", sq, 7)?;
        // Number the path's steps where they land (steps on one pixel share a label).
        let mut stops: Vec<((i32, i32), usize, usize)> = Vec::new();
        for (k, &u) in self.path_points.iter().enumerate().skip(1) {
            let p = at(u);
            match stops.last_mut() {
                Some((q, _, last)) if *q == p => *last = k,
                _ => stops.push((p, k, k)),
            }
        }
        for (p, first, last) in stops {
            if p == sq {
                continue;
            }
            let t = if first == last {
                first.to_string()
            } else {
                format!("{first}–{last}")
            };
            labels.draw_small(root, &t, p, 4)?;
        }

        if self.b.candidates.is_empty() {
            let centres = [0.5, 0.75, 0.25, 0.9, 0.1].map(|v| at((0.5, v)));
            labels.note(root, "no candidate: the red lines leave no state", &centres)?;
        }

        self.legend(&legend_area, &names)
    }

    /// The what-if lines under the title, wrapped to the picture's width.
    fn what_if_lines(&self) -> Vec<String> {
        if !self.caption.is_what_if() {
            return Vec::new();
        }
        let room = chars_that_fit(WIDTH as i32 - 32, AXIS_SIZE);
        let text = format!("What-if, not the facts: {}", self.caption.what_if_text());
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
        if lines.len() > MAX_WHAT_IF_LINES {
            lines.truncate(MAX_WHAT_IF_LINES);
            let last = lines.pop().unwrap_or_default();
            lines.push(truncate(&format!("{last} …"), room));
        }
        lines
    }

    fn title_height(&self) -> u32 {
        TITLE_HEIGHT + WHAT_IF_LINE * self.what_if_lines().len() as u32
    }

    fn title(&self, area: &Area) -> DrawResult {
        let date = self.s.date().map(|d| d.to_string());
        let room = chars_that_fit(WIDTH as i32 - 32, TITLE_SIZE);
        let title = match &date {
            Some(d) => format!(
                "{} — {d}",
                truncate(self.s.name(), room.saturating_sub(d.len() + 3))
            ),
            None => truncate(self.s.name(), room),
        };
        let style = text_style(TITLE_SIZE, INK, HPos::Left, VPos::Center);
        area.draw(&Text::new(title, (16, TITLE_HEIGHT as i32 / 2 + 2), style))?;
        for (k, line) in self.what_if_lines().into_iter().enumerate() {
            let y = TITLE_HEIGHT as i32 + WHAT_IF_LINE as i32 * k as i32 + 4;
            let style = text_style(AXIS_SIZE, WHAT_IF_INK, HPos::Left, VPos::Center);
            area.draw(&Text::new(line, (16, y), style))?;
        }
        Ok(())
    }

    fn legend(&self, area: &Area, names: &[String; 2]) -> DrawResult {
        let (mx, tx) = (16, 34);
        let room = chars_that_fit(WIDTH as i32 - PLOT_WIDTH as i32 - tx - 8, TEXT_SIZE);
        let line = 24;
        let mut yy = 22;
        let text = |yy: i32, t: &str, colour: RGBColor| -> DrawResult {
            let style = text_style(TEXT_SIZE, colour, HPos::Left, VPos::Center);
            area.draw(&Text::new(truncate(t, room), (tx, yy), style))
        };
        let cands = &self.b.candidates;
        let acceptable = usize::try_from(self.b.zone_size).unwrap_or(usize::MAX);

        area.draw(&Circle::new((mx, yy), 2, CANDIDATE.filled()))?;
        text(yy, &format!("candidate ({})", thousands(cands.len())), INK)?;
        yy += line;
        area.draw(&Circle::new((mx, yy), 3, ACCEPTABLE.filled()))?;
        text(yy, &format!("acceptable ({})", thousands(acceptable)), INK)?;
        yy += line;
        area.draw(&PathElement::new(
            vec![(mx - 9, yy), (mx + 9, yy)],
            FRONTIER.stroke_width(2),
        ))?;
        area.draw(&Circle::new((mx, yy), 4, FRONTIER.stroke_width(1)))?;
        text(
            yy,
            &format!("Pareto frontier ({})", thousands(self.b.pareto.len())),
            INK,
        )?;
        yy += line;
        area.draw(&Circle::new((mx, yy), 8, NASH.stroke_width(3)))?;
        let none = |o: bool| if o { "" } else { " (none)" };
        text(yy, &format!("Nash{}", none(self.b.nash.is_some())), INK)?;
        yy += line;
        area.draw(&TriangleMarker::new((mx, yy), 7, KALAI.filled()))?;
        text(
            yy,
            &format!(
                "Kalai–Smorodinsky{}",
                none(self.b.kalai_smorodinsky.is_some())
            ),
            INK,
        )?;
        yy += line;
        area.draw(&Rectangle::new(
            [(mx - 5, yy - 5), (mx + 5, yy + 5)],
            INK.filled(),
        ))?;
        text(yy, "status quo", INK)?;
        yy += line;
        area.draw(&Rectangle::new(
            [(mx - 7, yy - 7), (mx + 7, yy + 7)],
            ZONE_TINT.filled(),
        ))?;
        area.draw(&Rectangle::new(
            [(mx - 7, yy - 7), (mx + 7, yy + 7)],
            ACCEPTABLE.stroke_width(1),
        ))?;
        text(yy, "both reservations met", INK)?;
        if self.path_points.len() > 1 {
            yy += line;
            area.draw(&PathElement::new(
                vec![(mx - 10, yy), (mx + 10, yy)],
                PATH.stroke_width(3),
            ))?;
            if let Some(head) = arrowhead((mx - 10, yy), (mx + 14, yy)) {
                area.draw(&Polygon::new(head, PATH.filled()))?;
            }
            let steps = self.path_points.len() - 1;
            let plural = if steps == 1 { "" } else { "s" };
            text(yy, &format!("path to zone {}", self.path_zone), INK)?;
            yy += line - 4;
            text(
                yy,
                &format!("  {steps} step{plural}, numbered"),
                RESERVATION,
            )?;
        }
        yy += line;
        area.draw(&DashedPathElement::new(
            vec![(mx, yy - 9), (mx, yy + 9)],
            4,
            3,
            RESERVATION.stroke_width(1),
        ))?;
        text(yy, "reservation", INK)?;
        for (k, name) in names.iter().enumerate() {
            yy += line - 4;
            let r = self.reservation(if k == 0 { self.x } else { self.y });
            let dropped = self
                .caption
                .dropped
                .contains(&format!("{name}/reservation"));
            if dropped {
                text(yy, &format!("  {name}: dropped"), WHAT_IF_INK)?;
            } else {
                text(yy, &format!("  {name}: {r:.2}"), RESERVATION)?;
            }
        }

        // What the colours mean.
        yy += line + 8;
        let mut notes = if self.caption.is_what_if() {
            vec![
                "What-if: candidates meet".to_string(),
                "every red line left in".to_string(),
                "force; acceptable ones".to_string(),
                "also every reservation".to_string(),
                "left. See the title.".to_string(),
            ]
        } else {
            vec![
                "Candidates meet every red".to_string(),
                "line; acceptable ones also".to_string(),
                "meet every party's".to_string(),
                "reservation.".to_string(),
            ]
        };
        let parties = self.c.utilities().len();
        if parties > 2 {
            notes.push(String::new());
            notes.push("Frontier, Nash and".to_string());
            notes.push("Kalai–Smorodinsky are".to_string());
            notes.push(format!("over all {parties} parties."));
        }
        if !self.caption.notes.is_empty() {
            notes.push(String::new());
            notes.extend(self.caption.notes.iter().cloned());
        }
        for n in notes {
            let style = text_style(TEXT_SIZE, RESERVATION, HPos::Left, VPos::Center);
            area.draw(&Text::new(n, (mx - 6, yy), style))?;
            yy += line - 4;
        }
        Ok(())
    }

    fn party_name(&self, k: usize) -> String {
        self.c.utilities()[k].name().to_string()
    }

    fn reservation(&self, k: usize) -> f64 {
        self.c.utilities()[k].reservation()
    }

    fn status_quo(&self) -> (f64, f64) {
        let u = self
            .c
            .utilities_at(&self.c.space().decode(self.c.status_quo()));
        (u[self.x], u[self.y])
    }

    fn solution(&self, s: Option<&crate::analysis::bargain::Solution>) -> Option<(f64, f64)> {
        let s = s?;
        Some((*s.utilities.get(self.x)?, *s.utilities.get(self.y)?))
    }
}

/// Labels placed beside their points, inside a frame, off each other and the markers, and
/// covering as few drawn points as they can.
struct Labels {
    frame: PixelBox,
    /// Boxes no label may touch: markers and labels already placed.
    taken: Vec<PixelBox>,
    /// Drawn points a label should rather not hide.
    important: Vec<(i32, i32)>,
    /// Drawn points a label may hide more readily (a tenth of the cost).
    minor: Vec<(i32, i32)>,
}

impl Labels {
    fn new(frame: PixelBox, important: Vec<(i32, i32)>, minor: Vec<(i32, i32)>) -> Labels {
        Labels {
            frame,
            taken: Vec::new(),
            important,
            minor,
        }
    }

    fn block(&mut self, b: PixelBox) {
        self.taken.push(b);
    }

    /// Draw `text` beside `p`, at least `gap` pixels off it, in one of eight directions and
    /// three distances: the first spot inside the frame that touches no taken box and hides
    /// the fewest points. A label set further off gets a thin leader line.
    fn draw(&mut self, area: &Area, text: &str, p: (i32, i32), gap: i32) -> DrawResult {
        self.draw_sized(area, text, p, gap, TEXT_SIZE, INK)
    }

    fn draw_sized(
        &mut self,
        area: &Area,
        text: &str,
        p: (i32, i32),
        gap: i32,
        size: f64,
        colour: RGBColor,
    ) -> DrawResult {
        let w = text_width(text, size);
        let h = (size / 1.24 * 1.25).ceil() as i32;
        let (x, y) = p;
        let mut options: Vec<((i32, i32), HPos, PixelBox, bool)> = Vec::new();
        for (k, far) in [0, 14, 28].into_iter().enumerate() {
            let g = gap + far;
            let d = gap + far * 7 / 10;
            options.extend(
                [
                    (
                        (x + g, y),
                        HPos::Left,
                        (x + g, y - h / 2, x + g + w, y + h / 2),
                    ),
                    (
                        (x - g, y),
                        HPos::Right,
                        (x - g - w, y - h / 2, x - g, y + h / 2),
                    ),
                    (
                        (x, y - g - h / 2),
                        HPos::Center,
                        (x - w / 2, y - g - h, x + w / 2, y - g),
                    ),
                    (
                        (x, y + g + h / 2),
                        HPos::Center,
                        (x - w / 2, y + g, x + w / 2, y + g + h),
                    ),
                    (
                        (x + d, y - d - h / 2),
                        HPos::Left,
                        (x + d, y - d - h, x + d + w, y - d),
                    ),
                    (
                        (x + d, y + d + h / 2),
                        HPos::Left,
                        (x + d, y + d, x + d + w, y + d + h),
                    ),
                    (
                        (x - d, y - d - h / 2),
                        HPos::Right,
                        (x - d - w, y - d - h, x - d, y - d),
                    ),
                    (
                        (x - d, y + d + h / 2),
                        HPos::Right,
                        (x - d - w, y + d, x - d, y + d + h),
                    ),
                ]
                .map(|(pos, hp, b)| (pos, hp, b, k > 0)),
            );
        }
        let frame = self.frame;
        let inside = |b: &PixelBox| {
            b.0 >= frame.0 + 2 && b.1 >= frame.1 + 2 && b.2 <= frame.2 - 2 && b.3 <= frame.3 - 2
        };
        let clashes = |b: &PixelBox| self.taken.iter().filter(|t| overlaps(t, b)).count();
        let hidden = |b: &PixelBox| {
            let grown = (b.0 - 3, b.1 - 3, b.2 + 3, b.3 + 3);
            let under = |points: &[(i32, i32)]| {
                points
                    .iter()
                    .filter(|&&(px, py)| {
                        px >= grown.0 && px <= grown.2 && py >= grown.1 && py <= grown.3
                    })
                    .count()
            };
            10 * under(&self.important) + under(&self.minor)
        };
        let best = options
            .iter()
            .enumerate()
            .filter(|(_, o)| inside(&o.2))
            .min_by_key(|&(k, o)| (clashes(&o.2), hidden(&o.2), k))
            .map_or(options[0], |(_, o)| *o);
        let (pos, h_pos, b, far) = best;
        if far {
            let nearest = (x.clamp(b.0, b.2), y.clamp(b.1, b.3));
            let (dx, dy) = (f64::from(nearest.0 - x), f64::from(nearest.1 - y));
            let len = dx.hypot(dy).max(1.0);
            let r = f64::from(gap - 2);
            let from = (
                (f64::from(x) + dx / len * r).round() as i32,
                (f64::from(y) + dy / len * r).round() as i32,
            );
            area.draw(&PathElement::new(vec![from, nearest], INK.stroke_width(1)))?;
        }
        // The ground under the text: as wide as the text is likely to be, not as the
        // generous estimate the placement used.
        let likely = (f64::from(w) * LIKELY_EM / CHAR_EM).round() as i32;
        let (g0, g1) = match h_pos {
            HPos::Left => (b.0, b.0 + likely),
            HPos::Right => (b.2 - likely, b.2),
            HPos::Center => (pos.0 - likely / 2, pos.0 + likely / 2),
        };
        area.draw(&Rectangle::new(
            [(g0 - 2, b.1), (g1 + 2, b.3)],
            WHITE.mix(0.85).filled(),
        ))?;
        let style = text_style(size, colour, h_pos, VPos::Center);
        area.draw(&Text::new(text.to_string(), pos, style))?;
        self.taken.push(b);
        Ok(())
    }

    /// A short label (a step number) in the small font, placed as [`Self::draw`] places.
    fn draw_small(&mut self, area: &Area, text: &str, p: (i32, i32), gap: i32) -> DrawResult {
        self.draw_sized(area, text, p, gap, STEP_SIZE, PATH_INK)
    }

    /// Draw `text` centred on the first of `centres` where it touches no taken box (the
    /// first of them when none is free), on a white ground.
    fn note(&mut self, area: &Area, text: &str, centres: &[(i32, i32)]) -> DrawResult {
        let w = text_width(text, TEXT_SIZE);
        let h = (TEXT_SIZE / 1.24 * 1.25).ceil() as i32;
        let boxed = |&(x, y): &(i32, i32)| (x - w / 2, y - h / 2, x + w / 2, y + h / 2);
        let Some(&centre) = centres
            .iter()
            .find(|c| !self.taken.iter().any(|t| overlaps(t, &boxed(c))))
            .or(centres.first())
        else {
            return Ok(());
        };
        let b = boxed(&centre);
        area.draw(&Rectangle::new(
            [(b.0 - 4, b.1 - 2), (b.2 + 4, b.3 + 2)],
            WHITE.mix(0.9).filled(),
        ))?;
        let style = text_style(TEXT_SIZE, INK, HPos::Center, VPos::Center);
        area.draw(&Text::new(text.to_string(), centre, style))?;
        self.taken.push(b);
        Ok(())
    }
}

fn overlaps(a: &PixelBox, b: &PixelBox) -> bool {
    a.0 <= b.2 && b.0 <= a.2 && a.1 <= b.3 && b.1 <= a.3
}

fn around(p: (i32, i32), r: i32) -> PixelBox {
    (p.0 - r, p.1 - r, p.0 + r, p.1 + r)
}

pub(super) fn text_style(size: f64, colour: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle {
        font: (FONT, size).into_font(),
        color: colour.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

/// Estimated width in pixels of `text` at the requested `size`.
fn text_width(text: &str, size: f64) -> i32 {
    (text.chars().count() as f64 * size / 1.24 * CHAR_EM).ceil() as i32
}

/// How many characters fit in `width` pixels at the requested `size`.
pub(super) fn chars_that_fit(width: i32, size: f64) -> usize {
    (f64::from(width.max(0)) / (size / 1.24 * CHAR_EM)).floor() as usize
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub(super) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Draw a dot of `radius` at each of `points` (distinct pixels). Past [`DENSE`] points,
/// the points are snapped to a grid of [`CELL`] pixels and each row's runs of three or more
/// neighbouring cells become one bar: the same picture, a much smaller file.
fn dots(area: &Area, points: &[(i32, i32)], radius: i32, style: ShapeStyle) -> DrawResult {
    if points.len() <= DENSE {
        for &p in points {
            area.draw(&Circle::new(p, radius, style))?;
        }
        return Ok(());
    }
    let cells: BTreeSet<(i32, i32)> = points
        .iter()
        .map(|&(x, y)| (y.div_euclid(CELL), x.div_euclid(CELL)))
        .collect();
    let centre = |c: i32| c * CELL + CELL / 2;
    let mut run: Option<(i32, i32, i32)> = None; // (row, first column, last column)
    let flush = |run: (i32, i32, i32)| -> DrawResult {
        let (row, first, last) = run;
        let y = centre(row);
        if last - first >= 2 {
            area.draw(&Rectangle::new(
                [
                    (centre(first) - radius, y - radius),
                    (centre(last) + radius, y + radius),
                ],
                style,
            ))
        } else {
            for col in first..=last {
                area.draw(&Circle::new((centre(col), y), radius, style))?;
            }
            Ok(())
        }
    };
    for &(row, col) in &cells {
        run = match run {
            Some((r, first, last)) if r == row && col == last + 1 => Some((r, first, col)),
            Some(done) => {
                flush(done)?;
                Some((row, col, col))
            }
            None => Some((row, col, col)),
        };
    }
    if let Some(done) = run {
        flush(done)?;
    }
    Ok(())
}

/// `n` with a comma every three digits.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Points every 4 pixels along a polyline, so that labels keep off its lines.
fn along(line: &[(i32, i32)]) -> Vec<(i32, i32)> {
    let mut out = Vec::new();
    for w in line.windows(2) {
        let (dx, dy) = (f64::from(w[1].0 - w[0].0), f64::from(w[1].1 - w[0].1));
        let n = (dx.hypot(dy) / 4.0).ceil().max(1.0) as i32;
        for k in 0..=n {
            let f = f64::from(k) / f64::from(n);
            out.push((
                (f64::from(w[0].0) + dx * f).round() as i32,
                (f64::from(w[0].1) + dy * f).round() as i32,
            ));
        }
    }
    out
}

/// A small filled triangle halfway from `a` to `b`, pointing towards `b`; `None` when the
/// step is too short on screen to carry one.
fn arrowhead(a: (i32, i32), b: (i32, i32)) -> Option<Vec<(i32, i32)>> {
    let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
    let len = dx.hypot(dy);
    if len < 14.0 {
        return None;
    }
    let (ux, uy) = (dx / len, dy / len);
    let (mx, my) = (f64::from(a.0) + dx / 2.0, f64::from(a.1) + dy / 2.0);
    let pt = |along: f64, across: f64| {
        (
            (mx + ux * along - uy * across).round() as i32,
            (my + uy * along + ux * across).round() as i32,
        )
    };
    Some(vec![pt(6.0, 0.0), pt(-5.0, 5.0), pt(-5.0, -5.0)])
}
