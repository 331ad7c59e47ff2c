/*
 * The cohort summary's writers: TSV (one row per protocol x arm x cohort
 * tumour type), JSON (docs/schema/summary.schema.json), text, and one
 * self-contained HTML page with a bar chart (the SVG writer of svg.h). They
 * format a finished summary (summary.h) and decide nothing; numbers go
 * through cm_report_format_fixed(), so every format prints the same digits.
 */
#include "cohortmatch/summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cohortmatch/svg.h"

#include "report_internal.h"

#define CM_SUMMARY_SCHEMA_VERSION 1

int cm_summary_format_parse(const char *name, cm_summary_format *format)
{
    static const char *const names[] = {"text", "tsv", "json", "html"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0) {
            *format = (cm_summary_format)i;
            return 0;
        }
    return -1;
}

/// Reasons the matcher names, in their order (cm_reason values 0 .. n-1).
static size_t n_reasons(void)
{
    size_t n = 0;
    while (n < CM_SUMMARY_MAX_REASONS && strcmp(cm_reason_name((cm_reason)n), "unknown") != 0)
        n++;
    return n;
}

static void put_drugs(const cm_arm *arm, const char *separator, kstring_t *out)
{
    for (int i = 0; i < arm->n_drugs; i++) {
        if (i)
            kputs(separator, out);
        kputs(arm->drugs[i], out);
    }
}

/// "." for a stage, target or count of 0 (not stated).
static void put_count_or_dot(int value, kstring_t *out)
{
    if (value > 0)
        kputw(value, out);
    else
        kputc('.', out);
}

/* ---- TSV ---- */

static int write_tsv(const cm_summary *s, FILE *fp)
{
    kstring_t line = {0, 0, NULL};
    size_t reasons = n_reasons();
    kputs("protocol\tarm\tdrugs\ttumour_type\tcohort_status\tscreened\teligible\t"
          "eligible_fraction\truled_out",
          &line);
    for (size_t r = 0; r < reasons; r++) {
        kputc('\t', &line);
        kputs(cm_reason_name((cm_reason)r), &line);
    }
    kputs("\tstage\tenrolled\ttarget\tremaining\tper_month\tmonths\tforecast\n", &line);
    for (size_t i = 0; i < cm_summary_n_rows(s); i++) {
        const cm_summary_row *row = cm_summary_row_at(s, i);
        ksprintf(&line, "%s\t%s\t", row->arm->protocol->id, row->arm->id);
        put_drugs(row->arm, ",", &line);
        ksprintf(&line, "\t%s\t%s\t%ld\t%ld\t", row->tumour_type,
                 cm_report_cohort_status_name(row->status), cm_summary_screened(s), row->eligible);
        cm_report_format_fixed(row->eligible_fraction, 4, &line);
        ksprintf(&line, "\t%ld", row->ruled_out_total);
        for (size_t r = 0; r < reasons; r++)
            ksprintf(&line, "\t%ld", row->ruled_out[r]);
        ksprintf(&line, "\t%d\t%d\t", row->stage, row->enrolled);
        put_count_or_dot(row->target, &line);
        kputc('\t', &line);
        if (row->target > 0)
            kputw(row->remaining, &line);
        else
            kputc('.', &line);
        kputc('\t', &line);
        cm_report_format_fixed(row->per_month, 2, &line);
        kputc('\t', &line);
        cm_report_format_fixed(row->months, 1, &line);
        ksprintf(&line, "\t%s\n", cm_forecast_state_name(row->forecast));
    }
    int status = fwrite(line.s, 1, line.l, fp) == line.l ? 0 : -1;
    free(line.s);
    return status;
}

/* ---- JSON ---- */

typedef struct json_builder {
    int failed;
} json_builder;

static void put(json_builder *b, json_t *object, const char *key, json_t *value)
{
    if (json_object_set_new(object, key, value) != 0)
        b->failed = 1;
}

static void append(json_builder *b, json_t *array, json_t *value)
{
    if (json_array_append_new(array, value) != 0)
        b->failed = 1;
}

static json_t *text_or_null(const char *text)
{
    return text ? json_string(text) : json_null();
}

/// A number rounded as the text formats print it, or null.
static json_t *number(double value, int decimals)
{
    if (!isfinite(value))
        return json_null();
    kstring_t text = {0, 0, NULL};
    cm_report_format_fixed(value, decimals, &text);
    json_t *out = json_real(strtod(text.s, NULL));
    free(text.s);
    return out;
}

