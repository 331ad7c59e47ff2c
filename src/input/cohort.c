/*
 * Cohort inputs (formats `maf` and `cbioportal`): a MAF, or a cBioPortal
 * study folder read as one input, behind the input interface. The study
 * module (study.h) does the work: it reads the clinical files, decides which
 * samples are read (normal samples and samples without a usable tumour type
 * are skipped and counted) and streams the data files' rows; this file names
 * each sample as it appears, hands the clinical file's facts on with their
 * source (cm_input_add_fact), and passes the study's counts through as skip
 * causes.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

// The study's counts, in the order reports list them (stats.skipped).
enum {
    SKIP_NORMAL,
    SKIP_NO_TUMOUR_TYPE,
    SKIP_UNKNOWN_TUMOUR_TYPE,
    SKIP_UNLISTED,
    SKIP_SAMPLE_ROWS,
    SKIP_MAF_FIRST, // then CM_MAF_SKIP_COUNT causes
    SKIP_CNA_NO_GENE = SKIP_MAF_FIRST + CM_MAF_SKIP_COUNT,
    SKIP_SV_NO_GENE,
    SKIP_SV_SAME_GENE,
    SKIP_SV_GERMLINE,
    SKIP_DUPLICATE_FUSIONS,
    SKIP_COUNT
};

static const char *const skip_names[SKIP_MAF_FIRST] = {
    "normal_samples", "no_tumour_type_samples", "unknown_tumour_type_samples", "unlisted_samples",
    "rows_of_skipped_samples"};

static const char *skip_name(int cause)
{
    if (cause < SKIP_MAF_FIRST)
        return skip_names[cause];
    if (cause < SKIP_CNA_NO_GENE)
        return cm_maf_skip_name((cm_maf_skip)(cause - SKIP_MAF_FIRST));
    switch (cause) {
    case SKIP_CNA_NO_GENE:
        return "cna_no_gene";
    case SKIP_SV_NO_GENE:
        return "sv_no_gene";
    case SKIP_SV_SAME_GENE:
        return "sv_same_gene";
    case SKIP_SV_GERMLINE:
        return "sv_germline";
    default:
        return "duplicate_fusions";
    }
}

typedef struct cohort_input {
    cm_study *study;
    int skip_index[SKIP_COUNT];
    kstring_t value;
    cm_sample_profile file_facts; // one sample's clinical facts, reused
} cohort_input;

/// Names the samples the study added since the last call, each with the facts its clinical
/// rows give, every one with its cell as source, whatever the command line or the sheet say
/// (those are the caller's to add above them: a disagreement is then a conflict, not lost).
/// Returns 0, or -1 with err filled.
static int name_new_samples(cm_input *input, cohort_input *state, cm_error *err)
{
    const cm_sample_profile *profiles = cm_study_profiles(state->study);
    cm_sample_profile *facts = &state->file_facts;
    for (size_t i = input->n_samples; i < cm_study_n_samples(state->study); i++) {
        int sample = cm_input_add_sample(input, profiles[i].name);
        if (sample < 0)
            return cm_error_set(err, input->path, 0, 0, "out of memory");
        cm_profile_clear(facts);
        if (cm_profile_init(facts, NULL) < 0)
            return cm_error_set(err, input->path, 0, 0, "out of memory");
        if (cm_study_offer_file_facts(state->study, i, facts, err) < 0)
            return -1;
        for (int key = 0; key < CM_FACT_KEY_COUNT; key++) {
            const cm_fact_source *source = &facts->sources[key];
            const char *name = cm_fact_key_name((cm_fact_key)key);
            state->value.l = 0;
            if (source->origin != CM_ORIGIN_FILE || !source->where ||
                !cm_profile_fact_text(facts, name, &state->value))
                continue;
            if (cm_input_add_fact_at(input, sample, name, state->value.s, source->where) < 0)
                return cm_error_set(err, input->path, 0, 0, "out of memory");
        }
    }
    return 0;
}

static int cohort_open(cm_input *input, const cm_input_options *options, cm_error *err)
{
    cohort_input *state = calloc(1, sizeof *state);
    if (!state)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    input->impl = state;
    if (!options->cohort.tree)
        return cm_error_set(err, input->path, 0, 0,
                            "a %s is read by match and summarize, which know its samples' "
                            "tumour types (docs/cohort.md)",
                            input->reader->format == CM_INPUT_MAF ? "MAF" : "cBioPortal study");
    if (!(state->study = cm_study_open(input->path, &options->cohort, err)))
        return -1;
    cm_study_kind kind = cm_study_kind_of(state->study);
    if ((kind == CM_STUDY_CBIOPORTAL) != (input->reader->format == CM_INPUT_CBIOPORTAL))
        return cm_error_set(
            err, input->path, 0, 0, "not a %s",
            input->reader->format == CM_INPUT_CBIOPORTAL
                ? "cBioPortal study folder (no meta_*.txt or clinical sample file)"
                : "MAF (a cBioPortal study folder: give --input-format cbioportal)");
    for (int cause = 0; cause < SKIP_COUNT; cause++)
        if ((state->skip_index[cause] = cm_input_declare_skip(input, skip_name(cause))) < 0)
            return cm_error_set(err, input->path, 0, 0, "out of memory");
    // The clinical file's samples are known now: they are named before the first row.
    return name_new_samples(input, state, err);
}

static int cohort_next(cm_input *input, const cm_alteration **alterations, size_t *n, cm_error *err)
{
    cohort_input *state = input->impl;
    int got = cm_study_next(state->study, alterations, n, err);
    if (got < 0)
        return -1;
    // A MAF's samples appear as it is read; its build is known from its first row with one.
    if (name_new_samples(input, state, err) < 0)
        return -1;
    input->build = cm_study_genome_build(state->study);
    return got;
}

static void cohort_refresh_stats(cm_input *input)
{
    cohort_input *state = input->impl;
    const cm_study_stats *s = cm_study_get_stats(state->study);
    input->stats.records = s->rows;
    uint64_t values[SKIP_COUNT] = {
        [SKIP_NORMAL] = s->normal_samples,
        [SKIP_NO_TUMOUR_TYPE] = s->no_tumour_type_samples,
        [SKIP_UNKNOWN_TUMOUR_TYPE] = s->unknown_tumour_type_samples,
        [SKIP_UNLISTED] = s->unlisted_samples,
        [SKIP_SAMPLE_ROWS] = s->skipped_sample_rows,
        [SKIP_CNA_NO_GENE] = s->cna_no_gene,
        [SKIP_SV_NO_GENE] = s->sv_no_gene,
        [SKIP_SV_SAME_GENE] = s->sv_same_gene,
        [SKIP_SV_GERMLINE] = s->sv_germline,
        [SKIP_DUPLICATE_FUSIONS] = s->duplicate_fusions,
    };
    for (int cause = 0; cause < CM_MAF_SKIP_COUNT; cause++)
        values[SKIP_MAF_FIRST + cause] = s->maf_skipped[cause];
    for (int cause = 0; cause < SKIP_COUNT; cause++)
        input->skipped[state->skip_index[cause]].value = values[cause];
}

static void cohort_close(cm_input *input)
{
    cohort_input *state = input->impl;
    if (!state)
        return;
    cm_study_close(state->study);
    cm_profile_clear(&state->file_facts);
    free(state->value.s);
    free(state);
    input->impl = NULL;
}

const cm_input_reader cm_input_maf = {CM_INPUT_MAF, cohort_open, cohort_next, cohort_close,
                                      cohort_refresh_stats};
const cm_input_reader cm_input_cbioportal = {CM_INPUT_CBIOPORTAL, cohort_open, cohort_next,
                                             cohort_close, cohort_refresh_stats};

const cm_study *cm_input_study(const cm_input *input)
{
    if ((input->reader != &cm_input_maf && input->reader != &cm_input_cbioportal) || !input->impl)
        return NULL;
    return ((const cohort_input *)input->impl)->study;
}

int cm_input_set_gene_filter(cm_input *input, const char *const *genes, size_t n_genes,
                             const int64_t *positions, size_t n_positions)
{
    cm_vcf_reader *reader = cm_input_vcf_reader(input);
    if (reader)
        return cm_vcf_set_gene_filter(reader, genes, n_genes, positions, n_positions);
    cohort_input *state = cm_input_study(input) ? input->impl : NULL;
    if (state)
        return cm_study_set_gene_filter(state->study, genes, n_genes, positions, n_positions);
    return 0;
}
