/*
 * Unit tests of the SVG writer (src/report/svg.c): escaping of markup,
 * quotes, '&', non-ASCII, invalid UTF-8 and control characters; locale-free
 * fixed-decimal numbers; the exact markup of the document, axes, markers,
 * lines, bars, text and legend; linear, log and band scales.
 */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cohortmatch/svg.h"

static void check_escape(const char *text, size_t len, const char *want)
{
    kstring_t out = {0, 0, NULL};
    cm_svg_escape(text, len, &out);
    assert_string_equal(out.s ? out.s : "", want);
    free(out.s);
}

#define ESCAPES(text, want) check_escape(text, sizeof text - 1, want)

static void test_escape_markup(void **state)
{
    (void)state;
    ESCAPES("BRAF", "BRAF");
    ESCAPES("", "");
    ESCAPES("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
    ESCAPES("\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    ESCAPES("a & b", "a &amp; b");
    ESCAPES("&amp;", "&amp;amp;");
    ESCAPES("O'Brien", "O&#39;Brien");
    ESCAPES("c.1799T>A", "c.1799T&gt;A");
    ESCAPES("tab\there\nline\rreturn", "tab\there\nline\rreturn");
}

static void test_escape_encoding(void **state)
{
    (void)state;
    // Valid UTF-8 is kept: 2, 3 and 4-byte sequences.
    ESCAPES("Tumeur \xC3\xA9pith\xC3\xA9liale \xE2\x89\xA5 6 \xF0\x9F\xA7\xAC",
            "Tumeur \xC3\xA9pith\xC3\xA9liale \xE2\x89\xA5 6 \xF0\x9F\xA7\xAC");
    // Latin-1, a lone continuation byte, a truncated sequence, an overlong '<', a
    // surrogate, a code point above U+10FFFF: each bad byte becomes U+FFFD.
    ESCAPES("Andr\xE9", "Andr\xEF\xBF\xBD");
    ESCAPES("\x80x", "\xEF\xBF\xBDx");
    ESCAPES("\xE2\x89", "\xEF\xBF\xBD\xEF\xBF\xBD");
    ESCAPES("\xC0\xBC", "\xEF\xBF\xBD\xEF\xBF\xBD");
    ESCAPES("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    ESCAPES("\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    // Controls an HTML parser refuses: NUL, ESC, DEL, a C1 control, noncharacters.
    ESCAPES("a\0b", "a\xEF\xBF\xBD"
                    "b");
    ESCAPES("\x1B[31m", "\xEF\xBF\xBD[31m");
    ESCAPES("\x7F", "\xEF\xBF\xBD");
    ESCAPES("\xC2\x85", "\xEF\xBF\xBD");
    ESCAPES("\xEF\xB7\x90\xEF\xBF\xBF", "\xEF\xBF\xBD\xEF\xBF\xBD");
    // NULL and the NUL-terminated form.
    kstring_t out = {0, 0, NULL};
    cm_svg_escape_str(NULL, &out);
    assert_int_equal(out.l, 0);
    cm_svg_escape_str("<b>", &out);
    assert_string_equal(out.s, "&lt;b&gt;");
    free(out.s);
}

static void check_number(double value, int decimals, const char *want)
{
    kstring_t out = {0, 0, NULL};
    cm_svg_number(value, decimals, &out);
    assert_string_equal(out.s, want);
    free(out.s);
}

static void test_number(void **state)
{
    (void)state;
    check_number(0, 1, "0.0");
    check_number(12.345, 1, "12.3");
    check_number(12.35, 0, "12");
    check_number(0.25, 1, "0.3"); // half away from zero (0.25 is exact in binary)
    check_number(-0.25, 1, "-0.3");
    check_number(-0.04, 1, "0.0"); // no "-0.0"
    check_number(1234567.5, 0, "1234568");
    check_number(0.000123, 6, "0.000123");
    check_number(0.5, 9, "0.500000"); // at most 6 decimals
    check_number(3, -1, "3");
    check_number(NAN, 1, "0.0");
    check_number(INFINITY, 0, "0");
    check_number(2e15, 0, "0");
    // The C locale's decimal separator is never used (a comma locale, if installed).
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
        check_number(1.5, 1, "1.5");
    setlocale(LC_NUMERIC, "C");
}

static void test_document(void **state)
{
    (void)state;
    kstring_t out = {0, 0, NULL};
    cm_svg_begin(&out, 200, 100, "VAF of <sample> & \"friends\"");
    cm_svg_text(&out, 10, 20.26, "middle", "label", "EGFR <L858R>");
    cm_svg_rect(&out, 1, 2, 3, 4, NULL, "#000");
    cm_svg_line(&out, 0, 0, 10.05, 5, "#E69F00", 1);
    cm_svg_end(&out);
    assert_string_equal(out.s,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"200\" "
                        "height=\"100\" viewBox=\"0 0 200 100\"><title>VAF of &lt;sample&gt; &amp; "
                        "&quot;friends&quot;</title>\n"
                        "<text class=\"label\" x=\"10.0\" y=\"20.3\" text-anchor=\"middle\">EGFR "
                        "&lt;L858R&gt;</text>\n"
                        "<rect x=\"1.0\" y=\"2.0\" width=\"3.0\" height=\"4.0\" fill=\"none\" "
                        "stroke=\"#000\"/>"
                        "<line x1=\"0.0\" y1=\"0.0\" x2=\"10.1\" y2=\"5.0\" stroke=\"#E69F00\" "
                        "stroke-dasharray=\"5 3\"/>"
                        "</svg>\n");
    free(out.s);
}

static void test_scales(void **state)
{
    (void)state;
    cm_svg_plot plot = {
        100, 10, 300, 200, {CM_SVG_LOG10, 10, 1000, NULL}, {CM_SVG_LINEAR, 0, 1, NULL}};
    assert_true(fabs(cm_svg_plot_x(&plot, 10) - 100) < 1e-9);
    assert_true(fabs(cm_svg_plot_x(&plot, 100) - 250) < 1e-9);
    assert_true(fabs(cm_svg_plot_x(&plot, 1000) - 400) < 1e-9);
    // Outside the range, and log of 0: drawn at the edge.
    assert_true(fabs(cm_svg_plot_x(&plot, 1) - 100) < 1e-9);
    assert_true(fabs(cm_svg_plot_x(&plot, 0) - 100) < 1e-9);
    assert_true(fabs(cm_svg_plot_x(&plot, 1e6) - 400) < 1e-9);
    assert_true(fabs(cm_svg_plot_x(&plot, NAN) - 100) < 1e-9);
    // y grows upwards.
    assert_true(fabs(cm_svg_plot_y(&plot, 0) - 210) < 1e-9);
    assert_true(fabs(cm_svg_plot_y(&plot, 0.25) - 160) < 1e-9);
    assert_true(fabs(cm_svg_plot_y(&plot, 1) - 10) < 1e-9);
    assert_true(fabs(cm_svg_plot_y(&plot, 2) - 10) < 1e-9);
    // An empty range draws everything at the start.
    cm_svg_plot flat = {0, 0, 100, 100, {CM_SVG_LINEAR, 5, 5, NULL}, {CM_SVG_LINEAR, 0, 1, NULL}};
    assert_true(fabs(cm_svg_plot_x(&flat, 7)) < 1e-9);
}

static void test_axes(void **state)
{
    (void)state;
    cm_svg_plot plot = {
        50, 10, 100, 80, {CM_SVG_BAND, 0, 2, "Gene"}, {CM_SVG_LINEAR, 0, 1, "VAF <fraction>"}};
    static const double x_values[] = {0, 1}, y_values[] = {0, 0.5};
    static const char *const labels[] = {"BRAF", "A&B"};
    cm_svg_ticks x = {x_values, 2, 0, NULL, labels, 1};
    cm_svg_ticks y = {y_values, 2, 0, "%", NULL, 100};
    kstring_t out = {0, 0, NULL};
    cm_svg_axes(&out, &plot, &x, &y);
    assert_string_equal(
        out.s,
        "<g class=\"axes\"><rect x=\"50.0\" y=\"10.0\" width=\"100.0\" height=\"80.0\" "
        "fill=\"none\" stroke=\"#555555\"/>"
        "<line x1=\"75.0\" y1=\"90.0\" x2=\"75.0\" y2=\"94.0\" stroke=\"#555555\"/>"
        "<text x=\"75.0\" y=\"106.0\" text-anchor=\"middle\">BRAF</text>"
        "<line x1=\"125.0\" y1=\"90.0\" x2=\"125.0\" y2=\"94.0\" stroke=\"#555555\"/>"
        "<text x=\"125.0\" y=\"106.0\" text-anchor=\"middle\">A&amp;B</text>"
        "<line x1=\"46.0\" y1=\"90.0\" x2=\"50.0\" y2=\"90.0\" stroke=\"#555555\"/>"
        "<text x=\"44.0\" y=\"94.0\" text-anchor=\"end\">0%</text>"
        "<line x1=\"46.0\" y1=\"50.0\" x2=\"50.0\" y2=\"50.0\" stroke=\"#555555\"/>"
        "<text x=\"44.0\" y=\"54.0\" text-anchor=\"end\">50%</text>"
        "<text class=\"axis-title\" x=\"100.0\" y=\"124.0\" text-anchor=\"middle\">Gene</text>\n"
        "<text class=\"axis-title\" text-anchor=\"middle\" transform=\"translate(6.0 50.0) "
        "rotate(-90)\">VAF &lt;fraction&gt;</text></g>\n");
    free(out.s);
}

static void test_markers(void **state)
{
    (void)state;
    cm_svg_plot plot = {
        0, 0, 100, 100, {CM_SVG_LINEAR, 0, 100, NULL}, {CM_SVG_LINEAR, 0, 100, NULL}};
    kstring_t out = {0, 0, NULL};
    cm_svg_point(&out, &plot, 50, 50, 5, CM_SVG_CIRCLE, "#0072B2", 1, "BRAF <V600E>");
    cm_svg_point(&out, &plot, 10, 90, 5, CM_SVG_SQUARE, "#666666", 0, NULL);
    cm_svg_point(&out, &plot, 20, 20, 5, CM_SVG_TRIANGLE, "#D55E00", 1, "t");
    cm_svg_point(&out, &plot, 30, 30, 5, CM_SVG_DIAMOND, "#000", 0, NULL);
    assert_string_equal(
        out.s, "<circle cx=\"50.0\" cy=\"50.0\" r=\"5.0\" fill=\"#0072B2\" stroke=\"#0072B2\" "
               "stroke-width=\"1.5\"><title>BRAF &lt;V600E&gt;</title></circle>\n"
               "<rect x=\"5.0\" y=\"5.0\" width=\"10.0\" height=\"10.0\" fill=\"#ffffff\" "
               "stroke=\"#666666\" stroke-width=\"1.5\"/>\n"
               "<polygon points=\"20.0,74.0 26.0,84.8 14.0,84.8\" fill=\"#D55E00\" "
               "stroke=\"#D55E00\" stroke-width=\"1.5\"><title>t</title></polygon>\n"
               "<polygon points=\"30.0,63.5 36.5,70.0 30.0,76.5 23.5,70.0\" fill=\"#ffffff\" "
               "stroke=\"#000\" stroke-width=\"1.5\"/>\n");
    free(out.s);
}

static void test_lines_and_bars(void **state)
{
    (void)state;
    cm_svg_plot plot = {10, 10, 100, 100, {CM_SVG_BAND, 0, 4, NULL}, {CM_SVG_LINEAR, 0, 10, NULL}};
    kstring_t out = {0, 0, NULL};
    cm_svg_plot_hline(&out, &plot, 6, "#E69F00", 1, "amplification \xE2\x89\xA5 6");
    cm_svg_plot_vline(&out, &plot, 1, "#E69F00", 0, NULL);
    cm_svg_plot_bar(&out, &plot, 1, 0, 8.5, 0.6, "#0072B2", "ERBB2 <amp>");
    assert_string_equal(
        out.s, "<line x1=\"10.0\" y1=\"50.0\" x2=\"110.0\" y2=\"50.0\" stroke=\"#E69F00\" "
               "stroke-dasharray=\"5 3\"/>"
               "<text class=\"gate\" x=\"106.0\" y=\"46.0\" text-anchor=\"end\">amplification "
               "\xE2\x89\xA5 6</text>\n"
               "<line x1=\"35.0\" y1=\"10.0\" x2=\"35.0\" y2=\"110.0\" stroke=\"#E69F00\"/>\n"
               "<rect x=\"40.0\" y=\"25.0\" width=\"15.0\" height=\"85.0\" fill=\"#0072B2\">"
               "<title>ERBB2 &lt;amp&gt;</title></rect>\n");
    // Horizontal bars on a band y axis, from the base to the value.
    cm_svg_plot bars = {0, 0, 100, 40, {CM_SVG_LINEAR, 0, 10, NULL}, {CM_SVG_BAND, 0, 2, NULL}};
    out.l = 0;
    cm_svg_plot_bar(&out, &bars, 0, 0, 5, 1, "#999", NULL);
    assert_string_equal(out.s, "<rect x=\"0.0\" y=\"20.0\" width=\"50.0\" height=\"20.0\" "
                               "fill=\"#999\"/>\n");
    free(out.s);
}

static void test_legend(void **state)
{
    (void)state;
    static const cm_svg_legend_entry entries[] = {
        {CM_SVG_CIRCLE, "#0072B2", 1, 0, 0, "matched <arm>"},
        {CM_SVG_CIRCLE, "#E69F00", 0, 1, 1, "gate"},
    };
    kstring_t out = {0, 0, NULL};
    cm_svg_legend(&out, 10, 20, entries, 2);
    assert_string_equal(
        out.s, "<g class=\"legend\">\n"
               "<circle cx=\"11.0\" cy=\"20.0\" r=\"4.5\" fill=\"#0072B2\" stroke=\"#0072B2\" "
               "stroke-width=\"1.5\"/>"
               "<text x=\"24.0\" y=\"24.0\" text-anchor=\"start\">matched &lt;arm&gt;</text>\n"
               "<line x1=\"4.0\" y1=\"36.0\" x2=\"18.0\" y2=\"36.0\" stroke=\"#E69F00\" "
               "stroke-dasharray=\"5 3\"/>"
               "<text x=\"24.0\" y=\"40.0\" text-anchor=\"start\">gate</text>\n"
               "</g>\n");
    free(out.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_markup), cmocka_unit_test(test_escape_encoding),
        cmocka_unit_test(test_number),        cmocka_unit_test(test_document),
        cmocka_unit_test(test_scales),        cmocka_unit_test(test_axes),
        cmocka_unit_test(test_markers),       cmocka_unit_test(test_lines_and_bars),
        cmocka_unit_test(test_legend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
