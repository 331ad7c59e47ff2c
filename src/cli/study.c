/*
 * Cohort inputs (a MAF, a cBioPortal study): what to say on stderr about the
 * samples a study skipped. They are read like every input, through the input
 * layer by cm_cli_run_inputs() (run.c), for match and summarize alike.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cohortmatch/input.h"
#include "cohortmatch/rules.h"

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
