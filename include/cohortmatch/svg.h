/*
 * A small SVG writer for the figures of the HTML reports (the tumour-board
 * page, the cohort summary's chart): a document, a plot area with linear,
 * log10 or categorical (band) axes, ticks and labels, markers, lines, bars,
 * text and a legend, appended to a kstring_t.
 *
 * Every text and attribute value is escaped (cm_svg_escape), so names read
 * from inputs cannot break out of the markup. Numbers are written with fixed
 * decimals by integer arithmetic, never through the C locale, so the same
 * figure gives the same bytes everywhere (reports are compared as goldens).
 * The writer draws; it never decides what a value means.
 */
#ifndef COHORTMATCH_SVG_H
#define COHORTMATCH_SVG_H

#include <stddef.h>

#include <htslib/kstring.h>

/// Appends len bytes of text escaped for HTML and SVG, in text and in quoted attribute
/// values: & < > " ' become entities; a byte that is not part of valid UTF-8, a control
/// character (other than tab, line feed, carriage return), DEL, a C1 control or a
/// noncharacter becomes U+FFFD, so the output is always well-formed UTF-8.
void cm_svg_escape(const char *text, size_t len, kstring_t *out);

/// cm_svg_escape() of a NUL-terminated text; NULL appends nothing.
void cm_svg_escape_str(const char *text, kstring_t *out);

/// Appends value with exactly `decimals` decimals (0 to 6; more are taken as 6), rounded
/// half away from zero, without the C locale; "-0" is written "0". A value that is not
/// finite, or beyond +-1e15, is written as 0.
void cm_svg_number(double value, int decimals, kstring_t *out);

typedef enum cm_svg_scale {
    CM_SVG_LINEAR = 0,
    CM_SVG_LOG10, // min must be above 0; values at or below 0 are drawn at min
    CM_SVG_BAND   // categories 0 .. n-1: min 0, max n; category i spans [i, i + 1)
} cm_svg_scale;

typedef struct cm_svg_axis {
    cm_svg_scale scale;
    double min, max;   // the data range shown; values outside are drawn at its edge
    const char *title; // axis title (escaped), or NULL
} cm_svg_axis;

/// A plot: an area of the picture (pixels from the top left corner) and its two axes.
typedef struct cm_svg_plot {
    double left, top, width, height;
    cm_svg_axis x, y;
} cm_svg_plot;

/// Tick marks of one axis: at values[] (for a band axis, category indexes), labelled with
/// labels[i] when labels is given, else with the value (`decimals` decimals) and `suffix`.
typedef struct cm_svg_ticks {
    const double *values;
    size_t n;
    int decimals;
    const char *suffix;        // e.g. "%"; NULL for none
    const char *const *labels; // NULL: numbers
    double scale;              // the label shows value * scale (0 is taken as 1)
} cm_svg_ticks;

typedef enum cm_svg_marker {
    CM_SVG_CIRCLE = 0,
    CM_SVG_SQUARE,
    CM_SVG_TRIANGLE,
    CM_SVG_DIAMOND
} cm_svg_marker;

/// One line of a legend: a marker (or, with is_line, a line sample) and its label.
typedef struct cm_svg_legend_entry {
    cm_svg_marker marker;
    const char *colour;
    int is_filled;
    int is_line, is_dashed; // a line sample instead of a marker
    const char *label;
} cm_svg_legend_entry;

/// Opens an <svg> of width x height pixels (role="img") whose <title> is `title`, the
/// picture's accessible name.
void cm_svg_begin(kstring_t *out, int width, int height, const char *title);

/// Closes the <svg>.
void cm_svg_end(kstring_t *out);

/// The pixel position of a data value along the x (or y) axis, clamped to the plot area.
double cm_svg_plot_x(const cm_svg_plot *plot, double value);
double cm_svg_plot_y(const cm_svg_plot *plot, double value);

/// Draws the plot's frame, the ticks of x and y (either may be NULL) with their labels, and
/// the axis titles.
void cm_svg_axes(kstring_t *out, const cm_svg_plot *plot, const cm_svg_ticks *x,
                 const cm_svg_ticks *y);

/// A marker of radius r pixels at data point (x, y): filled with colour, or hollow (white
/// inside, colour outline); tooltip (may be NULL) becomes its <title>.
void cm_svg_point(kstring_t *out, const cm_svg_plot *plot, double x, double y, double r,
                  cm_svg_marker marker, const char *colour, int is_filled, const char *tooltip);

/// A straight line between two pixel points, solid or dashed.
void cm_svg_line(kstring_t *out, double x1, double y1, double x2, double y2, const char *colour,
                 int is_dashed);

/// A line across the plot at y = value (cm_svg_plot_hline) or x = value (vline), labelled
/// (label may be NULL) at its right (top) end.
void cm_svg_plot_hline(kstring_t *out, const cm_svg_plot *plot, double value, const char *colour,
                       int is_dashed, const char *label);
void cm_svg_plot_vline(kstring_t *out, const cm_svg_plot *plot, double value, const char *colour,
                       int is_dashed, const char *label);

/// A bar of category `category` of the plot's band axis (x or y) from `base` to `value`
/// along the other axis, filling `fraction` (0-1) of the band; tooltip may be NULL.
void cm_svg_plot_bar(kstring_t *out, const cm_svg_plot *plot, size_t category, double base,
                     double value, double fraction, const char *colour, const char *tooltip);

/// A rectangle in pixels; stroke may be NULL for none.
void cm_svg_rect(kstring_t *out, double x, double y, double width, double height, const char *fill,
                 const char *stroke);

/// Text at a pixel point; anchor is "start", "middle" or "end"; css_class may be NULL.
void cm_svg_text(kstring_t *out, double x, double y, const char *anchor, const char *css_class,
                 const char *text);

/// A legend: the entries one under the other from pixel (x, y), 16 pixels apart.
void cm_svg_legend(kstring_t *out, double x, double y, const cm_svg_legend_entry *entries,
                   size_t n);

#endif
