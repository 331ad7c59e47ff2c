/*
 * Cohort inputs for summarize: open a MAF or a cBioPortal study through the
 * input layer (formats maf and cbioportal, input.h), stream it through the
 * matcher, and say on stderr what was skipped (match reads cohort inputs in
 * its loop over every input and warns with cm_cli_warn_study()). Wiring only:
 * the reading is src/input/, the matching src/match.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cohortmatch/input.h"
#include "cohortmatch/rules.h"

static void add_count(cm_cli_study_run *run, const char *name, long value)
{
    if (run->n_skipped < sizeof run->skipped / sizeof run->skipped[0])
        run->skipped[run->n_skipped++] = (cm_count){name, value};
}

static void collect_counts(cm_cli_study_run *run)
{
    const cm_study_stats *s = cm_study_get_stats(run->study);
    run->n_skipped = 0;
    add_count(run, "normal_samples", (long)s->normal_samples);
    add_count(run, "no_tumour_type_samples", (long)s->no_tumour_type_samples);
    add_count(run, "unknown_tumour_type_samples", (long)s->unknown_tumour_type_samples);
    add_count(run, "unlisted_samples", (long)s->unlisted_samples);
    add_count(run, "rows_of_skipped_samples", (long)s->skipped_sample_rows);
    for (int cause = 0; cause < CM_MAF_SKIP_COUNT; cause++)
        add_count(run, cm_maf_skip_name((cm_maf_skip)cause), (long)s->maf_skipped[cause]);
    add_count(run, "cna_no_gene", (long)s->cna_no_gene);
    add_count(run, "sv_no_gene", (long)s->sv_no_gene);
    add_count(run, "sv_same_gene", (long)s->sv_same_gene);
    add_count(run, "sv_germline", (long)s->sv_germline);
    add_count(run, "duplicate_fusions", (long)s->duplicate_fusions);
    cm_gate_counts gates = cm_matcher_gate_counts(run->matcher);
    add_count(run, "filtered", gates.filtered);
    add_count(run, "below_vaf", gates.below_vaf);
    add_count(run, "below_depth", gates.below_depth);
}

void cm_cli_warn_study(const cm_study *study, const char *path, const cm_oncotree *tree)
{
    const cm_study_stats *s = cm_study_get_stats(study);
    size_t total = s->normal_samples + s->no_tumour_type_samples + s->unknown_tumour_type_samples +
                   s->unlisted_samples;
    if (total > 0) {
        kstring_t line = {0, 0, NULL};
        ksprintf(&line, "warning: %s: %zu sample%s skipped:", path, total, total == 1 ? "" : "s");
        const char *sep = " ";
        if (s->normal_samples) {
            ksprintf(&line, "%s%zu normal", sep, s->normal_samples);
            sep = ", ";
        }
        if (s->no_tumour_type_samples) {
            ksprintf(&line, "%s%zu without a tumour type", sep, s->no_tumour_type_samples);
            sep = ", ";
        }
        if (s->unknown_tumour_type_samples) {
            ksprintf(&line, "%s%zu with an OncoTree code not in %s (%s)", sep,
                     s->unknown_tumour_type_samples, cm_oncotree_release(tree),
                     cm_study_unknown_codes(study));
            sep = ", ";
        }
        if (s->unlisted_samples)
            ksprintf(&line, "%s%zu not in the clinical sample file", sep, s->unlisted_samples);
        cm_cli_message("%s", line.s);
        free(line.s);
    }
    if (s->retired_tumour_types)
        cm_cli_message("note: %s: %zu sample%s with a retired OncoTree code read as its current "
                       "code (docs/cohort.md)",
                       path, s->retired_tumour_types, s->retired_tumour_types == 1 ? "" : "s");
    size_t n_ignored;
    const char *const *ignored = cm_study_ignored_files(study, &n_ignored);
    if (n_ignored > 0) {
        kstring_t names = {0, 0, NULL};
        for (size_t i = 0; i < n_ignored; i++)
            ksprintf(&names, "%s%s", i ? ", " : "", ignored[i]);
        cm_cli_message("note: %s: not read: %s (docs/cohort.md)", path, names.s);
        free(names.s);
    }
    if (s->unknown_classifications)
        cm_cli_message("warning: %s: %llu row%s with a Variant_Classification outside the MAF "
                       "specification; their consequence is 'other'",
                       path, (unsigned long long)s->unknown_classifications,
                       s->unknown_classifications == 1 ? "" : "s");
}

int cm_cli_run_study(cm_cli_study_run *run, const char *path, const cm_ruleset *rules,
                     const cm_study_options *options, const cm_gates *gates, int no_prefilter,
                     int list_alterations, int quiet, cm_error *err)
{
    memset(run, 0, sizeof *run);
    cm_input_options input_options;
    memset(&input_options, 0, sizeof input_options);
    input_options.cohort = *options;
    if (!(run->input = cm_input_open(path, &input_options, err)))
        return -1;
    if (!(run->study = cm_input_study(run->input)))
        return cm_error_set(err, path, 0, 0,
                            "not a MAF or a cBioPortal study folder, but %s (docs/cohort.md)",
                            cm_input_format_name(cm_input_get_format(run->input)));
    if (!(run->matcher = cm_matcher_new(rules, cm_study_profiles(run->study),
                                        cm_study_n_samples(run->study), gates)))
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    cm_matcher_list_alterations(run->matcher, list_alterations);
    if (!no_prefilter) {
        const char **genes;
        int64_t *positions;
        size_t n_genes, n_positions;
        int found = cm_cli_rule_genes(rules, &genes, &n_genes, &positions, &n_positions);
        int status =
            found > 0 ? cm_input_set_gene_filter(run->input, genes, n_genes, positions, n_positions)
                      : found;
        free(genes);
        free(positions);
        if (status < 0)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
    }
    const cm_alteration *alterations;
    size_t n, n_samples = cm_study_n_samples(run->study);
    cm_genome_build build = CM_BUILD_UNKNOWN;
    int got;
    while ((got = cm_input_next(run->input, &alterations, &n, err)) > 0) {
        // A MAF's samples appear as it is read; its build is known from its first row.
        if (cm_study_n_samples(run->study) != n_samples) {
            n_samples = cm_study_n_samples(run->study);
            if (cm_matcher_set_samples(run->matcher, cm_study_profiles(run->study), n_samples) < 0)
                return cm_error_set(err, NULL, 0, 0, "out of memory");
        }
        if (cm_study_genome_build(run->study) != build) {
            build = cm_study_genome_build(run->study);
            cm_matcher_set_genome_build(run->matcher, build);
        }
        for (size_t i = 0; i < n; i++)
            if (cm_matcher_add(run->matcher, &alterations[i]) < 0)
                return cm_error_set(err, NULL, 0, 0, "out of memory");
    }
    if (got < 0)
        return -1;
    if (cm_matcher_finish(run->matcher) < 0)
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    collect_counts(run);
    if (!quiet)
        cm_cli_warn_study(run->study, path, options->tree);
    return 0;
}

void cm_cli_study_run_free(cm_cli_study_run *run)
{
    cm_matcher_free(run->matcher);
    cm_input_close(run->input);
    memset(run, 0, sizeof *run);
}
