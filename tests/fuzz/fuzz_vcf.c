/*
 * Fuzz target: a whole VCF/BCF file (text, gzip/BGZF or BCF, as htslib
 * detects it) through the reader (src/vcf/reader.c), the annotation parser
 * and the matcher with the bundled rules (loaded once), then the JSON and
 * text reports. The input is written to an in-memory file (memfd) and opened
 * by its /proc path, as a file on disk would be.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
}

static void match_file(cm_vcf_reader *reader)
{
    cm_error err;
    cm_error_clear(&err);
    size_t n_samples = cm_vcf_n_samples(reader);
    cm_sample_profile *profiles = calloc(n_samples ? n_samples : 1, sizeof *profiles);
    const cm_sample_result **results = calloc(n_samples ? n_samples : 1, sizeof *results);
    cm_matcher *matcher = NULL;
    size_t n_ready = 0;
    if (!profiles || !results)
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
    cm_report report = {
        "fuzz.vcf", rules, results, n_samples, (long)stats->records, (long)stats->alterations,
        NULL,       0};
    cm_report_write(&report, CM_REPORT_JSON, sink, &err);
    cm_report_write(&report, CM_REPORT_TEXT, sink, &err);
    cm_report_write(&report, CM_REPORT_TSV, sink, &err);
done:
    cm_matcher_free(matcher);
    for (size_t i = 0; i < n_ready; i++)
        cm_profile_clear(&profiles[i]);
    free(profiles);
    free(results);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rules)
        setup();
    int fd = memfd_create("fuzz.vcf", 0);
    if (fd < 0)
        abort();
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0)
            abort();
        done += (size_t)n;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);

    // Opened twice: once as `match` does, read to the end; once with the annotation
    // required, as `alterations` opens it (the difference is all in the header).
    for (int pass = 0; pass < 2; pass++) {
        cm_vcf_options options;
        memset(&options, 0, sizeof options);
        options.require_annotation = pass;
        cm_error err;
        cm_error_clear(&err);
        cm_vcf_reader *reader = cm_vcf_open(path, &options, &err);
        if (reader && pass == 0)
            match_file(reader);
        cm_vcf_close(reader);
    }
    close(fd);
    return 0;
}
