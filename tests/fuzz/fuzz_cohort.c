/*
 * Fuzz target: one file through every cohort reader (src/input/): as a MAF,
 * read as a cohort (cm_study, every sample of tumour type LUAD) into the
 * matcher with the bundled rules, then the JSON report and the summary; as
 * a cBioPortal copy-number or structural-variant file (cm_cbioportal_open);
 * as a clinical sample file (cm_clinical_load). The input is written to an
 * in-memory file (memfd) and opened by its /proc path.
 *
 * The MAF is matched twice: read in full, and with the gene filter `match`
 * sets (rows of genes no rule names skipped before their full parse). When
 * the full read succeeds, the filtered one must succeed with the same
 * verdicts: a difference aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts.h>

#include "cohortmatch/cbioportal.h"
#include "cohortmatch/match.h"
#include "cohortmatch/report.h"
#include "cohortmatch/rules.h"
#include "cohortmatch/study.h"
#include "cohortmatch/summary.h"
#include "fuzz.h"

#ifndef CM_SOURCE_DIR
#error "CM_SOURCE_DIR must name the source tree (for the bundled rules)"
#endif

static cm_oncotree *tree;
static cm_ruleset *rules;
static FILE *sink;
static const char **genes;
static size_t n_genes;

static void setup(void)
{
    hts_set_log_level(HTS_LOG_OFF);
    cm_error err;
    cm_diagnostics diag = {0};
    if (!(tree = cm_oncotree_load_bundled(&err)) || !(rules = cm_ruleset_new(tree)) ||
        cm_ruleset_load(rules, CM_SOURCE_DIR "/rules", &diag) != 0 ||
        cm_ruleset_compile(rules) != 0 || !(sink = fopen("/dev/null", "w")))
        abort();
    cm_diagnostics_clear(&diag);
    genes = malloc((cm_ruleset_n_genes(rules) + 1) * sizeof *genes);
    for (size_t id = 1; genes && id < cm_ruleset_n_genes(rules); id++) {
        size_t n_leaves;
        cm_ruleset_gene_leaves(rules, (int)id, &n_leaves);
        if (n_leaves > 0)
            genes[n_genes++] = cm_ruleset_gene_name(rules, (int)id);
    }
    if (!genes)
        abort();
}

/// One verdict string per sample ("arm+" candidate, "arm-reason" ruled out), for comparing.
static void verdicts(const cm_matcher *matcher, size_t n, kstring_t *out)
{
    for (size_t i = 0; i < n; i++) {
        const cm_sample_result *r = cm_matcher_result(matcher, i);
        ksprintf(out, "%s:", r->profile->name);
        for (size_t k = 0; k < r->n_candidates; k++)
            ksprintf(out, "%s+,", r->candidates[k].arm->id);
        for (size_t k = 0; k < r->n_ruled_out; k++)
            ksprintf(out, "%s-%s,", r->ruled_out[k].arm->id,
                     cm_reason_name(r->ruled_out[k].reason));
        kputc('\n', out);
    }
}

/// Reads the file as a cohort MAF into a matcher; 0 with the verdicts appended, or -1.
static int match_maf(const char *path, int filter, kstring_t *out)
{
    cm_sample_profile facts;
    cm_profile_init(&facts, NULL);
    facts.tumour_type = "LUAD";
    cm_study_options options = {tree, NULL, &facts, 0};
    cm_error err;
    cm_study *study = cm_study_open(path, &options, &err);
    if (!study)
        return -1;
    int status = 0;
    cm_matcher *matcher = cm_matcher_new(rules, NULL, 0, NULL);
    if (!matcher || (filter && cm_study_set_gene_filter(study, genes, n_genes, NULL, 0) < 0))
        abort();
    const cm_alteration *alterations;
    size_t n, n_samples = 0;
    int got;
    while ((got = cm_study_next(study, &alterations, &n, &err)) > 0) {
        if (cm_study_n_samples(study) != n_samples) {
            n_samples = cm_study_n_samples(study);
            if (cm_matcher_set_samples(matcher, cm_study_profiles(study), n_samples) < 0)
                abort();
        }
        for (size_t i = 0; i < n; i++)
            if (cm_matcher_add(matcher, &alterations[i]) < 0)
                abort();
    }
    if (got < 0)
        status = -1;
    else if (cm_matcher_finish(matcher) < 0)
        abort();
    if (status == 0) {
        verdicts(matcher, n_samples, out);
        // The reports and the summary of the full read.
        if (!filter) {
            const cm_sample_result **results = calloc(n_samples + 1, sizeof *results);
            cm_summary *summary = cm_summary_new(rules);
            if (!results || !summary)
                abort();
            for (size_t i = 0; i < n_samples; i++) {
                results[i] = cm_matcher_result(matcher, i);
                if (cm_summary_add_result(summary, results[i], &err) < 0)
                    abort();
            }
            cm_report report = {
                .vcf_path = path, .rules = rules, .samples = results, .n_samples = n_samples};
            cm_report_write(&report, CM_REPORT_JSON, sink, &err);
            cm_summary_rate rate = {20, 0};
            cm_summary_forecast(summary, &rate);
            for (int f = CM_SUMMARY_TEXT; f <= CM_SUMMARY_HTML; f++)
                cm_summary_write(summary, (cm_summary_format)f, NULL, sink, &err);
            cm_summary_free(summary);
            free(results);
        }
    }
    cm_matcher_free(matcher);
    cm_study_close(study);
    return status;
}

static void read_tables(const char *path)
{
    cm_error err;
    cm_cbioportal_reader *reader = cm_cbioportal_open(path, 0, &err);
    // The map resolves rows that give an Entrez id alone, from the file's own pairs.
    cm_entrez_map *map = cm_entrez_map_new();
    if (reader && map) {
        cm_cbioportal_set_entrez_map(reader, map);
        const cm_cbioportal_event *events;
        size_t n;
        while (cm_cbioportal_next(reader, &events, &n, &err) > 0)
            for (size_t i = 0; i < n; i++)
                if (events[i].sample.len <= 0 || events[i].alteration.gene.len <= 0)
                    abort(); // every event names a sample and a gene
    }
    cm_cbioportal_close(reader);
    cm_entrez_map_free(map);
    cm_clinical clinical;
    if (cm_clinical_load(&clinical, path, NULL, &err) == 0)
        cm_clinical_free(&clinical);
    // As a study's mutation file: cBioPortal's importer filter, default and from a meta file.
    for (int pass = 0; pass < 2; pass++) {
        cm_maf_reader *maf = cm_maf_open(path, 0, &err);
        if (!maf)
            break;
        if (cm_maf_set_importer_filter(maf, pass ? "Silent, Missense_Mutation,," : NULL) == 0) {
            cm_maf_row row;
            while (cm_maf_next(maf, &row, &err) > 0)
                if (row.alteration && row.alteration->gene.len <= 0)
                    abort(); // an alteration always names its gene
        }
        cm_maf_close(maf);
    }
    // The same file as a supplementary sample file of itself: every sample merges.
    const char *more[] = {path};
    if (cm_clinical_load_files(&clinical, path, more, 1, NULL, &err) == 0)
        cm_clinical_free(&clinical);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rules)
        setup();
    char path[64];
    int fd = fuzz_memfd("cohort", data, size, path);
    kstring_t full = {0, 0, NULL}, filtered = {0, 0, NULL};
    if (match_maf(path, 0, &full) == 0) {
        if (match_maf(path, 1, &filtered) != 0 ||
            strcmp(full.s ? full.s : "", filtered.s ? filtered.s : "") != 0)
            abort(); // the gene filter changed a verdict
    }
    read_tables(path);
    free(full.s);
    free(filtered.s);
    close(fd);
    return 0;
}