static json_t *count_or_null(int value)
{
    return value > 0 ? json_integer(value) : json_null();
}

static json_t *inputs_json(json_builder *b, const cm_summary *s)
{
    json_t *inputs = json_object();
    json_t *files = json_array();
    for (size_t i = 0; i < cm_summary_n_inputs(s); i++)
        append(b, files, json_string(cm_summary_input(s, i)));
    put(b, inputs, "results", files);
    const cm_ruleset *rules = cm_summary_rules(s);
    put(b, inputs, "oncotree", text_or_null(cm_oncotree_release(cm_ruleset_oncotree(rules))));
    json_t *list = json_array();
    for (size_t i = 0; i < cm_ruleset_n_protocols(rules); i++) {
        const cm_protocol *p = cm_ruleset_protocol(rules, i);
        json_t *entry = json_object();
        put(b, entry, "path", text_or_null(p->path));
        put(b, entry, "protocol", text_or_null(p->id));
        put(b, entry, "version", text_or_null(p->version));
        put(b, entry, "sha256", text_or_null(p->sha256));
        append(b, list, entry);
    }
    put(b, inputs, "rules", list);
    return inputs;
}

static json_t *row_json(json_builder *b, const cm_summary *s, const cm_summary_row *row,
                        size_t reasons)
{
    json_t *object = json_object();
    put(b, object, "protocol", json_string(row->arm->protocol->id));
    put(b, object, "arm", json_string(row->arm->id));
    json_t *drugs = json_array();
    for (int i = 0; i < row->arm->n_drugs; i++)
        append(b, drugs, json_string(row->arm->drugs[i]));
    put(b, object, "drugs", drugs);
    put(b, object, "tumour_type", json_string(row->tumour_type));
    json_t *cohort = json_object();
    put(b, cohort, "status", json_string(cm_report_cohort_status_name(row->status)));
    put(b, cohort, "stage", json_integer(row->stage));
    put(b, cohort, "enrolled", json_integer(row->enrolled));
    put(b, cohort, "target", count_or_null(row->target));
    put(b, object, "cohort", cohort);
    put(b, object, "eligible", json_integer(row->eligible));
    put(b, object, "eligible_fraction", number(row->eligible_fraction, 4));
    json_t *ruled_out = json_object();
    put(b, ruled_out, "total", json_integer(row->ruled_out_total));
    for (size_t r = 0; r < reasons; r++)
        put(b, ruled_out, cm_reason_name((cm_reason)r), json_integer(row->ruled_out[r]));
    put(b, object, "ruled_out", ruled_out);
    json_t *forecast = json_object();
    put(b, forecast, "state", json_string(cm_forecast_state_name(row->forecast)));
    put(b, forecast, "remaining", row->target > 0 ? json_integer(row->remaining) : json_null());
    put(b, forecast, "per_month", number(row->per_month, 2));
    put(b, forecast, "months", number(row->months, 1));
    put(b, object, "forecast", forecast);
    (void)s;
    return object;
}

static int write_json(const cm_summary *s, FILE *fp)
{
    json_builder b = {0};
    size_t reasons = n_reasons();
    json_t *root = json_object();
    put(&b, root, "schema_version", json_integer(CM_SUMMARY_SCHEMA_VERSION));
    put(&b, root, "cohortmatch_version", json_string(CM_VERSION));
    put(&b, root, "inputs", inputs_json(&b, s));
    json_t *screened = json_object();
    put(&b, screened, "samples", json_integer(cm_summary_screened(s)));
    json_t *types = json_array();
    for (size_t i = 0; i < cm_summary_n_tumour_types(s); i++) {
        long count;
        const char *code = cm_summary_tumour_type(s, i, &count);
        json_t *entry = json_object();
        put(&b, entry, "tumour_type", json_string(code));
        put(&b, entry, "samples", json_integer(count));
        append(&b, types, entry);
    }
    put(&b, screened, "tumour_types", types);
    put(&b, root, "screened", screened);
    int is_from_span;
    double rate = cm_summary_rate_used(s, &is_from_span);
    json_t *rate_json = json_object();
    put(&b, rate_json, "patients_per_month", number(rate, 2));
    put(&b, rate_json, "source",
        isnan(rate) ? json_null()
                    : json_string(is_from_span ? "span_months" : "patients_per_month"));
    put(&b, root, "rate", rate_json);
    json_t *rows = json_array();
    for (size_t i = 0; i < cm_summary_n_rows(s); i++)
        append(&b, rows, row_json(&b, s, cm_summary_row_at(s, i), reasons));
    put(&b, root, "rows", rows);
    if (!root || b.failed) {
        json_decref(root);
        return -1;
    }
    size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15);
    int status = json_dumpf(root, fp, flags);
    json_decref(root);
    return status != 0 || fputc('\n', fp) == EOF ? -1 : 0;
}

