//! Pictures of the simulator: the offer trace of one run, and a tournament's scores per
//! tactic, as SVG documents in the style of [`super::svg`] (plotters' SVG backend, text
//! left to the viewer's sans-serif font, Okabe–Ito colours, whole pixels: the same input
//! always gives the same bytes).

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::svg::{
    AXIS_SIZE, Area, DrawResult, FONT, GRID, INK, TEXT_SIZE, TITLE_SIZE, chars_that_fit,
    drawing_failed, text_style, truncate,
};
use crate::error::{Error, Result};
use crate::sim::protocol::RunResult;
use crate::sim::tournament::Scores;
use crate::sim::trace::{End, Step, Trace};
use crate::sim::world::World;
use crate::space::StateIndex;

const WIDTH: u32 = 800;
const HEIGHT: u32 = 600;
const TITLE_HEIGHT: u32 = 64;
const PLOT_WIDTH: u32 = 572;

/// The agreement's mark, and a failed one's (dark vermillion: a warning).
const AGREED: RGBColor = RGBColor(30, 30, 30);
const WARN: RGBColor = RGBColor(170, 60, 0);
/// Okabe–Ito colours for the parties (or the two tournament series), in order; past
/// seven parties they repeat.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
];

/// Title and subtitle lines at the top.
fn title(area: &Area, main: &str, sub: &str, sub_colour: RGBColor) -> DrawResult {
    let room = chars_that_fit(WIDTH as i32 - 32, TITLE_SIZE);
    area.draw(&Text::new(
        truncate(main, room),
        (16, 22),
        text_style(TITLE_SIZE, INK, HPos::Left, VPos::Center),
    ))?;
    let room = chars_that_fit(WIDTH as i32 - 32, TEXT_SIZE);
    area.draw(&Text::new(
        truncate(sub, room),
        (16, 48),
        text_style(TEXT_SIZE, sub_colour, HPos::Left, VPos::Center),
    ))
}

/// One offer of the trace: where it goes on the time axis, who made it, what it is.
struct Offer {
    x: f64,
    party: usize,
    state: StateIndex,
}

/// The offer trace of one run: each party's utility of each offer put on the table, over
/// the rounds, with the agreement marked.
///
/// Each party with a utility has a colour (named in the legend) and, for each offerer, a
/// line through its utility of that offerer's offers in order (thick for its own offers,
/// thin for the others'); an offer made in round `r` by the `k`-th of `n` parties sits at
/// `r + k/n` on the time axis, so the offers of one round stand apart. A dot is filled
/// where the party made the offer itself, hollow where another did. Each party's
/// reservation in force at the end is a dashed line in its colour. An agreement is a
/// dashed vertical line at the agreed offer and a black ring on each party's utility of
/// it; an agreement that cannot be implemented, a walk-out and the deadline are named in
/// the subtitle (an unimplementable one is marked with a vermillion line).
///
/// # Arguments
/// The world, the run's number (for the title), its result and its trace (a
/// [`Trace`] of [`crate::sim::monte_carlo::replay`] or of an outside run).
///
/// # Returns
/// The SVG document (800 × 600 pixels), starting `<svg` and ending `</svg>`.
///
/// # Errors
/// [`Error::Plot`] when no party has a utility or plotters fails.
///
/// # Complexity
/// O(offers · parties).
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default())?;
/// let (r, t) = dealzone::sim::monte_carlo::replay(&w, 1, 0);
/// let svg = dealzone::report::svg_sim::offer_trace(&w, 0, &r, &t)?;
/// assert!(svg.starts_with("<svg") && svg.contains("utility of union"));
/// assert_eq!(svg, dealzone::report::svg_sim::offer_trace(&w, 0, &r, &t)?);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn offer_trace(w: &World, run: u64, result: &RunResult, trace: &Trace) -> Result<String> {
    let utility: Vec<usize> = (0..w.parties.len())
        .filter(|&p| w.parties[p].contrib.is_some())
        .collect();
    if utility.is_empty() {
        return Err(Error::Plot {
            message: "an offer trace needs a party with a utility".into(),
        });
    }
    let n = w.parties.len() as f64;
    let offers: Vec<Offer> = trace
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Offer {
                round,
                party,
                state,
                ..
            } => Some(Offer {
                x: f64::from(*round) + *party as f64 / n,
                party: *party,
                state: *state,
            }),
            _ => None,
        })
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw_trace(&root, w, run, result, &offers, &utility).map_err(drawing_failed)?;
        root.present().map_err(drawing_failed)?;
    }
    Ok(svg)
}

