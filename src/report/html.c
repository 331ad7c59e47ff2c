/*
 * The tumour-board report (-O html): one self-contained HTML page, a section
 * per sample, to mail, archive, project and print on A4. Inline CSS and
 * inline SVG only: no script, no font, no image and no other request leaves
 * the file (a Content-Security-Policy says so to the browser as well), and
 * everything reads without JavaScript.
 *
 * Per sample: the header (tumour type, sample facts with where they came
 * from, the run: tool version, rule files with version and sha256, date,
 * command line), the options grouped for the board with cohort state and
 * stage progress, evidence and the triggering alterations, the near misses,
 * "not detected is not wild-type", a figure of the sample's alterations in
 * rule genes (VAF x depth, gates as lines; copy number against the
 * thresholds) and the table of those alterations.
 *
 * Every byte that comes from an input (sample names, genes, HGVS, rule text,
 * paths) goes through cm_svg_escape(): this file appends input text in no
 * other way. It formats the matcher's verdicts and never evaluates rules.
 */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cohortmatch/profile.h"
#include "cohortmatch/svg.h"

// Okabe-Ito colours (distinguishable with the common colour-vision deficiencies); every
// colour is paired with a shape or a line style, so the figure also reads in grey.
#define COLOUR_MATCHED "#0072B2"   // blue
#define COLOUR_RULED_OUT "#D55E00" // vermillion
#define COLOUR_OTHER "#666666"     // grey
#define COLOUR_GATE "#E69F00"      // orange
#define COLOUR_GAIN "#0072B2"
#define COLOUR_LOSS "#D55E00"
#define COLOUR_NEUTRAL "#999999"

#define MAX_LINES 8         // distinct gate or threshold values drawn per figure
#define MAX_POINT_LABELS 40 // beyond this many points, only matched ones are labelled
#define MAX_COPY_NUMBER_BARS 40

typedef struct html_writer {
    const cm_report *report;
    kstring_t *out;
    kstring_t scratch, label;
} html_writer;

static void put_text(html_writer *w, const char *text)
{
    cm_svg_escape_str(text, w->out);
}

static void put_slice(html_writer *w, cm_slice slice)
{
    if (slice.len > 0)
        cm_svg_escape(slice.s, (size_t)slice.len, w->out);
}

static void put_kstring(html_writer *w, const kstring_t *text)
{
    if (text->l > 0)
        cm_svg_escape(text->s, text->l, w->out);
}

// A table cell with an input text, or an en dash when there is none.
static void put_cell_slice(html_writer *w, cm_slice slice)
{
    kputs("<td>", w->out);
    if (slice.len > 0)
        put_slice(w, slice);
    else
        kputs("&ndash;", w->out);
    kputs("</td>", w->out);
}

static void put_cell_kstring(html_writer *w, const kstring_t *text, const char *css_class)
{
    if (css_class)
        ksprintf(w->out, "<td class=\"%s\">", css_class);
    else
        kputs("<td>", w->out);
    if (text->l > 0)
        put_kstring(w, text);
    else
        kputs("&ndash;", w->out);
    kputs("</td>", w->out);
}

static const char page_css[] =
    ":root{--ink:#1a1a1a;--muted:#555;--line:#ccc;--soft:#f3f5f7;--matched:#0072B2;"
    "--ruled:#D55E00;--gate:#E69F00}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;padding:16px 24px;color:var(--ink);background:#fff;"
    "font:14px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,"
    "sans-serif}\n"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:18px 0 6px;"
    "border-bottom:2px solid var(--ink);padding-bottom:2px}h3{font-size:15px;margin:0 0 4px}\n"
    "table{border-collapse:collapse;width:100%;margin:4px 0 8px}\n"
    "th,td{text-align:left;vertical-align:top;padding:3px 6px;border-bottom:1px solid "
    "var(--line)}\n"
    "th{background:var(--soft);font-weight:600}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "code,.mono{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,monospace;"
    "font-size:12px;overflow-wrap:anywhere}\n"
    ".sample{max-width:1000px;margin:0 auto 32px}\n"
    ".subtitle{color:var(--muted);margin:0 0 8px}\n"
    ".facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}\n"
    ".facts dt{font-weight:600}.facts dd{margin:0}\n"
    ".source{color:var(--muted);font-size:12px}\n"
    ".option{border:1px solid var(--line);border-left:6px solid var(--matched);"
    "border-radius:4px;padding:8px 10px;margin:8px 0;break-inside:avoid}\n"
    ".state{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;"
    "font-weight:600;border:1px solid var(--ink)}\n"
    ".state-open{background:#d9ecf7}.state-new{background:#fff}"
    ".state-closed,.state-suspended{background:#eee}\n"
    ".note{margin:4px 0;padding:4px 8px;background:#fdf3e1;border-left:4px solid var(--gate)}\n"
    ".caveat{margin:10px 0;padding:6px 10px;border:1px solid var(--ink);background:var(--soft)}\n"
    ".none{color:var(--muted);font-style:italic}\n"
    ".figure{break-inside:avoid;margin:8px 0}.figure svg{max-width:100%;height:auto}\n"
    ".figure figcaption{color:var(--muted);font-size:12px}\n"
    "svg text{font:11px system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;"
    "fill:#1a1a1a}\n"
    "svg .axis-title{font-size:12px;font-weight:600}svg .gate{fill:#8a5a00}\n"
    ".run{font-size:12px;color:var(--muted)}.run table{font-size:12px}\n"
    "footer{font-size:12px;color:var(--muted);margin-top:12px}\n"
    "@page{size:A4;margin:12mm 10mm}\n"
    "@media print{body{padding:0;font-size:11px}.sample{max-width:none;margin:0}"
    ".sample+.sample{break-before:page}h2{break-after:avoid}tr{break-inside:avoid}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* ---- Words for alterations ---- */

static int protein_is_parsed(const cm_alteration *a)
{
    return a->protein.kind != CM_PROTEIN_NONE && a->protein.kind != CM_PROTEIN_UNPARSED;
}

// The fusion's genes: "5'::3'" when the caller said which side is 5', else "A/B".
static void fusion_genes(const cm_alteration *a, kstring_t *out)
{
    if (a->is_five_prime == 0 && a->partner.len > 0) {
        kputsn(a->partner.s, (size_t)a->partner.len, out);
        kputs("::", out);
        kputsn(a->gene.s, (size_t)a->gene.len, out);
        return;
    }
    kputsn(a->gene.s, (size_t)a->gene.len, out);
    kputs(a->is_five_prime == 1 ? "::" : "/", out);
    if (a->partner.len > 0)
        kputsn(a->partner.s, (size_t)a->partner.len, out);
    else
        kputc('?', out);
}

// The change without the gene: "V600E", "p.Arg175fs" as written, "c.1799T>A",
// "amplification, 8.5 copies", "fusion, in frame"; plain text (escaped when written).
static void alteration_change(const cm_alteration *a, kstring_t *out)
{
    if (a->kind == CM_ALTERATION_FUSION) {
        fusion_genes(a, out);
        kputs(" fusion", out);
        if (a->in_frame >= 0)
            kputs(a->in_frame ? ", in frame" : ", out of frame", out);
        return;
    }
    if (a->kind == CM_ALTERATION_COPY_NUMBER) {
        const char *cnv = cm_report_cnv_name(a->cnv);
        kputs(cnv ? cnv : "copy number", out);
        if (isfinite(a->copy_number)) {
            kputs(", ", out);
            cm_report_format_number(a->copy_number, out);
            kputs(" copies", out);
        }
        return;
    }
    if (protein_is_parsed(a))
        cm_report_protein_short(a, out);
    else if (a->hgvsp.len > 0)
        kputsn(a->hgvsp.s, (size_t)a->hgvsp.len, out);
    else if (a->hgvsc.len > 0)
        kputsn(a->hgvsc.s, (size_t)a->hgvsc.len, out);
    else if (a->consequence)
        cm_consequence_format(a->consequence, out);
}

// "BRAF V600E", "ERBB2 amplification, 8.5 copies", "EML4::ALK fusion, in frame".
static void alteration_label(const cm_alteration *a, kstring_t *out)
{
    if (a->kind != CM_ALTERATION_FUSION && a->gene.len > 0) {
        kputsn(a->gene.s, (size_t)a->gene.len, out);
        kputc(' ', out);
    }
    alteration_change(a, out);
}

static int same_slice(cm_slice a, cm_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, (size_t)a.len) == 0);
}