/* ---- Text ---- */

/// The forecast in words: "2.8 months to stage 1 (8 patients, 0 enrolled)", "closed", ...
static void forecast_words(const cm_summary_row *row, kstring_t *out)
{
    switch (row->forecast) {
    case CM_FORECAST_MONTHS:
        cm_report_format_fixed(row->months, 1, out);
        ksprintf(out, " months to fill stage %d (%d of %d enrolled, ", row->stage, row->enrolled,
                 row->target);
        cm_report_format_fixed(row->per_month, 2, out);
        kputs(" eligible a month)", out);
        break;
    case CM_FORECAST_FULL:
        ksprintf(out, "stage %d is full (%d of %d)", row->stage, row->enrolled, row->target);
        break;
    case CM_FORECAST_NOT_REACHED:
        kputs("not reached: no eligible sample", out);
        break;
    case CM_FORECAST_CLOSED:
        kputs("closed: it does not fill", out);
        break;
    case CM_FORECAST_NO_DESIGN:
        kputs("no forecast: no stage size in the rules", out);
        break;
    case CM_FORECAST_NO_RATE:
        kputs("no forecast: give --patients-per-month or --span-months", out);
        break;
    }
}

static int write_text(const cm_summary *s, FILE *fp)
{
    kstring_t out = {0, 0, NULL};
    size_t reasons = n_reasons();
    long screened = cm_summary_screened(s);
    ksprintf(&out, "Cohort summary: %ld sample%s screened", screened, screened == 1 ? "" : "s");
    for (size_t i = 0; i < cm_summary_n_tumour_types(s); i++) {
        long count;
        const char *code = cm_summary_tumour_type(s, i, &count);
        ksprintf(&out, "%s%s %ld", i ? ", " : " (", code, count);
    }
    kputs(cm_summary_n_tumour_types(s) ? ")\n" : "\n", &out);
    int is_from_span;
    double rate = cm_summary_rate_used(s, &is_from_span);
    if (isnan(rate)) {
        kputs("Screening rate: not given (no forecast in months)\n", &out);
    } else {
        kputs("Screening rate: ", &out);
        cm_report_format_fixed(rate, 2, &out);
        kputs(is_from_span ? " patients a month (the samples over --span-months)\n"
                           : " patients a month\n",
              &out);
    }
    const cm_protocol *protocol = NULL;
    const cm_arm *arm = NULL;
    for (size_t i = 0; i < cm_summary_n_rows(s); i++) {
        const cm_summary_row *row = cm_summary_row_at(s, i);
        if (row->arm->protocol != protocol) {
            protocol = row->arm->protocol;
            ksprintf(&out, "\n%s", protocol->id);
            if (protocol->name)
                ksprintf(&out, " (%s)", protocol->name);
            kputc('\n', &out);
        }
        if (row->arm != arm) {
            arm = row->arm;
            ksprintf(&out, "  %s: ", arm->id);
            put_drugs(arm, " + ", &out);
            kputc('\n', &out);
        }
        ksprintf(&out, "    %-10s %-9s eligible %ld (", row->tumour_type,
                 cm_report_cohort_status_name(row->status), row->eligible);
        cm_report_format_fixed(row->eligible_fraction * 100, 1, &out);
        ksprintf(&out, "%%), ruled out %ld", row->ruled_out_total);
        const char *separator = " (";
        for (size_t r = 0; r < reasons; r++)
            if (row->ruled_out[r]) {
                ksprintf(&out, "%s%s %ld", separator, cm_reason_name((cm_reason)r),
                         row->ruled_out[r]);
                separator = ", ";
            }
        if (separator[0] == ',')
            kputc(')', &out);
        kputs("; ", &out);
        forecast_words(row, &out);
        kputc('\n', &out);
    }
    if (cm_summary_n_rows(s) == 0)
        kputs("\nNo sample was eligible for, or ruled out of, any arm.\n", &out);
    int status = fwrite(out.s, 1, out.l, fp) == out.l ? 0 : -1;
    free(out.s);
    return status;
}

/* ---- HTML ---- */

