/*
 * The SVG writer (include/cohortmatch/svg.h). It owns the escaping of every
 * text that ends up in an HTML or SVG report and the locale-free writing of
 * numbers; it must never append a byte of input unescaped, and never depend
 * on anything but its arguments (same call, same bytes).
 */
#include "cohortmatch/svg.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT "\xEF\xBF\xBD" // U+FFFD in UTF-8

// The length of the valid UTF-8 sequence at s (at most len bytes) and its code point, or 0
// when the bytes there are not valid UTF-8 (overlong forms and surrogates are invalid).
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *code_point)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t cp;
    unsigned char low = 0x80, high = 0xBF;
    if (c < 0x80) {
        *code_point = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
        if (c == 0xE0)
            low = 0xA0;
        else if (c == 0xED)
            high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
        if (c == 0xF0)
            low = 0x90;
        else if (c == 0xF4)
            high = 0x8F;
    } else {
        return 0;
    }
    if (len < n || s[1] < low || s[1] > high)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if (i > 1 && (s[i] < 0x80 || s[i] > 0xBF))
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *code_point = cp;
    return n;
}

// Characters an HTML5 parser reports as errors in the input stream.
static int is_refused(uint32_t cp)
{
    if (cp < 0x20)
        return cp != '\t' && cp != '\n' && cp != '\r';
    if (cp >= 0x7F && cp <= 0x9F)
        return 1;
    if (cp >= 0xFDD0 && cp <= 0xFDEF)
        return 1;
    return (cp & 0xFFFE) == 0xFFFE;
}

void cm_svg_escape(const char *text, size_t len, kstring_t *out)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        // Runs of plain characters are copied at once.
        size_t run = i;
        while (run < len && s[run] >= 0x20 && s[run] < 0x7F && s[run] != '&' && s[run] != '<' &&
               s[run] != '>' && s[run] != '"' && s[run] != '\'')
            run++;
        if (run > i) {
            kputsn(text + i, run - i, out);
            i = run;
            continue;
        }
        switch (s[i]) {
        case '&':
            kputs("&amp;", out);
            i++;
            continue;
        case '<':
            kputs("&lt;", out);
            i++;
            continue;
        case '>':
            kputs("&gt;", out);
            i++;
            continue;
        case '"':
            kputs("&quot;", out);
            i++;
            continue;
        case '\'':
            kputs("&#39;", out);
            i++;
            continue;
        default:
            break;
        }
        uint32_t cp = 0;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0 || is_refused(cp)) {
            kputs(REPLACEMENT, out);
            i += n ? n : 1;
        } else {
            kputsn(text + i, n, out);
            i += n;
        }
    }
}

void cm_svg_escape_str(const char *text, kstring_t *out)
{
    if (text)
        cm_svg_escape(text, strlen(text), out);
}