// The same variant or event (any transcript of it).
static int same_variant(const cm_alteration *a, const cm_alteration *b)
{
    return a == b || (a->kind == b->kind && a->sample == b->sample && a->pos == b->pos &&
                      same_slice(a->chrom, b->chrom) && same_slice(a->ref, b->ref) &&
                      same_slice(a->alt, b->alt) && same_slice(a->gene, b->gene) &&
                      same_slice(a->partner, b->partner));
}

typedef enum alteration_role { ROLE_OTHER = 0, ROLE_RULED_OUT, ROLE_MATCHED } alteration_role;

static int in_evidence(const cm_evidence_item *items, size_t n, const cm_alteration *a)
{
    for (size_t i = 0; i < n; i++)
        if (items[i].alteration && same_variant(items[i].alteration, a))
            return 1;
    return 0;
}

// What the matcher did with an alteration: it triggered a candidate, took part in a near
// miss (an exclusion, a hit below a gate), or neither. Appends the arms (plain text) to
// arms when given.
static alteration_role role_of(const cm_sample_result *result, const cm_alteration *a,
                               kstring_t *arms)
{
    alteration_role role = ROLE_OTHER;
    for (size_t i = 0; i < result->n_candidates; i++) {
        const cm_candidate *c = &result->candidates[i];
        if (!in_evidence(c->matched, c->n_matched, a))
            continue;
        if (arms) {
            kputs(role == ROLE_MATCHED ? ", " : "candidate: ", arms);
            cm_report_protocol_arm(c->arm, arms);
        }
        role = ROLE_MATCHED;
    }
    int any_ruled_out = 0;
    for (size_t i = 0; i < result->n_ruled_out; i++) {
        const cm_ruled_out *r = &result->ruled_out[i];
        if (!in_evidence(r->matched, r->n_matched, a))
            continue;
        if (arms) {
            kputs(any_ruled_out          ? ", "
                  : role == ROLE_MATCHED ? "; ruled out: "
                                         : "ruled out: ",
                  arms);
            cm_report_protocol_arm(r->arm, arms);
            ksprintf(arms, " (%s)", cm_reason_name(r->reason));
        }
        any_ruled_out = 1;
        if (role == ROLE_OTHER)
            role = ROLE_RULED_OUT;
    }
    return role;
}

/* ---- Header ---- */

static void put_fact(html_writer *w, const char *name, const kstring_t *value, const char *source)
{
    ksprintf(w->out, "<dt>%s</dt><dd>", name);
    if (value->l > 0) {
        put_kstring(w, value);
        if (source) {
            kputs(" <span class=\"source\">", w->out);
            put_text(w, source);
            kputs("</span>", w->out);
        }
    } else {
        kputs("<span class=\"none\">not given</span>", w->out);
    }
    kputs("</dd>\n", w->out);
}

// Where a fact came from: the file and column or key, the sheet and line, "command line",
// or "computed from" the first input for a TMB counted by cohortmatch.
static const char *fact_source(html_writer *w, const cm_sample_profile *profile, const char *name,
                               kstring_t *out)
{
    const cm_fact_source *source = profile ? cm_profile_fact_source(profile, name) : NULL;
    if (!source)
        return NULL;
    out->l = 0;
    if (source->origin == CM_ORIGIN_COMPUTED)
        ksprintf(out, "computed from %s", w->report->vcf_path ? w->report->vcf_path : "the VCF");
    else
        kputs(source->where ? source->where : cm_fact_origin_name(source->origin), out);
    return out->s;
}

static void put_sample_facts(html_writer *w, const cm_sample_profile *profile)
{
    kstring_t *value = &w->scratch;
    kstring_t *source = &w->label;
    kputs("<dl class=\"facts\">\n", w->out);

    value->l = 0;
    if (profile && isfinite(profile->tmb)) {
        cm_report_format_fixed(profile->tmb, 2, value);
        kputs(" mut/Mb", value);
    }
    put_fact(w, "TMB", value, fact_source(w, profile, "tmb", source));

    const char *text = profile ? cm_report_msi_name(profile->msi) : NULL;
    value->l = 0;
    kputs(text ? text : "", value);
    put_fact(w, "MSI", value, fact_source(w, profile, "msi", source));

    text = profile ? cm_report_mmr_name(profile->mmr) : NULL;
    value->l = 0;
    kputs(text ? text : "", value);
    put_fact(w, "MMR", value, fact_source(w, profile, "mmr", source));

    value->l = 0;
    if (profile)
        cm_profile_fact_text(profile, "hrd", value);
    put_fact(w, "HRD", value, fact_source(w, profile, "hrd", source));
    value->l = 0;
    if (profile)
        cm_profile_fact_text(profile, "purity", value);
    put_fact(w, "Purity", value, fact_source(w, profile, "purity", source));

    value->l = 0;
    if (profile && isfinite(profile->age))
        cm_report_format_fixed(profile->age, 2, value);
    put_fact(w, "Age", value, fact_source(w, profile, "age", source));

    text = profile ? cm_report_sex_name(profile->sex) : NULL;
    value->l = 0;
    kputs(text ? text : "", value);
    put_fact(w, "Sex", value, fact_source(w, profile, "sex", source));
    // The other named biomarkers (ploidy, signatures, sample-sheet columns), by name.
    for (size_t i = 0; profile && i < profile->n_biomarkers; i++) {
        const char *name = profile->biomarkers[i].name;
        if (strcmp(name, "hrd") == 0 || strcmp(name, "purity") == 0)
            continue;
        value->l = 0;
        cm_profile_fact_text(profile, name, value);
        put_fact(w, name, value, fact_source(w, profile, name, source));
    }
    kputs("</dl>\n", w->out);
    // Sources that disagree: never resolved silently.
    for (size_t i = 0; profile && i < profile->n_conflicts; i++) {
        value->l = 0;
        cm_report_conflict_text(&profile->conflicts[i], value);
        kputs("<p class=\"note\">Sources disagree on ", w->out);
        put_kstring(w, value);
        kputs("</p>\n", w->out);
    }
}