static const char summary_css[] =
    "body{margin:0;padding:16px 24px;color:#1a1a1a;background:#fff;"
    "font:14px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif}\n"
    "main{max-width:1100px;margin:0 auto}h1{font-size:22px;margin:0 0 4px}"
    "h2{font-size:17px;margin:18px 0 6px;border-bottom:2px solid #1a1a1a}\n"
    "table{border-collapse:collapse;width:100%;margin:4px 0 8px;font-size:13px}\n"
    "th,td{text-align:left;vertical-align:top;padding:3px 6px;border-bottom:1px solid #ccc}\n"
    "th{background:#f3f5f7}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".subtitle,.note{color:#555}.figure svg{max-width:100%;height:auto}\n"
    "svg text{font:11px system-ui,Arial,sans-serif;fill:#1a1a1a}"
    "svg .axis-title{font-size:12px;font-weight:600}\n"
    "@page{size:A4;margin:12mm 10mm}@media print{body{padding:0;font-size:11px}"
    "tr{break-inside:avoid}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/// Most rows the chart draws (the table lists every row).
#define CHART_MAX_ROWS 60

static void put_chart(const cm_summary *s, kstring_t *out)
{
    // The rows with eligible samples, in the table's order, at most CHART_MAX_ROWS.
    size_t n = cm_summary_n_rows(s), n_eligible = 0;
    const cm_summary_row **rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows)
        return;
    long most = 1;
    for (size_t i = 0; i < n; i++) {
        const cm_summary_row *row = cm_summary_row_at(s, i);
        if (row->eligible == 0)
            continue;
        rows[n_eligible++] = row;
        if (row->eligible > most)
            most = row->eligible;
    }
    size_t shown = n_eligible < CHART_MAX_ROWS ? n_eligible : CHART_MAX_ROWS;
    if (shown == 0) {
        kputs("<p class=\"note\">No sample was eligible for any arm.</p>\n", out);
        free(rows);
        return;
    }
    char **labels = calloc(shown, sizeof *labels);
    double *positions = calloc(shown, sizeof *positions);
    if (!labels || !positions) {
        free(rows);
        free(labels);
        free(positions);
        return;
    }
    kstring_t text = {0, 0, NULL};
    size_t longest = 0;
    for (size_t i = 0; i < shown; i++) {
        const cm_summary_row *row = rows[i];
        text.l = 0;
        ksprintf(&text, "%s %s %s", row->arm->protocol->id, row->arm->id, row->tumour_type);
        // The band axis counts from the bottom: the first row is drawn at the top.
        labels[shown - 1 - i] = strdup(text.s);
        positions[i] = (double)i;
        if (text.l > longest)
            longest = text.l;
    }
    // Room on the left for the longest label (about 7 pixels a character at 11 px).
    double left = 30 + 7.0 * (double)(longest < 70 ? longest : 70);
    int height = 60 + 18 * (int)shown;
    cm_svg_begin(out, (int)left + 570, height, "Eligible samples per arm and cohort tumour type");
    cm_svg_plot plot = {left,
                        10,
                        540,
                        18.0 * (double)shown,
                        {CM_SVG_LINEAR, 0, (double)most, "eligible samples"},
                        {CM_SVG_BAND, 0, (double)shown, NULL}};
    double ticks[6];
    size_t n_ticks = 0;
    long step = most <= 5 ? 1 : (most + 4) / 5;
    for (long v = 0; v <= most && n_ticks < 6; v += step)
        ticks[n_ticks++] = (double)v;
    cm_svg_ticks x = {ticks, n_ticks, 0, NULL, NULL, 1};
    cm_svg_ticks y = {positions, shown, 0, NULL, (const char *const *)labels, 1};
    cm_svg_axes(out, &plot, &x, &y);
    for (size_t i = 0; i < shown; i++) {
        const cm_summary_row *row = rows[i];
        text.l = 0;
        ksprintf(&text, "%s %s: %ld eligible; ", row->arm->id, row->tumour_type, row->eligible);
        forecast_words(row, &text);
        const char *colour = row->forecast == CM_FORECAST_CLOSED ? "#999999" : "#0072B2";
        cm_svg_plot_bar(out, &plot, shown - 1 - i, 0, (double)row->eligible, 0.7, colour, text.s);
    }
    cm_svg_end(out);
    for (size_t i = 0; i < shown; i++)
        free(labels[i]);
    free(labels);
    free(positions);
    free(text.s);
    free(rows);
    if (shown < n_eligible)
        ksprintf(out,
                 "<p class=\"note\">The chart shows the first %zu of %zu rows with eligible "
                 "samples; the table lists all.</p>\n",
                 shown, n_eligible);
}

