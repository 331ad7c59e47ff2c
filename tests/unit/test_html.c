/*
 * The tumour-board page (src/report/html.c) with hostile input: a report built
 * by hand whose every text field (sample name, tumour type, gene, HGVS p. and
 * c., transcript, chrom, ref, alt, protocol id, name, version and path, arm
 * id, drugs, source, cohort note, candidate note, ruled-out detail, VCF path,
 * command line, date) holds markup, quotes, '&', non-ASCII or invalid UTF-8.
 * The page must carry each escaped (exact fragments), and its markup must
 * hold only the page's own elements and attributes: every '<' of the output
 * is checked against an allow-list, so no input text can have become a tag.
 * Also: the page's structure for a plain report (sections, figure, A4 print
 * rules, no external reference) and the alteration table's verdict column.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cohortmatch/oncotree.h"
#include "cohortmatch/report.h"
#include "rules_fixture.h"

#define SCRIPT "<script>alert(1)</script>"
#define IMG "\"><img src=x onerror=alert(2)>"

static const char hostile_yaml[] =
    "cohortmatch: 1\n"
    "protocol:\n"
    "  id: \"P<script>alert('p')</script>\"\n"
    "  name: \"Ho&stile \\\"protocol\\\" <b>name</b> \xC3\xA9\"\n"
    "  version: \"1<img src=x onerror=alert(9)>\"\n"
    "  country: NL\n"
    "  network: \"PRIME<ROSE>\"\n"
    "  design: {stages: [8, 24]}\n"
    "alterations:\n"
    "  EVIL: {gene: \"EVIL<script>\"}\n"
    "arms:\n"
    "  - id: \"ARM\\\"><img src=x onerror=alert(4)>\"\n"
    "    drugs: [\"drug<script>alert(5)</script>\", \"o'neil & co\"]\n"
    "    match: EVIL\n"
    "    exclude: [EVIL]\n"
    "    evidence: {escat: IIIA}\n"
    "    criteria: inferred\n"
    "    note: \"inferred <from> the label\"\n"
    "    source: \"<a href=\\\"javascript:alert(6)\\\">source</a> & more\"\n"
    "    cohorts:\n"
    "      - {tumour_type: NSCLC, status: open, stage: 1, enrolled: 3, target: 8,\n"
    "         note: \"<i>note</i> & \\\"quoted\\\"\"}\n"
    "  - id: OTHER\n"
    "    drugs: [\"x</td></tr></table>\"]\n"
    "    match: EVIL\n";

static cm_slice slice(const char *text)
{
    return (cm_slice){text, text ? (int)strlen(text) : 0};
}

typedef struct fixture {
    cm_oncotree *tree;
    cm_ruleset *rules;
    cm_sample_profile profile;
    cm_alteration evil, other;
    const cm_alteration *listed[2];
    cm_evidence_item evil_items[1], other_items[1];
    char *notes[1];
    cm_candidate candidates[1];
    cm_ruled_out ruled_out[1];
    cm_sample_result result;
    const cm_sample_result *results[1];
    cm_count skipped[1];
    cm_report report;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->rules =
        load_test_rules(&f->tree, "rules/<evil>&\".yaml", hostile_yaml, sizeof hostile_yaml - 1, 0);
    const cm_protocol *protocol = cm_ruleset_protocol(f->rules, 0);

    cm_sample_profile *p = &f->profile;
    p->name = "S<script>alert(\"s\")</script>&T\xC3\xA9\xE9"; // ends in a Latin-1 byte
    p->tumour_type = "LU<AD>";
    p->tumour_node = -1;
    p->tmb = NAN;
    p->age = NAN;

    cm_alteration *a = &f->evil;
    cm_alteration_init(a);
    a->kind = CM_ALTERATION_SMALL;
    a->gene = slice("EVIL<script>");
    a->chrom = slice("chr<1>");
    a->pos = 1000;
    a->ref = slice("A&");
    a->alt = slice("\"G\"");
    a->transcript = slice("ENST1" IMG);
    a->hgvsc = slice("c.10A>G" SCRIPT);
    a->hgvsp = slice("p.Lys4Glu<img/src=x/onerror=alert(3)>");
    cm_protein_change_parse(a->hgvsp.s, (size_t)a->hgvsp.len, &a->protein);
    a->consequence = CM_SO_BIT(CM_SO_MISSENSE_VARIANT);
    a->vaf = 0.3;
    a->depth = 100;
    a->is_pass = 1;
    a->is_preferred = 1;
    f->other = *a;
    f->other.pos = 2000;
    f->other.vaf = 0.02;
    f->other.hgvsp = slice("p.Gly12Asp");
    cm_protein_change_parse(f->other.hgvsp.s, (size_t)f->other.hgvsp.len, &f->other.protein);
    f->listed[0] = &f->evil;
    f->listed[1] = &f->other;

    f->evil_items[0] = (cm_evidence_item){&f->evil, "EVIL", 0};
    f->other_items[0] = (cm_evidence_item){&f->other, "EVIL", 0};
    f->notes[0] = "note " SCRIPT;
    const cm_arm *arm = &protocol->arms[0];
    f->candidates[0] = (cm_candidate){
        .arm = arm,
        .cohort = &arm->cohorts[0],
        .status = CM_COHORT_OPEN,
        .cohort_tumour_type = arm->cohorts[0].tumour_type,
        .matched = f->evil_items,
        .n_matched = 1,
        .notes = f->notes,
        .n_notes = 1,
    };
    f->ruled_out[0] = (cm_ruled_out){
        .arm = &protocol->arms[1],
        .reason = CM_REASON_BELOW_MIN_VAF,
        .detail = "VAF 0.02 < 0.05 " IMG,
        .matched = f->other_items,
        .n_matched = 1,
    };
    f->result = (cm_sample_result){.profile = &f->profile,
                                   .candidates = f->candidates,
                                   .n_candidates = 1,
                                   .ruled_out = f->ruled_out,
                                   .n_ruled_out = 1,
                                   .alterations = f->listed,
                                   .n_alterations = 2};
    f->results[0] = &f->result;
    f->skipped[0] = (cm_count){"below_vaf", 1};
    f->report = (cm_report){
        .vcf_path = "in<put>&.vcf",
        .rules = f->rules,
        .samples = f->results,
        .n_samples = 1,
        .records = 2,
        .alterations = 2,
        .skipped = f->skipped,
        .n_skipped = 1,
        .command_line = "cohortmatch match -t 'LU<AD>' '" SCRIPT "'",
        .date = "2025-06-30" SCRIPT,
        .home_country = "NO",
    };
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cm_ruleset_free(f->rules);
    cm_oncotree_free(f->tree);
    free(f);
    return 0;
}

static char *render(const cm_report *report)
{
    char *buffer = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&buffer, &size);
    assert_non_null(fp);
    cm_error err;
    cm_error_clear(&err);
    int status = cm_report_write(report, CM_REPORT_HTML, fp, &err);
    assert_int_equal(fclose(fp), 0);
    if (status != 0)
        fail_msg("cm_report_write: %s", err.message);
    return buffer;
}

static void assert_contains(const char *page, const char *fragment)
{
    if (!strstr(page, fragment))
        fail_msg("the page lacks: %s", fragment);
}

static int is_one_of(const char *name, size_t len, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (strlen(names[i]) == len && strncmp(names[i], name, len) == 0)
            return 1;
    return 0;
}

static const char *const allowed_elements[] = {
    "html",    "head",    "meta",   "title",   "style",      "body",   "section", "h1",
    "h2",      "h3",      "p",      "strong",  "span",       "dl",     "dt",      "dd",
    "details", "summary", "code",   "table",   "thead",      "tbody",  "tr",      "th",
    "td",      "div",     "br",     "figure",  "figcaption", "footer", "svg",     "g",
    "rect",    "line",    "circle", "polygon", "text",       NULL};

static const char *const allowed_attributes[] = {"lang",
                                                 "charset",
                                                 "http-equiv",
                                                 "content",
                                                 "name",
                                                 "class",
                                                 "id",
                                                 "open",
                                                 "xmlns",
                                                 "role",
                                                 "width",
                                                 "height",
                                                 "viewBox",
                                                 "x",
                                                 "y",
                                                 "x1",
                                                 "y1",
                                                 "x2",
                                                 "y2",
                                                 "cx",
                                                 "cy",
                                                 "r",
                                                 "fill",
                                                 "stroke",
                                                 "stroke-width",
                                                 "stroke-dasharray",
                                                 "points",
                                                 "text-anchor",
                                                 "transform",
                                                 NULL};

// Every '<' of the page opens one of the page's own elements (or closes it, or is the
// doctype), with only the page's own attributes, each value quoted without '<' or '"'.
// Input text escaped as it must be has no '<' left, so it can never pass as a tag here.
static void assert_only_own_markup(const char *page)
{
    const char *p = page;
    while ((p = strchr(p, '<'))) {
        p++;
        if (strncmp(p, "!DOCTYPE html>", 14) == 0)
            continue;
        if (*p == '/')
            p++;
        const char *name = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            p++;
        if (!is_one_of(name, (size_t)(p - name), allowed_elements))
            fail_msg("element not the page's own: <%.20s", name);
        for (;;) {
            while (*p == ' ' || *p == '\n')
                p++;
            if (*p == '>' || (p[0] == '/' && p[1] == '>'))
                break;
            const char *attribute = p;
            while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-' ||
                   (p > attribute && *p >= '0' && *p <= '9'))
                p++;
            if (p == attribute ||
                !is_one_of(attribute, (size_t)(p - attribute), allowed_attributes))
                fail_msg("attribute not the page's own: %.30s", attribute);
            if (*p != '=')
                continue; // a boolean attribute (open)
            if (p[1] != '"')
                fail_msg("unquoted attribute value: %.30s", attribute);
            p += 2;
            while (*p && *p != '"') {
                if (*p == '<')
                    fail_msg("'<' inside an attribute value: %.30s", attribute);
                p++;
            }
            if (*p != '"')
                fail_msg("unterminated attribute value");
            p++;
        }
    }
}

static void test_hostile_strings_escaped(void **state)
{
    fixture *f = *state;
    char *page = render(&f->report);
    assert_only_own_markup(page);
    // No raw hostile markup anywhere, and the only script-like text is escaped.
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "<img"));
    assert_null(strstr(page, "<a "));
    assert_null(strstr(page, "<i>"));
    assert_null(strstr(page, "<b>"));
    // Sample name (the invalid Latin-1 byte becomes U+FFFD), tumour type, title.
    assert_contains(page, "<title>Tumour-board report: S&lt;script&gt;alert(&quot;s&quot;)"
                          "&lt;/script&gt;&amp;T\xC3\xA9\xEF\xBF\xBD</title>");
    assert_contains(page, "<h1>Sample S&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt;&amp;"
                          "T\xC3\xA9\xEF\xBF\xBD</h1>");
    assert_contains(page, "<strong>LU&lt;AD&gt;</strong> (OncoTree)");
    // The run: date, input path, command line, protocol id, name, version, rule path.
    assert_contains(page, "cohortmatch " CM_VERSION ", 2025-06-30&lt;script&gt;alert(1)"
                          "&lt;/script&gt;</summary>");
    assert_contains(page, "<dt>Input</dt><dd><code>in&lt;put&gt;&amp;.vcf</code></dd>");
    assert_contains(page, "<code>cohortmatch match -t &#39;LU&lt;AD&gt;&#39; &#39;&lt;script"
                          "&gt;alert(1)&lt;/script&gt;&#39;</code>");
    assert_contains(page, "<tr><td>P&lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt; <span "
                          "class=\"source\">Ho&amp;stile &quot;protocol&quot; &lt;b&gt;name"
                          "&lt;/b&gt; \xC3\xA9</span></td><td>1&lt;img src=x onerror=alert(9)"
                          "&gt;</td><td><code>rules/&lt;evil&gt;&amp;&quot;.yaml</code></td>");
    // The option: drugs, biomarker, arm id, cohort note, alteration fields, rule name, notes,
    // source, exclusions.
    assert_contains(page, "<h3>drug&lt;script&gt;alert(5)&lt;/script&gt; + o&#39;neil &amp; co "
                          "&mdash; EVIL&lt;script&gt; p.Lys4Glu&lt;img/src=x/onerror=alert(3)"
                          "&gt;</h3>");
    assert_contains(page, "<span class=\"mono\">ARM&quot;&gt;&lt;img src=x onerror=alert(4)"
                          "&gt;</span>");
    assert_contains(page, "<span class=\"source\">&lt;i&gt;note&lt;/i&gt; &amp; &quot;quoted"
                          "&quot;</span>");
    assert_contains(page, "<tr><td>EVIL&lt;script&gt;</td><td><strong>p.Lys4Glu&lt;img/src=x/"
                          "onerror=alert(3)&gt;</strong><br><span class=\"mono\">c.10A&gt;G"
                          "&lt;script&gt;alert(1)&lt;/script&gt;</span></td><td class=\"mono\">"
                          "ENST1&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</td>");
    assert_contains(page, "<p class=\"note\"><strong>Note:</strong> note &lt;script&gt;alert(1)"
                          "&lt;/script&gt;</p>");
    assert_contains(page, "<p class=\"source\">Source: &lt;a href=&quot;javascript:alert(6)"
                          "&quot;&gt;source&lt;/a&gt; &amp; more</p>");
    assert_contains(page, "Excluding alterations not detected: EVIL (not detected");
    // The near miss: drugs and detail.
    assert_contains(page, "<td>x&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</td>");
    assert_contains(page, "<td>VAF 0.02 &lt; 0.05 &quot;&gt;&lt;img src=x onerror=alert(2)&gt;"
                          "</td>");
    // The figure: point tooltip and label, in SVG text.
    assert_contains(page, "<title>EVIL&lt;script&gt; p.Lys4Glu&lt;img/src=x/onerror=alert(3)"
                          "&gt;, VAF 30%, depth 100; candidate: P&lt;script&gt;alert(&#39;p"
                          "&#39;)&lt;/script&gt;/ARM&quot;&gt;&lt;img src=x onerror=alert(4)"
                          "&gt;</title></circle>");
    // The table: chrom, ref, alt, verdicts.
    assert_contains(page, "<td class=\"mono\">chr&lt;1&gt;:1000:A&amp;:&quot;G&quot;</td>");
    assert_contains(page, "<td>ruled out: P&lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt;/OTHER "
                          "(below_min_vaf)</td>");
    free(page);
}

// The page's frame for an ordinary report: self-contained, print rules, figure, sections.
static void test_page_structure(void **state)
{
    fixture *f = *state;
    char *page = render(&f->report);
    assert_true(strncmp(page,
                        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
                        "charset=\"utf-8\">\n",
                        62) == 0);
    assert_contains(page, "content=\"default-src 'none'; style-src 'unsafe-inline'\"");
    assert_contains(page, "@page{size:A4;");
    assert_contains(page, ".sample+.sample{break-before:page}");
    assert_null(strstr(page, "http://www.w3.org/2000/svg\" role=\"img\" width=\"680\" "
                             "height=\"300\" href"));
    // No reference that a browser would fetch: the only URL is the SVG namespace.
    const char *p = page;
    while ((p = strstr(p, "http"))) {
        assert_true(strncmp(p, "http://www.w3.org/2000/svg\"", 27) == 0 ||
                    strncmp(p, "http-equiv", 10) == 0);
        p++;
    }
    assert_null(strstr(page, "url("));
    assert_null(strstr(page, "@import"));
    assert_contains(page, "<section class=\"sample\" id=\"sample-1\">");
    assert_contains(page, "<h2>Options for the board (1)</h2>");
    assert_contains(page, "<h2>Near misses: ruled out (1)</h2>");
    assert_contains(page, "<strong>Not detected is not wild-type.</strong>");
    assert_contains(page, "<h2>Alterations in rule genes (2)</h2>");
    // Country, network, cross-border (home country NO), the inferred biomarker with its note.
    assert_contains(page, "<td>NL<br><span class=\"source\">PRIME&lt;ROSE&gt;</span><br><span "
                          "class=\"state\">cross-border</span></td>");
    assert_contains(page, "ESCAT IIIA<br><strong>biomarker inferred</strong></td>");
    assert_contains(page, "<p class=\"note\"><strong>Biomarker inferred</strong> &mdash; confirm "
                          "with the trial: inferred &lt;from&gt; the label</p>");
    // The near miss names its protocol's country beside its id.
    assert_contains(page, "<tr><td><strong>P&lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt;"
                          "</strong> (NL)<br><span class=\"mono\">OTHER</span></td>");
    // Stage progress under the design [8, 24]: 3 enrolled of 24 (a bar 119 * 3 / 24 wide),
    // a mark at the end of stage 1 (119 * 8 / 24).
    assert_contains(page, "<title>3 of 8, stage 1</title>");
    assert_contains(page, "<rect x=\"0.5\" y=\"0.5\" width=\"14.9\" height=\"11.0\" "
                          "fill=\"#0072B2\"/><line x1=\"40.2\" y1=\"0.0\" x2=\"40.2\" "
                          "y2=\"12.0\" stroke=\"#1a1a1a\"/>");
    // Gates of the two arms (built-in 5 % and 30 reads) drawn once each.
    assert_contains(page, ">min VAF 5%</text>");
    assert_contains(page, ">min depth 30</text>");
    // Matched point: filled blue circle; near-miss point: filled vermillion triangle.
    assert_contains(page, "fill=\"#0072B2\" stroke=\"#0072B2\" stroke-width=\"1.5\"><title>EVIL");
    assert_contains(page, "<polygon points=");
    assert_contains(page, "fill=\"#D55E00\" stroke=\"#D55E00\" stroke-width=\"1.5\"><title>EVIL");
    assert_contains(page, "<footer><p>2 records read, 2 alterations; skipped: below_vaf 1.");
    size_t length = strlen(page);
    assert_true(length > 0 && page[length - 1] == '\n' && page[length - 2] == '>');
    assert_contains(page, "</section>\n</body>\n</html>\n");
    free(page);
}

// No date and no command line: neither is printed (the same inputs give the same bytes).
static void test_no_date(void **state)
{
    fixture *f = *state;
    f->report.date = NULL;
    f->report.command_line = NULL;
    char *page = render(&f->report);
    assert_contains(page, "<summary>Run: cohortmatch " CM_VERSION "</summary>");
    assert_null(strstr(page, "<dt>Command</dt>"));
    free(page);
}

// Several samples: a section each, the page title counts them.
static void test_several_samples(void **state)
{
    fixture *f = *state;
    const cm_sample_result *results[2] = {&f->result, &f->result};
    f->report.samples = results;
    f->report.n_samples = 2;
    char *page = render(&f->report);
    assert_contains(page, "<title>Tumour-board report: 2 samples</title>");
    assert_contains(page, "<section class=\"sample\" id=\"sample-1\">");
    assert_contains(page, "<section class=\"sample\" id=\"sample-2\">");
    free(page);
    f->report.n_samples = 0;
    page = render(&f->report);
    assert_contains(page, "<title>Tumour-board report: 0 samples</title>");
    assert_contains(page, "<h1>No samples</h1>");
    assert_only_own_markup(page);
    free(page);
}

// A copy-number call: a second figure with the genes' copy numbers and the thresholds.
static void test_copy_number_figure(void **state)
{
    fixture *f = *state;
    cm_alteration erbb2;
    cm_alteration_init(&erbb2);
    erbb2.kind = CM_ALTERATION_COPY_NUMBER;
    erbb2.gene = slice("ERBB2<amp>");
    erbb2.chrom = slice("chr17");
    erbb2.pos = 39687914;
    erbb2.copy_number = 8.5;
    erbb2.cnv = CM_CNV_AMPLIFICATION;
    erbb2.is_pass = 1;
    const cm_alteration *listed[3] = {&f->evil, &f->other, &erbb2};
    f->result.alterations = listed;
    f->result.n_alterations = 3;
    char *page = render(&f->report);
    assert_only_own_markup(page);
    assert_contains(page, "<title>Copy number of rule genes of sample S&lt;script&gt;");
    assert_contains(page, ">ERBB2&lt;amp&gt;</text>");
    assert_contains(page, "<title>ERBB2&lt;amp&gt; amplification, 8.5 copies</title></rect>");
    assert_contains(page, ">amplification \xE2\x89\xA5 6</text>");
    assert_contains(page, ">gain \xE2\x89\xA5 3</text>");
    assert_contains(page, ">deletion \xE2\x89\xA4 1</text>");
    assert_contains(page, "<td>ERBB2&lt;amp&gt;</td><td>amplification, 8.5 copies</td>");
    free(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hostile_strings_escaped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_structure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_several_samples, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_number_figure, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