static void put_run(html_writer *w)
{
    const cm_report *report = w->report;
    kputs("<details class=\"run\" open><summary>Run: cohortmatch " CM_VERSION, w->out);
    if (report->date) {
        kputs(", ", w->out);
        put_text(w, report->date);
    }
    kputs("</summary>\n<dl class=\"facts\">\n", w->out);
    if (report->n_inputs == 0) {
        kputs("<dt>Input</dt><dd><code>", w->out);
        put_text(w, report->vcf_path ? report->vcf_path : "-");
        kputs("</code></dd>\n", w->out);
    }
    for (size_t i = 0; i < report->n_inputs; i++) {
        kputs("<dt>Input</dt><dd><code>", w->out);
        put_text(w, report->inputs[i].path);
        kputs("</code> <span class=\"source\">", w->out);
        put_text(w, report->inputs[i].format);
        kputs("</span></dd>\n", w->out);
    }
    for (size_t i = 0; i < report->n_ignored; i++) {
        kputs("<dt>Ignored</dt><dd><code>", w->out);
        put_text(w, report->ignored[i]);
        kputs("</code></dd>\n", w->out);
    }
    const cm_oncotree *tree = report->rules ? cm_ruleset_oncotree(report->rules) : NULL;
    if (tree) {
        kputs("<dt>OncoTree</dt><dd>", w->out);
        put_text(w, cm_oncotree_release(tree));
        kputs("</dd>\n", w->out);
    }
    if (report->command_line) {
        kputs("<dt>Command</dt><dd><code>", w->out);
        put_text(w, report->command_line);
        kputs("</code></dd>\n", w->out);
    }
    kputs("</dl>\n<table><thead><tr><th>Protocol</th><th>Version</th><th>Rule file</th>"
          "<th>SHA-256</th></tr></thead><tbody>\n",
          w->out);
    size_t n = report->rules ? cm_ruleset_n_protocols(report->rules) : 0;
    for (size_t i = 0; i < n; i++) {
        const cm_protocol *protocol = cm_ruleset_protocol(report->rules, i);
        kputs("<tr><td>", w->out);
        put_text(w, protocol->id);
        if (protocol->name) {
            kputs(" <span class=\"source\">", w->out);
            put_text(w, protocol->name);
            kputs("</span>", w->out);
        }
        kputs("</td><td>", w->out);
        put_text(w, protocol->version ? protocol->version : "");
        kputs("</td><td><code>", w->out);
        put_text(w, protocol->path);
        kputs("</code></td><td><code>", w->out);
        put_text(w, protocol->sha256);
        kputs("</code></td></tr>\n", w->out);
    }
    kputs("</tbody></table>\n</details>\n", w->out);
}

static void put_sample_header(html_writer *w, const cm_sample_profile *profile)
{
    const cm_oncotree *tree = w->report->rules ? cm_ruleset_oncotree(w->report->rules) : NULL;
    kputs("<h1>Sample ", w->out);
    put_text(w, profile && profile->name ? profile->name : "?");
    kputs("</h1>\n<p class=\"subtitle\">", w->out);
    if (profile && profile->tumour_type) {
        kputs("<strong>", w->out);
        put_text(w, profile->tumour_type);
        kputs("</strong>", w->out);
        if (tree && profile->tumour_node >= 0) {
            kputs(" &ndash; ", w->out);
            put_text(w, cm_oncotree_name(tree, profile->tumour_node));
        }
        kputs(" (OncoTree)", w->out);
    } else {
        kputs("tumour type not given", w->out);
    }
    kputs(" &middot; candidate trial options for the molecular tumour board</p>\n", w->out);
    put_sample_facts(w, profile);
    put_run(w);
}

/* ---- Options ---- */

// The stage progress: "stage 2 · 14 of 24 enrolled" and a bar (an inline SVG).
// The stage progress under the protocol's design (cm_cohort_progress_get): "3 of 8, stage
// 1" and a bar (an inline SVG) of the enrolled patients over the whole design, with a mark
// at the end of each stage but the last; for a new cohort, that this patient would open it.
static void put_progress(html_writer *w, const cm_candidate *candidate)
{
    const cm_protocol *protocol = candidate->arm->protocol;
    cm_cohort_progress progress;
    int is_known = protocol && cm_cohort_progress_get(protocol, candidate->cohort, &progress);
    kstring_t *text = &w->label;
    text->l = 0;
    if (is_known)
        cm_cohort_progress_format(&progress, text);
    kputs("<div>", w->out);
    if (candidate->status == CM_COHORT_NEW)
        kputs(text->l > 0 ? "new cohort: this patient would open it<br>"
                          : "new cohort: this patient would open it",
              w->out);
    const cm_design *design = protocol ? &protocol->design : NULL;
    int full = design && design->n_stages > 0    ? design->stages[design->n_stages - 1]
               : is_known && progress.target > 0 ? progress.target
                                                 : 0;
    if (is_known && full > 0 && text->l > 0) {
        int enrolled = progress.enrolled > 0 ? progress.enrolled : 0;
        double fraction = enrolled > full ? 1 : (double)enrolled / (double)full;
        cm_svg_begin(w->out, 120, 12, text->s);
        cm_svg_rect(w->out, 0.5, 0.5, 119, 11, "#ffffff", "#1a1a1a");
        cm_svg_rect(w->out, 0.5, 0.5, 119 * fraction, 11, COLOUR_MATCHED, NULL);
        for (int i = 0; design && i + 1 < design->n_stages; i++) {
            double x = 0.5 + 119.0 * design->stages[i] / full;
            cm_svg_line(w->out, x, 0, x, 12, "#1a1a1a", 0);
        }
        cm_svg_end(w->out);
        kputc(' ', w->out);
    }
    put_kstring(w, text);
    kputs("</div>", w->out);
}

static void put_evidence(html_writer *w, const cm_arm *arm)
{
    if (arm->escat) {
        kputs("ESCAT ", w->out);
        put_text(w, arm->escat);
    }
    if (arm->oncokb) {
        kputs(arm->escat ? "<br>OncoKB " : "OncoKB ", w->out);
        put_text(w, arm->oncokb);
    }
    if (!arm->escat && !arm->oncokb)
        kputs("<span class=\"none\">not graded</span>", w->out);
}