static void put_cell(kstring_t *out, const char *text, int is_number)
{
    kputs(is_number ? "<td class=\"num\">" : "<td>", out);
    cm_svg_escape_str(text, out);
    kputs("</td>", out);
}

static int write_html(const cm_summary *s, const char *date, FILE *fp)
{
    kstring_t out = {0, 0, NULL}, cell = {0, 0, NULL};
    kputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"cohortmatch " CM_VERSION "\">\n"
          "<title>Cohort summary</title>\n<style>\n",
          &out);
    kputs(summary_css, &out);
    kputs("</style>\n</head>\n<body>\n<main>\n<h1>Cohort summary</h1>\n<p class=\"subtitle\">",
          &out);
    ksprintf(&out, "%ld samples screened", cm_summary_screened(s));
    int is_from_span;
    double rate = cm_summary_rate_used(s, &is_from_span);
    if (!isnan(rate)) {
        kputs("; ", &out);
        cm_report_format_fixed(rate, 2, &out);
        kputs(is_from_span ? " patients a month (from --span-months)" : " patients a month", &out);
    }
    if (date) {
        kputs("; ", &out);
        cm_svg_escape_str(date, &out);
    }
    kputs(". cohortmatch " CM_VERSION ".</p>\n<h2>Eligible samples</h2>\n<figure "
          "class=\"figure\">\n",
          &out);
    put_chart(s, &out);
    kputs("<figcaption>Samples eligible per protocol, arm and cohort tumour type (rows with "
          "eligible samples); grey: closed cohorts. Hover a bar for its forecast."
          "</figcaption>\n</figure>\n",
          &out);
    kputs("<h2>Per arm and cohort</h2>\n<table>\n<thead><tr><th>Protocol</th><th>Arm</th>"
          "<th>Drugs</th><th>Tumour type</th><th>Cohort</th><th class=\"num\">Eligible</th>"
          "<th class=\"num\">Ruled out</th><th>Forecast</th></tr></thead>\n<tbody>\n",
          &out);
    size_t reasons = n_reasons();
    for (size_t i = 0; i < cm_summary_n_rows(s); i++) {
        const cm_summary_row *row = cm_summary_row_at(s, i);
        kputs("<tr>", &out);
        put_cell(&out, row->arm->protocol->id, 0);
        put_cell(&out, row->arm->id, 0);
        cell.l = 0;
        put_drugs(row->arm, " + ", &cell);
        put_cell(&out, cell.s, 0);
        put_cell(&out, row->tumour_type, 0);
        put_cell(&out, cm_report_cohort_status_name(row->status), 0);
        cell.l = 0;
        ksprintf(&cell, "%ld (", row->eligible);
        cm_report_format_fixed(row->eligible_fraction * 100, 1, &cell);
        kputs("%)", &cell);
        put_cell(&out, cell.s, 1);
        cell.l = 0;
        ksprintf(&cell, "%ld", row->ruled_out_total);
        for (size_t r = 0; r < reasons; r++)
            if (row->ruled_out[r])
                ksprintf(&cell, "; %s %ld", cm_report_reason_words((cm_reason)r),
                         row->ruled_out[r]);
        put_cell(&out, cell.s, 1);
        cell.l = 0;
        forecast_words(row, &cell);
        put_cell(&out, cell.s, 0);
        kputs("</tr>\n", &out);
    }
    kputs("</tbody>\n</table>\n<p class=\"note\">Forecast: at the screening rate, each cohort "
          "receives the share of screened samples that was eligible for it; every eligible "
          "patient enrols; closed cohorts never fill (docs/cohort.md).</p>\n",
          &out);
    kputs("</main>\n</body>\n</html>\n", &out);
    int status = fwrite(out.s, 1, out.l, fp) == out.l ? 0 : -1;
    free(out.s);
    free(cell.s);
    return status;
}

int cm_summary_write(const cm_summary *summary, cm_summary_format format, const char *date,
                     FILE *fp, cm_error *err)
{
    int status;
    switch (format) {
    case CM_SUMMARY_TSV:
        status = write_tsv(summary, fp);
        break;
    case CM_SUMMARY_JSON:
        status = write_json(summary, fp);
        break;
    case CM_SUMMARY_HTML:
        status = write_html(summary, date, fp);
        break;
    default:
        status = write_text(summary, fp);
        break;
    }
    if (status != 0 || fflush(fp) != 0 || ferror(fp))
        return cm_error_set(err, NULL, 0, 0, "cannot write the summary");
    return 0;
}