void cm_svg_number(double value, int decimals, kstring_t *out)
{
    static const long long powers[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (!isfinite(value) || fabs(value) > 1e15)
        value = 0;
    long long scaled = llround(fabs(value) * (double)powers[decimals]);
    char buffer[48];
    int n = snprintf(buffer, sizeof buffer, "%s%lld", value < 0 && scaled != 0 ? "-" : "",
                     scaled / powers[decimals]);
    if (decimals > 0)
        snprintf(buffer + n, sizeof buffer - (size_t)n, ".%0*lld", decimals,
                 scaled % powers[decimals]);
    kputs(buffer, out);
}

// Pixel coordinates: one decimal.
static void put_px(double value, kstring_t *out)
{
    cm_svg_number(value, 1, out);
}

static void put_attr(kstring_t *out, const char *name, const char *value)
{
    ksprintf(out, " %s=\"", name);
    cm_svg_escape_str(value, out);
    kputc('"', out);
}

static void put_px_attr(kstring_t *out, const char *name, double value)
{
    ksprintf(out, " %s=\"", name);
    put_px(value, out);
    kputc('"', out);
}

void cm_svg_begin(kstring_t *out, int width, int height, const char *title)
{
    ksprintf(out,
             "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%d\" "
             "viewBox=\"0 0 %d %d\"><title>",
             width, height, width, height);
    cm_svg_escape_str(title, out);
    kputs("</title>\n", out);
}

void cm_svg_end(kstring_t *out)
{
    kputs("</svg>\n", out);
}

// The position of value along an axis as a fraction 0-1 of its length (clamped).
static double axis_fraction(const cm_svg_axis *axis, double value)
{
    double low = axis->min, high = axis->max, v = value;
    if (axis->scale == CM_SVG_LOG10) {
        low = low > 0 ? log10(low) : 0;
        high = high > 0 ? log10(high) : 1;
        v = v > 0 ? log10(v) : low;
    }
    if (!(high > low) || !isfinite(v))
        return 0;
    double fraction = (v - low) / (high - low);
    return fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
}

double cm_svg_plot_x(const cm_svg_plot *plot, double value)
{
    return plot->left + axis_fraction(&plot->x, value) * plot->width;
}

double cm_svg_plot_y(const cm_svg_plot *plot, double value)
{
    return plot->top + plot->height - axis_fraction(&plot->y, value) * plot->height;
}

static void put_tick_label(kstring_t *out, const cm_svg_ticks *ticks, size_t i, kstring_t *text)
{
    text->l = 0;
    if (ticks->labels) {
        kputs(ticks->labels[i] ? ticks->labels[i] : "", text);
    } else {
        cm_svg_number(ticks->values[i] * (ticks->scale != 0 ? ticks->scale : 1), ticks->decimals,
                      text);
        if (ticks->suffix)
            kputs(ticks->suffix, text);
    }
    cm_svg_escape(text->s, text->l, out);
}

void cm_svg_axes(kstring_t *out, const cm_svg_plot *plot, const cm_svg_ticks *x,
                 const cm_svg_ticks *y)
{
    kstring_t text = {0, 0, NULL};
    double bottom = plot->top + plot->height;
    kputs("<g class=\"axes\">", out);
    cm_svg_rect(out, plot->left, plot->top, plot->width, plot->height, "none", "#555555");
    for (size_t i = 0; x && i < x->n; i++) {
        double value = x->values[i] + (plot->x.scale == CM_SVG_BAND ? 0.5 : 0);
        double px = cm_svg_plot_x(plot, value);
        cm_svg_line(out, px, bottom, px, bottom + 4, "#555555", 0);
        kputs("<text", out);
        put_px_attr(out, "x", px);
        put_px_attr(out, "y", bottom + 16);
        kputs(" text-anchor=\"middle\">", out);
        put_tick_label(out, x, i, &text);
        kputs("</text>", out);
    }
    for (size_t i = 0; y && i < y->n; i++) {
        double value = y->values[i] + (plot->y.scale == CM_SVG_BAND ? 0.5 : 0);
        double py = cm_svg_plot_y(plot, value);
        cm_svg_line(out, plot->left - 4, py, plot->left, py, "#555555", 0);
        kputs("<text", out);
        put_px_attr(out, "x", plot->left - 6);
        put_px_attr(out, "y", py + 4);
        kputs(" text-anchor=\"end\">", out);
        put_tick_label(out, y, i, &text);
        kputs("</text>", out);
    }
    if (plot->x.title)
        cm_svg_text(out, plot->left + plot->width / 2, bottom + 34, "middle", "axis-title",
                    plot->x.title);
    if (plot->y.title) {
        // Rotated along the axis, left of the tick labels.
        double cx = plot->left - 44, cy = plot->top + plot->height / 2;
        kputs("<text class=\"axis-title\" text-anchor=\"middle\" transform=\"translate(", out);
        put_px(cx, out);
        kputc(' ', out);
        put_px(cy, out);
        kputs(") rotate(-90)\">", out);
        cm_svg_escape_str(plot->y.title, out);
        kputs("</text>", out);
    }
    kputs("</g>\n", out);
    free(text.s);
}

// The marker's shape centred on pixel (cx, cy), attributes fill and stroke included.
static void put_marker(kstring_t *out, double cx, double cy, double r, cm_svg_marker marker,
                       const char *colour, int is_filled)
{
    switch (marker) {
    case CM_SVG_SQUARE:
        kputs("<rect", out);
        put_px_attr(out, "x", cx - r);
        put_px_attr(out, "y", cy - r);
        put_px_attr(out, "width", 2 * r);
        put_px_attr(out, "height", 2 * r);
        break;
    case CM_SVG_TRIANGLE:
    case CM_SVG_DIAMOND: {
        kputs("<polygon points=\"", out);
        double points[8];
        int n;
        if (marker == CM_SVG_TRIANGLE) {
            double h = r * 1.2;
            double triangle[6] = {cx, cy - h, cx + h, cy + h * 0.8, cx - h, cy + h * 0.8};
            memcpy(points, triangle, sizeof triangle);
            n = 3;
        } else {
            double h = r * 1.3;
            double diamond[8] = {cx, cy - h, cx + h, cy, cx, cy + h, cx - h, cy};
            memcpy(points, diamond, sizeof diamond);
            n = 4;
        }
        for (int i = 0; i < n; i++) {
            if (i)
                kputc(' ', out);
            put_px(points[2 * i], out);
            kputc(',', out);
            put_px(points[2 * i + 1], out);
        }
        kputc('"', out);
        break;
    }
    case CM_SVG_CIRCLE:
    default:
        kputs("<circle", out);
        put_px_attr(out, "cx", cx);
        put_px_attr(out, "cy", cy);
        put_px_attr(out, "r", r);
        break;
    }
    put_attr(out, "fill", is_filled ? colour : "#ffffff");
    put_attr(out, "stroke", colour);
    kputs(" stroke-width=\"1.5\"", out);
}

void cm_svg_point(kstring_t *out, const cm_svg_plot *plot, double x, double y, double r,
                  cm_svg_marker marker, const char *colour, int is_filled, const char *tooltip)
{
    put_marker(out, cm_svg_plot_x(plot, x), cm_svg_plot_y(plot, y), r, marker, colour, is_filled);
    if (tooltip) {
        kputs("><title>", out);
        cm_svg_escape_str(tooltip, out);
        kputs("</title></", out);
        kputs(marker == CM_SVG_SQUARE     ? "rect"
              : marker == CM_SVG_TRIANGLE ? "polygon"
              : marker == CM_SVG_DIAMOND  ? "polygon"
                                          : "circle",
              out);
        kputs(">\n", out);
    } else {
        kputs("/>\n", out);
    }
}

void cm_svg_line(kstring_t *out, double x1, double y1, double x2, double y2, const char *colour,
                 int is_dashed)
{
    kputs("<line", out);
    put_px_attr(out, "x1", x1);
    put_px_attr(out, "y1", y1);
    put_px_attr(out, "x2", x2);
    put_px_attr(out, "y2", y2);
    put_attr(out, "stroke", colour);
    if (is_dashed)
        kputs(" stroke-dasharray=\"5 3\"", out);
    kputs("/>", out);
}

void cm_svg_plot_hline(kstring_t *out, const cm_svg_plot *plot, double value, const char *colour,
                       int is_dashed, const char *label)
{
    double py = cm_svg_plot_y(plot, value);
    cm_svg_line(out, plot->left, py, plot->left + plot->width, py, colour, is_dashed);
    if (label)
        cm_svg_text(out, plot->left + plot->width - 4, py - 4, "end", "gate", label);
    else
        kputc('\n', out);
}

void cm_svg_plot_vline(kstring_t *out, const cm_svg_plot *plot, double value, const char *colour,
                       int is_dashed, const char *label)
{
    double px = cm_svg_plot_x(plot, value);
    cm_svg_line(out, px, plot->top, px, plot->top + plot->height, colour, is_dashed);
    if (label)
        cm_svg_text(out, px + 4, plot->top + 12, "start", "gate", label);
    else
        kputc('\n', out);
}

void cm_svg_plot_bar(kstring_t *out, const cm_svg_plot *plot, size_t category, double base,
                     double value, double fraction, const char *colour, const char *tooltip)
{
    if (!(fraction > 0) || fraction > 1)
        fraction = 1;
    double band_start = (double)category + (1 - fraction) / 2, band_end = band_start + fraction;
    double x, y, width, height;
    if (plot->y.scale == CM_SVG_BAND && plot->x.scale != CM_SVG_BAND) {
        double a = cm_svg_plot_x(plot, base), b = cm_svg_plot_x(plot, value);
        x = a < b ? a : b;
        width = fabs(b - a);
        double top = cm_svg_plot_y(plot, band_end), bottom = cm_svg_plot_y(plot, band_start);
        y = top;
        height = bottom - top;
    } else {
        double left = cm_svg_plot_x(plot, band_start), right = cm_svg_plot_x(plot, band_end);
        double a = cm_svg_plot_y(plot, base), b = cm_svg_plot_y(plot, value);
        x = left;
        width = right - left;
        y = a < b ? a : b;
        height = fabs(b - a);
    }
    kputs("<rect", out);
    put_px_attr(out, "x", x);
    put_px_attr(out, "y", y);
    put_px_attr(out, "width", width);
    put_px_attr(out, "height", height);
    put_attr(out, "fill", colour);
    if (tooltip) {
        kputs("><title>", out);
        cm_svg_escape_str(tooltip, out);
        kputs("</title></rect>\n", out);
    } else {
        kputs("/>\n", out);
    }
}

void cm_svg_rect(kstring_t *out, double x, double y, double width, double height, const char *fill,
                 const char *stroke)
{
    kputs("<rect", out);
    put_px_attr(out, "x", x);
    put_px_attr(out, "y", y);
    put_px_attr(out, "width", width);
    put_px_attr(out, "height", height);
    put_attr(out, "fill", fill ? fill : "none");
    if (stroke)
        put_attr(out, "stroke", stroke);
    kputs("/>", out);
}

void cm_svg_text(kstring_t *out, double x, double y, const char *anchor, const char *css_class,
                 const char *text)
{
    kputs("<text", out);
    if (css_class)
        put_attr(out, "class", css_class);
    put_px_attr(out, "x", x);
    put_px_attr(out, "y", y);
    put_attr(out, "text-anchor", anchor ? anchor : "start");
    kputc('>', out);
    cm_svg_escape_str(text, out);
    kputs("</text>\n", out);
}

void cm_svg_legend(kstring_t *out, double x, double y, const cm_svg_legend_entry *entries, size_t n)
{
    kputs("<g class=\"legend\">\n", out);
    for (size_t i = 0; i < n; i++) {
        const cm_svg_legend_entry *entry = &entries[i];
        double cy = y + 16.0 * (double)i;
        if (entry->is_line) {
            cm_svg_line(out, x - 6, cy, x + 8, cy, entry->colour, entry->is_dashed);
        } else {
            put_marker(out, x + 1, cy, 4.5, entry->marker, entry->colour, entry->is_filled);
            kputs("/>", out);
        }
        cm_svg_text(out, x + 14, cy + 4, "start", NULL, entry->label);
    }
    kputs("</g>\n", out);
}