// A table row's first cell: the protocol (with its country, unless the table has a column
// for it), and the arm under it.
static void put_arm_cell(html_writer *w, const cm_arm *arm, int with_country)
{
    kputs("<tr><td><strong>", w->out);
    put_text(w, arm->protocol ? arm->protocol->id : "?");
    kputs("</strong>", w->out);
    if (with_country && arm->protocol && arm->protocol->country) {
        kputs(" (", w->out);
        put_text(w, arm->protocol->country);
        kputc(')', w->out);
    }
    kputs("<br><span class=\"mono\">", w->out);
    put_text(w, arm->id);
    kputs("</span></td>", w->out);
}

// The arm's drugs joined by " + ".
static void put_drugs(html_writer *w, const cm_arm *arm)
{
    for (int i = 0; i < arm->n_drugs; i++) {
        if (i > 0)
            kputs(" + ", w->out);
        put_text(w, arm->drugs[i]);
    }
}

// One row of the trials table of an option.
static void put_trial_row(html_writer *w, const cm_candidate *candidate, int is_cross_border)
{
    const cm_arm *arm = candidate->arm;
    const cm_protocol *protocol = arm->protocol;
    put_arm_cell(w, arm, 0);
    kputs("<td>", w->out);
    if (protocol && protocol->country)
        put_text(w, protocol->country);
    else
        kputs("&ndash;", w->out);
    if (protocol && protocol->network) {
        kputs("<br><span class=\"source\">", w->out);
        put_text(w, protocol->network);
        kputs("</span>", w->out);
    }
    if (is_cross_border == 1)
        kputs("<br><span class=\"state\">cross-border</span>", w->out);
    kputs("</td><td>", w->out);
    const char *status = cm_report_cohort_status_name(candidate->status);
    kputs("<span class=\"state state-", w->out);
    kputs(status, w->out);
    kputs("\">", w->out);
    kputs(status, w->out);
    kputs("</span> ", w->out);
    put_text(w, candidate->cohort_tumour_type ? candidate->cohort_tumour_type : "?");
    if (candidate->cohort && candidate->cohort->note) {
        kputs("<br><span class=\"source\">", w->out);
        put_text(w, candidate->cohort->note);
        kputs("</span>", w->out);
    }
    kputs("</td><td>", w->out);
    put_progress(w, candidate);
    kputs("</td><td>", w->out);
    put_evidence(w, arm);
    if (arm->criteria == CM_CRITERIA_INFERRED)
        kputs("<br><strong>biomarker inferred</strong>", w->out);
    kputs("</td></tr>\n", w->out);
}

static void put_number_cell(html_writer *w, double value, int decimals, double scale,
                            const char *suffix)
{
    kputs("<td class=\"num\">", w->out);
    if (isfinite(value)) {
        cm_report_format_fixed(value * scale, decimals, w->out);
        kputs(suffix, w->out);
    } else {
        kputs("&ndash;", w->out);
    }
    kputs("</td>", w->out);
}

static void put_depth_cell(html_writer *w, int depth)
{
    if (depth >= 0)
        ksprintf(w->out, "<td class=\"num\">%d</td>", depth);
    else
        kputs("<td class=\"num\">&ndash;</td>", w->out);
}

// Where an alteration was read: the input's name and line (or key), as the text, TSV and JSON
// reports say it; the VCF's path when the run names no inputs.
static void put_alteration_source(html_writer *w, const cm_alteration *a)
{
    kstring_t source = {0, 0, NULL};
    cm_report_alteration_source(w->report, a, &source);
    if (source.l > 0)
        put_kstring(w, &source);
    else
        put_text(w, w->report->vcf_path ? w->report->vcf_path : "-");
    free(source.s);
}

// The triggering alterations (and sample-level facts) of a candidate.
static void put_triggers(html_writer *w, const cm_sample_profile *profile,
                         const cm_candidate *candidate)
{
    kputs("<table><thead><tr><th>Gene</th><th>Change</th><th>Transcript</th>"
          "<th class=\"num\">VAF</th><th class=\"num\">Depth</th><th>Source</th>"
          "<th>Rule</th></tr></thead><tbody>\n",
          w->out);
    for (size_t i = 0; i < candidate->n_matched; i++) {
        const cm_evidence_item *item = &candidate->matched[i];
        const cm_alteration *a = item->alteration;
        kputs("<tr>", w->out);
        if (a) {
            put_cell_slice(w, a->gene);
            kstring_t *change = &w->scratch;
            change->l = 0;
            alteration_change(a, change);
            kputs("<td><strong>", w->out);
            put_kstring(w, change);
            kputs("</strong>", w->out);
            change->l = 0;
            if (protein_is_parsed(a) && cm_report_protein_hgvs(a, change)) {
                kputs("<br><span class=\"mono\">", w->out);
                put_kstring(w, change);
                kputs("</span>", w->out);
            }
            if (a->hgvsc.len > 0 && (protein_is_parsed(a) || a->hgvsp.len > 0)) {
                kputs("<br><span class=\"mono\">", w->out);
                put_slice(w, a->hgvsc);
                kputs("</span>", w->out);
            }
            kputs("</td>", w->out);
            kputs("<td class=\"mono\">", w->out);
            if (a->transcript.len > 0)
                put_slice(w, a->transcript);
            else
                kputs("&ndash;", w->out);
            if (a->exon > 0) {
                kputs(a->exon_last > a->exon ? "<br>exons " : "<br>exon ", w->out);
                cm_report_exons(a, 1, w->out);
            }
            kputs("</td>", w->out);
            put_number_cell(w, a->vaf, 1, 100, "%");
            put_depth_cell(w, a->depth);
            kputs("<td class=\"mono\">", w->out);
            put_alteration_source(w, a);
            if (!a->is_pass)
                kputs("<br>FILTER not PASS", w->out);
            kputs("</td>", w->out);
        } else {
            const char *key = cm_report_biomarker_key(w->report->rules, item->leaf);
            kputs("<td>", w->out);
            put_text(w, key ? key : "biomarker");
            kputs("</td><td><strong>", w->out);
            kstring_t *value = &w->scratch;
            value->l = 0;
            cm_report_biomarker_value(profile, key, value);
            if (key && strcmp(key, "tmb") == 0)
                kputs(" mut/Mb", value);
            put_kstring(w, value);
            kputs("</strong></td><td>&ndash;</td><td class=\"num\">&ndash;</td>"
                  "<td class=\"num\">&ndash;</td><td>sample fact</td>",
                  w->out);
        }
        kputs("<td class=\"mono\">", w->out);
        put_text(w, item->name ? item->name : "inline rule");
        kputs("</td></tr>\n", w->out);
    }
    kputs("</tbody></table>\n", w->out);
}