fn draw_trace(
    root: &Area,
    w: &World,
    run: u64,
    result: &RunResult,
    offers: &[Offer],
    utility: &[usize],
) -> DrawResult {
    root.fill(&WHITE)?;
    let (top, rest) = root.split_vertically(TITLE_HEIGHT);
    let (plot_area, legend) = rest.split_horizontally(PLOT_WIDTH);
    let name = |p: usize| w.parties[p].name.as_str();
    let (sub, sub_colour) = match result.end {
        End::Agreement => (
            format!("agreement in round {} of {}", result.rounds, w.deadline),
            INK,
        ),
        End::Deadline => (
            format!("no agreement by the deadline ({} rounds)", w.deadline),
            INK,
        ),
        End::WalkOut(p) => (
            format!("{} walked out in round {}", name(p), result.rounds),
            WARN,
        ),
        End::Unimplementable(_) => (
            format!(
                "agreed in round {}, but no precondition-respecting path reaches it: not a deal",
                result.rounds
            ),
            WARN,
        ),
    };
    title(
        &top,
        &format!("Offers — {}, run {run}", w.scenario.name()),
        &sub,
        sub_colour,
    )?;

    let x_max = f64::from(result.rounds.max(1));
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(8)
        .margin_left(10)
        .margin_right(14)
        .margin_bottom(10)
        .x_label_area_size(46)
        .y_label_area_size(58)
        .build_cartesian_2d(-0.02 * x_max..x_max * 1.02, -0.03f64..1.03f64)?;
    chart
        .configure_mesh()
        .x_desc("round")
        .y_desc("utility of the offer")
        .axis_desc_style((FONT, AXIS_SIZE))
        .label_style((FONT, TEXT_SIZE))
        .x_labels(11)
        .y_labels(11)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(INK.stroke_width(1))
        .draw()?;
    let coord = chart.as_coord_spec().clone();
    let at = move |x: f64, y: f64| coord.translate(&(x, y));

    // Reservations in force at the end, dashed, under the lines.
    for (k, &p) in utility.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let r = result.in_force.reservations[p];
        root.draw(&DashedPathElement::new(
            vec![at(0.0, r), at(x_max, r)],
            6,
            4,
            colour.stroke_width(1),
        ))?;
    }
    // The agreed (or unimplementable) offer: the last one on the table.
    let agreed_x = match result.end {
        End::Agreement | End::Unimplementable(_) => offers.last().map(|o| o.x),
        _ => None,
    };
    if let Some(x) = agreed_x {
        let colour = if result.agreed.is_some() {
            AGREED
        } else {
            WARN
        };
        root.draw(&DashedPathElement::new(
            vec![at(x, 1.03), at(x, -0.03)],
            4,
            4,
            colour.stroke_width(2),
        ))?;
    }
    for (k, &p) in utility.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        // One line per offerer, so a party's view of its own offers and of each other
        // party's reads as a curve, not a zig-zag between them: its own thick, others' thin.
        for from in 0..w.parties.len() {
            let line: Vec<(i32, i32)> = offers
                .iter()
                .filter(|o| o.party == from)
                .map(|o| at(o.x, w.utility(p, o.state)))
                .collect();
            if line.len() > 1 {
                let width = if from == p { 2 } else { 1 };
                root.draw(&PathElement::new(line, colour.stroke_width(width)))?;
            }
        }
        for o in offers {
            let xy = at(o.x, w.utility(p, o.state));
            if o.party == p {
                root.draw(&Circle::new(xy, 4, colour.filled()))?;
            } else {
                root.draw(&Circle::new(xy, 4, WHITE.filled()))?;
                root.draw(&Circle::new(xy, 4, colour.stroke_width(1)))?;
            }
        }
        if let (Some(x), Some(s)) = (agreed_x, result.agreed) {
            root.draw(&Circle::new(
                at(x, w.utility(p, s)),
                8,
                AGREED.stroke_width(2),
            ))?;
        }
    }

    // Legend.
    let (mx, tx) = (16, 34);
    let room = chars_that_fit(WIDTH as i32 - PLOT_WIDTH as i32 - tx - 8, TEXT_SIZE);
    let text = |yy: i32, t: &str| -> DrawResult {
        legend.draw(&Text::new(
            truncate(t, room),
            (tx, yy),
            text_style(TEXT_SIZE, INK, HPos::Left, VPos::Center),
        ))
    };
    let mut yy = 22;
    for (k, &p) in utility.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        legend.draw(&PathElement::new(
            vec![(mx - 9, yy), (mx + 9, yy)],
            colour.stroke_width(2),
        ))?;
        legend.draw(&Circle::new((mx, yy), 4, colour.filled()))?;
        text(yy, &format!("utility of {}", name(p)))?;
        yy += 24;
    }
    legend.draw(&Circle::new((mx, yy), 4, INK.filled()))?;
    text(yy, "its own offer")?;
    yy += 24;
    legend.draw(&Circle::new((mx, yy), 4, WHITE.filled()))?;
    legend.draw(&Circle::new((mx, yy), 4, INK.stroke_width(1)))?;
    text(yy, "another's offer")?;
    yy += 24;
    legend.draw(&DashedPathElement::new(
        vec![(mx - 9, yy), (mx + 9, yy)],
        6,
        4,
        INK.stroke_width(1),
    ))?;
    text(yy, "reservation")?;
    yy += 24;
    if result.agreed.is_some() {
        legend.draw(&Circle::new((mx, yy), 8, AGREED.stroke_width(2)))?;
        text(yy, "agreement")?;
        yy += 24;
    }
    text(yy, &format!("{} offers", offers.len()))?;
    Ok(())
}

