/*
 * Fuzz target: a whole VCF/BCF file (text, gzip/BGZF or BCF, as htslib
 * detects it) through the reader (src/vcf/reader.c), the annotation parser
 * and the matcher with the bundled rules (loaded once), then the JSON, text,
 * TSV and HTML reports. The HTML page must never carry input text as markup:
 * a `<script`, `<img`, `<iframe`, `<object` or `<a ` tag in it (the page's
 * own markup has none) aborts. The input is written to an in-memory file (memfd) and
 * opened by its /proc path, as a file on disk would be.
 *
 * The file is matched twice: read in full, and with the reader's prefilter
 * (cm_vcf_set_gene_filter, as `match` sets it), which skips records no rule
 * can match before their full parse. When the full read succeeds, the
 * prefiltered one must give the same verdicts: a difference aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts.h>

#include "cohortmatch/match.h"
#include "cohortmatch/profile.h"
#include "cohortmatch/report.h"
#include "cohortmatch/rules.h"
#include "cohortmatch/vcf.h"
#include "fuzz.h"

#ifndef CM_SOURCE_DIR
#error "CM_SOURCE_DIR must name the source tree (for the bundled rules)"
#endif

static cm_oncotree *tree;
static cm_ruleset *rules;
static FILE *sink;
static const char **filter_genes;
static size_t n_filter_genes;
static int64_t *filter_positions;
static size_t n_filter_positions;

static void setup(void)
{
    hts_set_log_level(HTS_LOG_OFF);
    cm_error err;
    cm_error_clear(&err);
    cm_diagnostics diag = {0};
    if (!(tree = cm_oncotree_load_bundled(&err)) || !(rules = cm_ruleset_new(tree)) ||
        cm_ruleset_load(rules, CM_SOURCE_DIR "/rules", &diag) != 0 ||
        cm_ruleset_compile(rules) != 0 || !(sink = fopen("/dev/null", "w")))
        abort();
    cm_diagnostics_clear(&diag);
    // The genes and positions `match` hands the reader (src/cli/cmd_match.c); the bundled
    // rules have no leaf that names neither.
    filter_genes = malloc((cm_ruleset_n_genes(rules) + 1) * sizeof *filter_genes);
    for (size_t id = 1; filter_genes && id < cm_ruleset_n_genes(rules); id++) {
        size_t n_leaves;
        cm_ruleset_gene_leaves(rules, (int)id, &n_leaves);
        if (n_leaves > 0)
            filter_genes[n_filter_genes++] = cm_ruleset_gene_name(rules, (int)id);
    }
    size_t n = 0;
    for (size_t i = 0; i < cm_ruleset_n_leaves(rules); i++)
        n += (size_t)cm_ruleset_leaf(rules, (int)i)->n_variants;
    filter_positions = malloc((n + 1) * sizeof *filter_positions);
    if (!filter_genes || !filter_positions)
        abort();
    for (size_t i = 0; i < cm_ruleset_n_leaves(rules); i++) {
        const cm_leaf *leaf = cm_ruleset_leaf(rules, (int)i);
        for (int k = 0; k < leaf->n_variants; k++)
            filter_positions[n_filter_positions++] = leaf->variants[k].pos;
    }
}

// Appends what the matcher decided for every sample: candidates (arm, number of matched
// alterations) and ruled-out arms (arm, reason).
static void verdicts(const cm_matcher *matcher, size_t n_samples, kstring_t *out)
{
    for (size_t i = 0; i < n_samples; i++) {
        const cm_sample_result *result = cm_matcher_result(matcher, i);
        ksprintf(out, "sample %zu:", i);
        for (size_t c = 0; c < result->n_candidates; c++)
            ksprintf(out, " +%s/%zu", result->candidates[c].arm->id,
                     result->candidates[c].n_matched);
        for (size_t r = 0; r < result->n_ruled_out; r++)
            ksprintf(out, " -%s/%s", result->ruled_out[r].arm->id,
                     cm_reason_name(result->ruled_out[r].reason));
        kputc('\n', out);
    }
}

/// Writes the HTML report and aborts if input text came out as markup.
static void check_html(const cm_report *report)
{
    char *page = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&page, &size);
    cm_error err;
    cm_error_clear(&err);
    if (!fp)
        abort();
    int status = cm_report_write(report, CM_REPORT_HTML, fp, &err);
    if (fclose(fp) != 0 || status != 0)
        abort();
    // Every '<' of input text is escaped, so none of these tags can come from the input.
    static const char *const refused[] = {"<script", "<img", "<iframe", "<object", "<a "};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        if (strcasestr(page, refused[i]))
            abort();
    free(page);
}

// Reads the file at path through the matcher (with the prefilter or not) and writes the
// reports. Returns 0 with the verdicts appended to out, or -1 when the file is refused.
static int match_file(const char *path, int prefilter, kstring_t *out)
{
    cm_error err;
    cm_error_clear(&err);
    cm_vcf_options options;
    memset(&options, 0, sizeof options);
    cm_vcf_reader *reader = cm_vcf_open(path, &options, &err);
    if (!reader)
        return -1;
    size_t n_samples = cm_vcf_n_samples(reader);
    cm_sample_profile *profiles = calloc(n_samples ? n_samples : 1, sizeof *profiles);
    const cm_sample_result **results = calloc(n_samples ? n_samples : 1, sizeof *results);
    cm_matcher *matcher = NULL;
    size_t n_ready = 0;
    int status = -1;
    if (!profiles || !results)
        goto done;
    if (prefilter && cm_vcf_set_gene_filter(reader, filter_genes, n_filter_genes, filter_positions,
                                            n_filter_positions) != 0)
        goto done;
    for (; n_ready < n_samples; n_ready++) {
        if (cm_profile_init(&profiles[n_ready], cm_vcf_sample_name(reader, n_ready)) < 0)
            goto done;
        // Alternate a solid and a liquid tumour so both halves of the rules are evaluated.
        if (cm_profile_set_tumour_type(&profiles[n_ready], tree, n_ready % 2 ? "AML" : "LUAD", NULL,
                                       0, &err) < 0)
            abort();
        profiles[n_ready].tmb = 12.5;
    }
    cm_gates gates;
    cm_gates_unset(&gates);
    if (!(matcher = cm_matcher_new(rules, profiles, n_samples, &gates)))
        goto done;
    cm_matcher_list_alterations(matcher, 1); // the HTML page's table and figure
    cm_matcher_set_genome_build(matcher, cm_vcf_genome_build(reader));
    const cm_alteration *alterations;
    size_t n;
    int got;
    while ((got = cm_vcf_next(reader, &alterations, &n, &err)) > 0)
        for (size_t i = 0; i < n; i++)
            if (cm_matcher_add(matcher, &alterations[i]) < 0)
                goto done;
    if (got < 0 || cm_matcher_finish(matcher) < 0)
        goto done;
    for (size_t i = 0; i < n_samples; i++)
        results[i] = cm_matcher_result(matcher, i);
    const cm_vcf_stats *stats = cm_vcf_get_stats(reader);
    cm_report_input input = {"fuzz.vcf", "vcf", (long)stats->records};
    cm_report report = {.vcf_path = "fuzz.vcf",
                        .inputs = &input,
                        .n_inputs = 1,
                        .rules = rules,
                        .samples = results,
                        .n_samples = n_samples,
                        .records = (long)stats->records,
                        .alterations = (long)stats->alterations,
                        .command_line = "cohortmatch match -O html fuzz.vcf",
                        .date = "2025-01-31"};
    cm_report_write(&report, CM_REPORT_JSON, sink, &err);
    cm_report_write(&report, CM_REPORT_TEXT, sink, &err);
    cm_report_write(&report, CM_REPORT_TSV, sink, &err);
    check_html(&report);
    ksprintf(out, "records %llu\n", (unsigned long long)stats->records);
    verdicts(matcher, n_samples, out);
    status = 0;
done:
    cm_matcher_free(matcher);
    for (size_t i = 0; i < n_ready; i++)
        cm_profile_clear(&profiles[i]);
    free(profiles);
    free(results);
    cm_vcf_close(reader);
    return status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rules)
        setup();
    char path[64];
    int fd = fuzz_memfd("fuzz.vcf", data, size, path);

    // Read in full, then with the prefilter: the verdicts must agree when the first read
    // succeeds (the prefilter does not check the values of the records it skips, so it may
    // succeed where the full read refuses the file).
    kstring_t full = {0, 0, NULL}, filtered = {0, 0, NULL};
    if (match_file(path, 0, &full) == 0) {
        if (match_file(path, 1, &filtered) != 0 || strcmp(full.s, filtered.s) != 0) {
            fprintf(stderr, "prefilter changed the verdicts:\n--- full\n%s--- prefiltered\n%s",
                    full.s, filtered.s ? filtered.s : "(refused)\n");
            abort();
        }
    } else {
        match_file(path, 1, &filtered);
    }
    free(full.s);
    free(filtered.s);
    // With the annotation required, as `alterations` opens it (the difference is in the header).
    cm_vcf_options options;
    memset(&options, 0, sizeof options);
    options.require_annotation = 1;
    cm_error err;
    cm_error_clear(&err);
    cm_vcf_close(cm_vcf_open(path, &options, &err));
    close(fd);
    return 0;
}