// The option's title: the drugs and the triggers the group's trials share ("vemurafenib +
// cobimetinib — BRAF p.Val600Glu (V600E)").
static void put_option_title(html_writer *w, const cm_sample_result *result, const cm_group *group)
{
    const cm_arm *arm = result->candidates[group->members[0].candidate].arm;
    kputs("<h3>", w->out);
    put_drugs(w, arm);
    if (arm->n_drugs == 0)
        kputs("(no drug listed)", w->out);
    kstring_t *triggers = &w->label;
    triggers->l = 0;
    for (size_t i = 0; i < group->n_triggers; i++) {
        if (i > 0)
            kputs(", ", triggers);
        cm_report_trigger(w->report->rules, result->profile, group->triggers[i], triggers);
    }
    if (triggers->l > 0) {
        kputs(" &mdash; ", w->out);
        put_kstring(w, triggers);
    }
    kputs("</h3>\n", w->out);
}

// One option for the board: the drugs for one trigger, with every trial that offers them.
static void put_option(html_writer *w, const cm_sample_result *result, const cm_group *group,
                       size_t number)
{
    const cm_sample_profile *profile = result->profile;
    ksprintf(w->out, "<div class=\"option\" id=\"option-%zu\">\n", number);
    put_option_title(w, result, group);
    kputs("<table><thead><tr><th>Trial / arm</th><th>Country</th><th>Cohort</th>"
          "<th>Stage progress</th><th>Evidence</th></tr></thead><tbody>\n",
          w->out);
    for (size_t i = 0; i < group->n_members; i++)
        put_trial_row(w, &result->candidates[group->members[i].candidate],
                      group->members[i].is_cross_border);
    kputs("</tbody></table>\n", w->out);
    for (size_t i = 0; i < group->n_members; i++) {
        const cm_candidate *candidate = &result->candidates[group->members[i].candidate];
        const cm_arm *arm = candidate->arm;
        if (group->n_members > 1) {
            kputs("<p class=\"source\"><strong>", w->out);
            put_text(w, arm->protocol ? arm->protocol->id : "?");
            kputs(" ", w->out);
            put_text(w, arm->id);
            kputs("</strong></p>\n", w->out);
        }
        put_triggers(w, profile, candidate);
        if (arm->criteria == CM_CRITERIA_INFERRED) {
            kputs("<p class=\"note\"><strong>Biomarker inferred</strong> &mdash; confirm with the "
                  "trial",
                  w->out);
            if (arm->note) {
                kputs(": ", w->out);
                put_text(w, arm->note);
            }
            kputs("</p>\n", w->out);
        }
        if (arm->exclude) {
            kputs("<p class=\"source\">Excluding alterations not detected: ", w->out);
            kstring_t *names = &w->label;
            names->l = 0;
            cm_report_exclusion_names(arm->exclude, names);
            put_kstring(w, names);
            kputs(" (not detected is not proof of absence)</p>\n", w->out);
        }
        for (size_t k = 0; k < candidate->n_notes; k++) {
            kputs("<p class=\"note\"><strong>Note:</strong> ", w->out);
            put_text(w, candidate->notes[k]);
            kputs("</p>\n", w->out);
        }
        if (arm->source) {
            kputs("<p class=\"source\">Source: ", w->out);
            put_text(w, arm->source);
            kputs("</p>\n", w->out);
        }
    }
    kputs("</div>\n", w->out);
}

// Candidates grouped into options for the board: the cross-trial groups of the network
// view (cm_groups_build: the same drugs for the same trigger; home-country trials first).
// Returns 0, or -1 when out of memory.
static int put_options(html_writer *w, const cm_sample_result *result)
{
    cm_groups groups;
    if (cm_groups_build(w->report->rules, result, w->report->home_country, &groups) < 0)
        return -1;
    ksprintf(w->out, "<h2>Options for the board (%zu)</h2>\n", groups.n_groups);
    if (result->n_candidates == 0)
        kputs("<p class=\"none\">No candidate arms.</p>\n", w->out);
    for (size_t g = 0; g < groups.n_groups; g++)
        put_option(w, result, &groups.groups[g], g + 1);
    cm_groups_clear(&groups);
    return 0;
}

static void put_near_misses(html_writer *w, const cm_sample_result *result)
{
    ksprintf(w->out, "<h2>Near misses: ruled out (%zu)</h2>\n", result->n_ruled_out);
    if (result->n_ruled_out == 0) {
        kputs("<p class=\"none\">No arm was ruled out.</p>\n", w->out);
        return;
    }
    kputs("<table><thead><tr><th>Trial / arm</th><th>Drugs</th><th>Reason</th>"
          "<th>Detail</th></tr></thead><tbody>\n",
          w->out);
    for (size_t i = 0; i < result->n_ruled_out; i++) {
        const cm_ruled_out *r = &result->ruled_out[i];
        put_arm_cell(w, r->arm, 1);
        kputs("<td>", w->out);
        put_drugs(w, r->arm);
        kputs("</td><td>", w->out);
        kputs(cm_report_reason_words(r->reason), w->out);
        kputs(" <span class=\"mono source\">", w->out);
        kputs(cm_reason_name(r->reason), w->out);
        kputs("</span></td><td>", w->out);
        put_text(w, r->detail && *r->detail ? r->detail : "");
        kputs("</td></tr>\n", w->out);
    }
    kputs("</tbody></table>\n", w->out);
}

static void put_not_detected(html_writer *w)
{
    kputs("<p class=\"caveat\"><strong>Not detected is not wild-type.</strong> An alteration "
          "missing from this report was not detected in the input; that is proof of a "
          "wild-type gene only where the assay covered the gene with enough depth. Arms "
          "that need the absence of an alteration (exclusions) are listed on that "
          "assumption: confirm the coverage before the board.</p>\n",
          w->out);
}

/* ---- The figure ---- */

static void add_distinct(double *values, size_t *n, double value)
{
    if (!isfinite(value))
        return;
    for (size_t i = 0; i < *n; i++)
        if (values[i] == value)
            return;
    if (*n < MAX_LINES)
        values[(*n)++] = value;
}

// The VAF and depth gates of the arms the sample has a verdict for (else the gates every
// arm starts from: the command line's over the built-in ones).
static void sample_gates(const html_writer *w, const cm_sample_result *result, double *vafs,
                         size_t *n_vafs, double *depths, size_t *n_depths)
{
    cm_gates gates;
    *n_vafs = *n_depths = 0;
    for (size_t i = 0; i < result->n_candidates + result->n_ruled_out; i++) {
        const cm_arm *arm = i < result->n_candidates
                                ? result->candidates[i].arm
                                : result->ruled_out[i - result->n_candidates].arm;
        cm_arm_gates(arm, w->report->gates, &gates);
        add_distinct(vafs, n_vafs, gates.min_vaf);
        if (gates.min_depth > 0)
            add_distinct(depths, n_depths, gates.min_depth);
    }
    if (*n_vafs == 0 && *n_depths == 0) {
        cm_gates builtin;
        if (w->report->gates)
            gates = *w->report->gates;
        else
            cm_gates_unset(&gates);
        cm_gates_builtin(&builtin);
        cm_gates_inherit(&gates, &builtin);
        add_distinct(vafs, n_vafs, gates.min_vaf);
        if (gates.min_depth > 0)
            add_distinct(depths, n_depths, gates.min_depth);
    }
}