/// A tournament's scores per tactic: the mean utility of its seats with a bar of ± one
/// standard deviation, and its agreement rate, on one 0–1 axis, one column per tactic in
/// the spec's order.
///
/// Each tactic's mean utility is a filled blue bar with a black whisker from mean − sd to
/// mean + sd (clipped to the axis); its agreement rate is a vermillion diamond beside it.
/// A tactic whose every match failed has neither, and "all failed" under its name.
///
/// # Arguments
/// The scores ([`crate::sim::tournament::scores`]) and a title (the spec's file, say).
///
/// # Returns
/// The SVG document (800 × 600 pixels).
///
/// # Errors
/// [`Error::Plot`] without tactics or when plotters fails.
///
/// # Complexity
/// O(tactics).
///
/// # Example
/// ```
/// use dealzone::sim::tournament::{play, scores};
/// let mut spec = dealzone::io::load_tournament("seeds/tournament.toml", &Default::default())?;
/// spec.scenarios.truncate(1);
/// spec.repetitions = 1;
/// let mut rows = Vec::new();
/// play(&spec, &Default::default(), 0, &mut |b| { rows.extend_from_slice(b); Ok(()) })?;
/// let svg = dealzone::report::svg_sim::tournament_chart(&scores(&spec, &rows), "seeds")?;
/// assert!(svg.contains("boulware") && svg.contains("agreement rate"));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn tournament_chart(scores: &Scores, name: &str) -> Result<String> {
    if scores.by_tactic.is_empty() {
        return Err(Error::Plot {
            message: "a tournament chart needs at least one tactic".into(),
        });
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw_tournament(&root, scores, name).map_err(drawing_failed)?;
        root.present().map_err(drawing_failed)?;
    }
    Ok(svg)
}

