/*
 * VCF/BCF inputs: the VCF reader (src/vcf/, include/cohortmatch/vcf.h) behind
 * the input interface. The reader does the work (samples, annotations of
 * every kind it knows, copy number and breakends); this file only hands its
 * samples, batches and counts through, so the VCF hot path is the reader's
 * own, unchanged.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct vcf_input {
    cm_vcf_reader *reader;
    int skip_index[CM_VCF_SKIP_COUNT];
} vcf_input;

static int vcf_open(cm_input *input, const cm_input_options *options, cm_error *err)
{
    vcf_input *state = calloc(1, sizeof *state);
    if (!state)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    input->impl = state;
    cm_vcf_options vcf = options->vcf;
    vcf.input = options->index;
    if (!(state->reader = cm_vcf_open(input->path, &vcf, err)))
        return -1;
    input->build = cm_vcf_genome_build(state->reader);
    for (size_t i = 0; i < cm_vcf_n_samples(state->reader); i++) {
        // A sites-only file has one pseudo-sample named "." (as the VCF reader names it).
        if (cm_input_add_sample(input, cm_vcf_sample_name(state->reader, i)) < 0)
            return cm_error_set(err, input->path, 0, 0, "out of memory");
    }
    for (int cause = 0; cause < CM_VCF_SKIP_COUNT; cause++)
        if ((state->skip_index[cause] =
                 cm_input_declare_skip(input, cm_vcf_skip_name((cm_vcf_skip)cause))) < 0)
            return cm_error_set(err, input->path, 0, 0, "out of memory");
    return 0;
}

static int vcf_next(cm_input *input, const cm_alteration **alterations, size_t *n, cm_error *err)
{
    vcf_input *state = input->impl;
    return cm_vcf_next(state->reader, alterations, n, err);
}

static void vcf_refresh_stats(cm_input *input)
{
    vcf_input *state = input->impl;
    const cm_vcf_stats *stats = cm_vcf_get_stats(state->reader);
    input->stats.records = stats->records;
    // The reader counts a prefiltered record's alterations as a full parse would.
    input->stats.alterations = stats->alterations;
    for (int cause = 0; cause < CM_VCF_SKIP_COUNT; cause++)
        input->skipped[state->skip_index[cause]].value = stats->skipped[cause];
}

static void vcf_close(cm_input *input)
{
    vcf_input *state = input->impl;
    if (!state)
        return;
    cm_vcf_close(state->reader);
    free(state);
    input->impl = NULL;
}

const cm_input_reader cm_input_vcf = {CM_INPUT_VCF, vcf_open, vcf_next, vcf_close,
                                      vcf_refresh_stats};

cm_vcf_reader *cm_input_vcf_reader(cm_input *input)
{
    if (input->reader != &cm_input_vcf || !input->impl)
        return NULL;
    return ((vcf_input *)input->impl)->reader;
}