// Point labels already placed, so that the next one can move out of their way.
#define MAX_LABEL_BOXES 64
typedef struct label_boxes {
    double x[MAX_LABEL_BOXES], y[MAX_LABEL_BOXES], width[MAX_LABEL_BOXES];
    size_t n;
} label_boxes;

// The baseline for a label of `length` characters starting at x, as near to y as it can be
// without overlapping a label placed before (11-pixel text: about 6 pixels a character).
static double place_label(label_boxes *boxes, double x, double y, size_t length)
{
    static const double shifts[] = {0, 11, -11, 22, -22, 33, -33};
    double width = 6.0 * (double)length;
    double chosen = y;
    for (size_t s = 0; s < sizeof shifts / sizeof shifts[0]; s++) {
        double candidate = y + shifts[s];
        int overlaps = 0;
        for (size_t i = 0; i < boxes->n && !overlaps; i++)
            overlaps = fabs(boxes->y[i] - candidate) < 11 && x < boxes->x[i] + boxes->width[i] &&
                       boxes->x[i] < x + width;
        if (!overlaps) {
            chosen = candidate;
            break;
        }
    }
    if (boxes->n < MAX_LABEL_BOXES) {
        boxes->x[boxes->n] = x;
        boxes->y[boxes->n] = chosen;
        boxes->width[boxes->n] = width;
        boxes->n++;
    }
    return chosen;
}

static const cm_svg_legend_entry point_legend[] = {
    {CM_SVG_CIRCLE, COLOUR_MATCHED, 1, 0, 0, "triggers a candidate"},
    {CM_SVG_TRIANGLE, COLOUR_RULED_OUT, 1, 0, 0, "in a near miss"},
    {CM_SVG_SQUARE, COLOUR_OTHER, 0, 0, 0, "other, in a rule gene"},
    {CM_SVG_CIRCLE, COLOUR_GATE, 0, 1, 1, "quality gate"},
};

static void put_variant_figure(html_writer *w, const cm_sample_result *result)
{
    size_t n_drawn = 0, n_undrawn = 0, n_other_kinds = 0;
    int max_depth = 0, min_depth = -1;
    for (size_t i = 0; i < result->n_alterations; i++) {
        const cm_alteration *a = result->alterations[i];
        if (a->kind != CM_ALTERATION_SMALL) {
            n_other_kinds++;
            continue;
        }
        if (!isfinite(a->vaf) || a->depth < 0) {
            n_undrawn++;
            continue;
        }
        n_drawn++;
        if (a->depth > max_depth)
            max_depth = a->depth;
        if (min_depth < 0 || a->depth < min_depth)
            min_depth = a->depth;
    }
    // A sample with only copy-number calls or fusions in rule genes gets no empty plot.
    if (n_drawn == 0 && n_undrawn == 0 && n_other_kinds > 0) {
        kputs("<p class=\"none\">No small variant in a rule gene.</p>\n", w->out);
        return;
    }
    double vafs[MAX_LINES], depths[MAX_LINES];
    size_t n_vafs, n_depths;
    sample_gates(w, result, vafs, &n_vafs, depths, &n_depths);

    // Depth on a log scale from 1 or 10 to the power of ten above the deepest (at least 1000).
    double depth_min = min_depth >= 0 && min_depth < 10 ? 1 : 10, depth_max = 1000;
    while (depth_max < max_depth && depth_max < 1e9)
        depth_max *= 10;
    double depth_ticks[12];
    size_t n_depth_ticks = 0;
    for (double t = depth_min; t <= depth_max && n_depth_ticks < 12; t *= 10)
        depth_ticks[n_depth_ticks++] = t;
    static const double vaf_ticks[] = {0, 0.25, 0.5, 0.75, 1};

    cm_svg_plot plot = {70,
                        16,
                        420,
                        230,
                        {CM_SVG_LOG10, depth_min, depth_max, "Read depth (log)"},
                        {CM_SVG_LINEAR, 0, 1, "Variant allele fraction"}};
    kstring_t *title = &w->label;
    title->l = 0;
    kputs("Small variants in rule genes of sample ", title);
    kputs(result->profile && result->profile->name ? result->profile->name : "?", title);
    kputs(" by read depth and VAF", title);
    label_boxes labels = {0};
    kputs("<figure class=\"figure\">\n", w->out);
    cm_svg_begin(w->out, 680, 300, title->s);
    cm_svg_ticks x_ticks = {depth_ticks, n_depth_ticks, 0, NULL, NULL, 1};
    cm_svg_ticks y_ticks = {vaf_ticks, 5, 0, "%", NULL, 100};
    cm_svg_axes(w->out, &plot, &x_ticks, &y_ticks);
    for (size_t i = 0; i < n_vafs; i++) {
        title->l = 0;
        kputs("min VAF ", title);
        cm_report_format_fixed(vafs[i] * 100, 1, title);
        kputc('%', title);
        cm_svg_plot_hline(w->out, &plot, vafs[i], COLOUR_GATE, 1, title->s);
    }
    for (size_t i = 0; i < n_depths; i++) {
        title->l = 0;
        kputs("min depth ", title);
        cm_report_format_fixed(depths[i], 0, title);
        cm_svg_plot_vline(w->out, &plot, depths[i], COLOUR_GATE, 1, title->s);
    }
    if (n_drawn == 0)
        cm_svg_text(w->out, plot.left + plot.width / 2, plot.top + plot.height / 2, "middle", NULL,
                    "no small variant in a rule gene");
    // Others first, matched last, so that what matters is drawn on top.
    for (int pass = ROLE_OTHER; pass <= ROLE_MATCHED; pass++) {
        for (size_t i = 0; i < result->n_alterations; i++) {
            const cm_alteration *a = result->alterations[i];
            if (a->kind != CM_ALTERATION_SMALL || !isfinite(a->vaf) || a->depth < 0)
                continue;
            kstring_t *arms = &w->scratch;
            arms->l = 0;
            alteration_role role = role_of(result, a, arms);
            if ((int)role != pass)
                continue;
            title->l = 0;
            alteration_label(a, title);
            kputs(", VAF ", title);
            cm_report_format_fixed(a->vaf * 100, 1, title);
            ksprintf(title, "%%, depth %d", a->depth);
            if (arms->l > 0) {
                kputs("; ", title);
                kputsn(arms->s, arms->l, title);
            }
            cm_svg_marker marker = role == ROLE_MATCHED     ? CM_SVG_CIRCLE
                                   : role == ROLE_RULED_OUT ? CM_SVG_TRIANGLE
                                                            : CM_SVG_SQUARE;
            const char *colour = role == ROLE_MATCHED     ? COLOUR_MATCHED
                                 : role == ROLE_RULED_OUT ? COLOUR_RULED_OUT
                                                          : COLOUR_OTHER;
            cm_svg_point(w->out, &plot, a->depth, a->vaf, 5, marker, colour, role != ROLE_OTHER,
                         title->s);
            if (role == ROLE_MATCHED || n_drawn <= MAX_POINT_LABELS) {
                title->l = 0;
                alteration_label(a, title);
                double x = cm_svg_plot_x(&plot, a->depth) + 8;
                double y = place_label(&labels, x, cm_svg_plot_y(&plot, a->vaf) + 4, title->l);
                cm_svg_text(w->out, x, y, "start", NULL, title->s);
            }
        }
    }
    cm_svg_legend(w->out, 512, 30, point_legend, sizeof point_legend / sizeof point_legend[0]);
    cm_svg_end(w->out);
    kputs("<figcaption>Small variants of the sample in genes that a rule names, one point "
          "per variant (its preferred transcript), by read depth and VAF; dashed lines: the "
          "quality gates of the arms with a verdict for this sample.",
          w->out);
    if (n_undrawn > 0)
        ksprintf(w->out, " %zu variant%s without a VAF or depth %s not drawn.", n_undrawn,
                 n_undrawn == 1 ? "" : "s", n_undrawn == 1 ? "is" : "are");
    kputs("</figcaption>\n</figure>\n", w->out);
}