fn draw_tournament(root: &Area, scores: &Scores, name: &str) -> DrawResult {
    root.fill(&WHITE)?;
    let (top, rest) = root.split_vertically(TITLE_HEIGHT);
    let (plot_area, legend) = rest.split_horizontally(PLOT_WIDTH);
    let matches: u64 = scores.by_scenario.iter().map(|s| s.matches).sum();
    title(
        &top,
        &format!("Tournament — {name}"),
        &format!(
            "{} tactics, {matches} matches: mean utility ± sd, agreement rate",
            scores.by_tactic.len()
        ),
        INK,
    )?;
    let t = scores.by_tactic.len();
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(8)
        .margin_left(10)
        .margin_right(14)
        .margin_bottom(10)
        .x_label_area_size(46)
        .y_label_area_size(58)
        .build_cartesian_2d(0f64..t as f64, 0f64..1.03f64)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_x_axis()
        .y_desc("utility / agreement rate")
        .axis_desc_style((FONT, AXIS_SIZE))
        .label_style((FONT, TEXT_SIZE))
        .y_labels(11)
        .y_label_formatter(&|v| format!("{v:.1}"))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(INK.stroke_width(1))
        .draw()?;
    let coord = chart.as_coord_spec().clone();
    let at = move |x: f64, y: f64| coord.translate(&(x, y));
    let (bar, rate) = (PALETTE[0], PALETTE[1]);
    let room = chars_that_fit((PLOT_WIDTH as i32 - 80) / t as i32, TEXT_SIZE);
    for (k, s) in scores.by_tactic.iter().enumerate() {
        let x = k as f64;
        let (lx, ly) = at(x + 0.5, 0.0);
        root.draw(&Text::new(
            truncate(&s.name, room.max(3)),
            (lx, ly + 14),
            text_style(TEXT_SIZE, INK, HPos::Center, VPos::Center),
        ))?;
        if let Some(u) = s.utility {
            root.draw(&Rectangle::new(
                [at(x + 0.18, u.mean), at(x + 0.52, 0.0)],
                bar.filled(),
            ))?;
            let (lo, hi) = ((u.mean - u.sd).max(0.0), (u.mean + u.sd).min(1.0));
            let cx = x + 0.35;
            root.draw(&PathElement::new(
                vec![at(cx, lo), at(cx, hi)],
                INK.stroke_width(2),
            ))?;
            for y in [lo, hi] {
                root.draw(&PathElement::new(
                    vec![at(cx - 0.06, y), at(cx + 0.06, y)],
                    INK.stroke_width(2),
                ))?;
            }
        }
        match s.agreement_rate {
            Some(r) => {
                let (px, py) = at(x + 0.72, r);
                root.draw(&Polygon::new(
                    vec![(px, py - 7), (px + 7, py), (px, py + 7), (px - 7, py)],
                    rate.filled(),
                ))?;
            }
            None => {
                root.draw(&Text::new(
                    "all failed".to_string(),
                    (lx, ly + 32),
                    text_style(TEXT_SIZE, WARN, HPos::Center, VPos::Center),
                ))?;
            }
        }
    }
    let (mx, tx) = (16, 34);
    let room = chars_that_fit(WIDTH as i32 - PLOT_WIDTH as i32 - tx - 8, TEXT_SIZE);
    let text = |yy: i32, t: &str| -> DrawResult {
        legend.draw(&Text::new(
            truncate(t, room),
            (tx, yy),
            text_style(TEXT_SIZE, INK, HPos::Left, VPos::Center),
        ))
    };
    legend.draw(&Rectangle::new([(mx - 6, 16), (mx + 6, 28)], bar.filled()))?;
    text(22, "mean utility")?;
    legend.draw(&PathElement::new(
        vec![(mx, 38), (mx, 54)],
        INK.stroke_width(2),
    ))?;
    text(46, "± one sd")?;
    legend.draw(&Polygon::new(
        vec![(mx, 63), (mx + 7, 70), (mx, 77), (mx - 7, 70)],
        rate.filled(),
    ))?;
    text(70, "agreement rate")?;
    Ok(())
}