static void put_copy_number_figure(html_writer *w, const cm_sample_result *result)
{
    const cm_alteration *bars[MAX_COPY_NUMBER_BARS];
    size_t n_bars = 0, n_more = 0;
    double max_copies = 0;
    for (size_t i = 0; i < result->n_alterations; i++) {
        const cm_alteration *a = result->alterations[i];
        if (a->kind != CM_ALTERATION_COPY_NUMBER || !isfinite(a->copy_number))
            continue;
        if (n_bars == MAX_COPY_NUMBER_BARS) {
            n_more++;
            continue;
        }
        bars[n_bars++] = a;
        if (a->copy_number > max_copies)
            max_copies = a->copy_number;
    }
    if (n_bars == 0)
        return;
    double amplification[MAX_LINES], gain[MAX_LINES], loss[MAX_LINES];
    size_t n_amplification = 0, n_gain = 0, n_loss = 0;
    size_t n_protocols = w->report->rules ? cm_ruleset_n_protocols(w->report->rules) : 0;
    for (size_t i = 0; i < n_protocols; i++) {
        const cm_cnv_thresholds *t = &cm_ruleset_protocol(w->report->rules, i)->cnv_thresholds;
        add_distinct(amplification, &n_amplification, t->amplification_min);
        add_distinct(gain, &n_gain, t->gain_min);
        add_distinct(loss, &n_loss, t->deletion_max);
    }
    double top = 8;
    for (size_t i = 0; i < n_amplification; i++)
        if (amplification[i] + 2 > top)
            top = amplification[i] + 2;
    while (top < max_copies + 1)
        top += top < 20 ? 2 : 10;
    if (top > 1e6)
        top = 1e6;
    double step = top <= 12 ? 2 : top <= 30 ? 5 : top <= 100 ? 20 : top / 5;
    double y_values[8];
    size_t n_y = 0;
    for (double t = 0; t <= top + 1e-9 && n_y < 8; t += step)
        y_values[n_y++] = t;
    double x_values[MAX_COPY_NUMBER_BARS];
    const char *x_labels[MAX_COPY_NUMBER_BARS];
    // Gene names are copied into one buffer, NUL-separated, for the tick labels.
    kstring_t names = {0, 0, NULL};
    size_t offsets[MAX_COPY_NUMBER_BARS];
    for (size_t i = 0; i < n_bars; i++) {
        x_values[i] = (double)i;
        offsets[i] = names.l;
        kputsn(bars[i]->gene.s, (size_t)bars[i]->gene.len, &names);
        kputc('\0', &names);
    }
    for (size_t i = 0; i < n_bars; i++)
        x_labels[i] = names.s + offsets[i];

    // 48 pixels a gene (at least 6 genes wide), the legend to the right of the plot.
    double plot_width = 48.0 * (double)(n_bars < 6 ? 6 : n_bars);
    double width = 70 + plot_width + 190;
    cm_svg_plot plot = {70,
                        16,
                        plot_width,
                        200,
                        {CM_SVG_BAND, 0, (double)n_bars, "Gene"},
                        {CM_SVG_LINEAR, 0, top, "Copy number"}};
    kstring_t *title = &w->label;
    title->l = 0;
    kputs("Copy number of rule genes of sample ", title);
    kputs(result->profile && result->profile->name ? result->profile->name : "?", title);
    kputs(" against the protocols' thresholds", title);
    kputs("<figure class=\"figure\">\n", w->out);
    cm_svg_begin(w->out, (int)width, 270, title->s);
    cm_svg_ticks x_ticks = {x_values, n_bars, 0, NULL, x_labels, 1};
    cm_svg_ticks y_ticks = {y_values, n_y, 0, NULL, NULL, 1};
    cm_svg_axes(w->out, &plot, &x_ticks, &y_ticks);
    for (size_t i = 0; i < n_bars; i++) {
        const cm_alteration *a = bars[i];
        alteration_role role = role_of(result, a, NULL);
        unsigned cnv = a->cnv;
        const char *colour = cnv & (CM_CNV_AMPLIFICATION | CM_CNV_GAIN) ? COLOUR_GAIN
                             : cnv & (CM_CNV_DELETION | CM_CNV_HOMOZYGOUS_DELETION)
                                 ? COLOUR_LOSS
                                 : COLOUR_NEUTRAL;
        title->l = 0;
        alteration_label(a, title);
        if (role == ROLE_MATCHED)
            kputs("; triggers a candidate", title);
        else if (role == ROLE_RULED_OUT)
            kputs("; in a near miss", title);
        cm_svg_plot_bar(w->out, &plot, i, 0, a->copy_number, 0.6, colour, title->s);
        if (role != ROLE_OTHER)
            cm_svg_point(w->out, &plot, (double)i + 0.5, a->copy_number, 4,
                         role == ROLE_MATCHED ? CM_SVG_CIRCLE : CM_SVG_TRIANGLE,
                         role == ROLE_MATCHED ? COLOUR_MATCHED : COLOUR_RULED_OUT, 1, NULL);
    }
    for (size_t i = 0; i < n_amplification; i++) {
        title->l = 0;
        kputs("amplification \xE2\x89\xA5 ", title);
        cm_report_format_number(amplification[i], title);
        cm_svg_plot_hline(w->out, &plot, amplification[i], COLOUR_GATE, 1, title->s);
    }
    for (size_t i = 0; i < n_gain; i++) {
        title->l = 0;
        kputs("gain \xE2\x89\xA5 ", title);
        cm_report_format_number(gain[i], title);
        cm_svg_plot_hline(w->out, &plot, gain[i], COLOUR_GATE, 1, title->s);
    }
    for (size_t i = 0; i < n_loss; i++) {
        title->l = 0;
        kputs("deletion \xE2\x89\xA4 ", title);
        cm_report_format_number(loss[i], title);
        cm_svg_plot_hline(w->out, &plot, loss[i], COLOUR_GATE, 1, title->s);
    }
    static const cm_svg_legend_entry legend[] = {
        {CM_SVG_SQUARE, COLOUR_GAIN, 1, 0, 0, "gain or amplification"},
        {CM_SVG_SQUARE, COLOUR_LOSS, 1, 0, 0, "deletion"},
        {CM_SVG_SQUARE, COLOUR_NEUTRAL, 1, 0, 0, "no call"},
        {CM_SVG_CIRCLE, COLOUR_MATCHED, 1, 0, 0, "triggers a candidate"},
        {CM_SVG_TRIANGLE, COLOUR_RULED_OUT, 1, 0, 0, "in a near miss"},
        {CM_SVG_CIRCLE, COLOUR_GATE, 0, 1, 1, "threshold"},
    };
    cm_svg_legend(w->out, 70 + plot_width + 22, 30, legend, sizeof legend / sizeof legend[0]);
    cm_svg_end(w->out);
    kputs("<figcaption>Copy number of the rule genes with a copy-number call; dashed lines: "
          "the protocols' thresholds for amplification, gain and deletion.",
          w->out);
    if (n_more > 0)
        ksprintf(w->out, " %zu more are in the table below.", n_more);
    kputs("</figcaption>\n</figure>\n", w->out);
    free(names.s);
}

/* ---- The alteration table ---- */

static void put_alteration_table(html_writer *w, const cm_sample_result *result)
{
    ksprintf(w->out, "<h2>Alterations in rule genes (%zu)</h2>\n", result->n_alterations);
    if (result->n_alterations_not_kept > 0)
        ksprintf(w->out,
                 "<p class=\"note\">%zu more alterations in rule genes were found but not kept "
                 "(at most %d per sample are shown).</p>\n",
                 result->n_alterations_not_kept, CM_MATCH_MAX_SAMPLE_ALTERATIONS);
    if (result->n_alterations == 0) {
        kputs("<p class=\"none\">No alteration was detected in a gene that a rule names.</p>\n",
              w->out);
        return;
    }
    kputs("<table><thead><tr><th>Gene</th><th>Change</th><th>Consequence</th>"
          "<th>Transcript</th><th>Position</th><th class=\"num\">VAF</th>"
          "<th class=\"num\">Depth</th><th>FILTER</th><th>Source</th><th>Verdicts</th>"
          "</tr></thead><tbody>\n",
          w->out);
    kstring_t *text = &w->scratch;
    kstring_t *arms = &w->label;
    for (size_t i = 0; i < result->n_alterations; i++) {
        const cm_alteration *a = result->alterations[i];
        arms->l = 0;
        alteration_role role = role_of(result, a, arms);
        kputs(role == ROLE_MATCHED     ? "<tr class=\"matched\">"
              : role == ROLE_RULED_OUT ? "<tr class=\"ruled-out\">"
                                       : "<tr>",
              w->out);
        put_cell_slice(w, a->gene);
        text->l = 0;
        alteration_change(a, text);
        if (a->kind == CM_ALTERATION_SMALL && protein_is_parsed(a)) {
            kputs(" (", text);
            cm_report_protein_hgvs(a, text);
            kputc(')', text);
        }
        put_cell_kstring(w, text, NULL);
        text->l = 0;
        if (a->consequence)
            cm_consequence_format(a->consequence, text);
        put_cell_kstring(w, text, "mono");
        put_cell_slice(w, a->transcript);
        text->l = 0;
        if (a->chrom.len > 0 && a->pos > 0) {
            kputsn(a->chrom.s, (size_t)a->chrom.len, text);
            ksprintf(text, ":%lld", (long long)a->pos);
            if (a->ref.len > 0 && a->alt.len > 0) {
                kputc(':', text);
                kputsn(a->ref.s, (size_t)a->ref.len, text);
                kputc(':', text);
                kputsn(a->alt.s, (size_t)a->alt.len, text);
            }
        }
        put_cell_kstring(w, text, "mono");
        put_number_cell(w, a->vaf, 1, 100, "%");
        put_depth_cell(w, a->depth);
        kputs(a->is_pass ? "<td>PASS</td>" : "<td><strong>not PASS</strong></td>", w->out);
        kputs("<td class=\"mono\">", w->out);
        put_alteration_source(w, a);
        kputs("</td>", w->out);
        if (arms->l == 0)
            kputs("<td class=\"none\">no rule holds</td>", w->out);
        else
            put_cell_kstring(w, arms, NULL);
        kputs("</tr>\n", w->out);
    }
    kputs("</tbody></table>\n", w->out);
}

/* ---- The page ---- */

static void put_stats(html_writer *w)
{
    kstring_t *line = &w->scratch;
    line->l = 0;
    cm_report_stats_text(w->report, line);
    kputs("<footer><p>", w->out);
    put_kstring(w, line);
    kputs(". Candidates are options for discussion by the molecular tumour board, not "
          "treatment recommendations; check every alteration in the source data and every "
          "cohort state with the trial office.</p></footer>\n",
          w->out);
}

static int put_sample(html_writer *w, const cm_sample_result *result, size_t index)
{
    ksprintf(w->out, "<section class=\"sample\" id=\"sample-%zu\">\n", index + 1);
    put_sample_header(w, result->profile);
    if (put_options(w, result) < 0)
        return -1;
    put_near_misses(w, result);
    put_not_detected(w);
    kputs("<h2>Figure: alterations in rule genes</h2>\n", w->out);
    put_variant_figure(w, result);
    put_copy_number_figure(w, result);
    put_alteration_table(w, result);
    put_stats(w);
    kputs("</section>\n", w->out);
    return 0;
}

int cm_report_write_html(const cm_report *report, FILE *fp, cm_error *err)
{
    kstring_t out = {0, 0, NULL};
    html_writer w = {report, &out, {0, 0, NULL}, {0, 0, NULL}};
    kputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"cohortmatch " CM_VERSION "\">\n<title>",
          &out);
    kputs("Tumour-board report: ", &out);
    if (report->n_samples == 1 && report->samples[0]->profile && report->samples[0]->profile->name)
        put_text(&w, report->samples[0]->profile->name);
    else
        ksprintf(&out, "%zu samples", report->n_samples);
    kputs("</title>\n<style>\n", &out);
    kputs(page_css, &out);
    kputs("</style>\n</head>\n<body>\n", &out);
    int status = 0;
    for (size_t i = 0; i < report->n_samples && status == 0; i++)
        status = put_sample(&w, report->samples[i], i);
    if (report->n_samples == 0) {
        kputs("<section class=\"sample\"><h1>No samples</h1>\n", &out);
        put_run(&w);
        put_stats(&w);
        kputs("</section>\n", &out);
    }
    kputs("</body>\n</html>\n", &out);
    if (status == 0 && fwrite(out.s, 1, out.l, fp) != out.l)
        status = -1;
    free(out.s);
    free(w.scratch.s);
    free(w.label.s);
    if (status != 0 || fflush(fp) != 0 || ferror(fp))
        return cm_error_set(err, NULL, 0, 0, "cannot write the HTML report");
    return 0;
}
