/*
 * The input front door: format names, recognition on open, and dispatch to
 * one reader per format. It owns what every input has (path, samples, facts,
 * skip counts, the reusable alteration batch); the readers own their files.
 * Nothing here reads a format itself, prints or exits.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const format_names[CM_INPUT_FORMAT_COUNT] = {
    [CM_INPUT_UNKNOWN] = "unknown",
    [CM_INPUT_VCF] = "vcf",
    [CM_INPUT_PURPLE_PURITY] = "purple-purity",
    [CM_INPUT_PURPLE_GENE_COPY_NUMBER] = "purple-gene-cn",
    [CM_INPUT_PURPLE_DRIVERS] = "purple-drivers",
    [CM_INPUT_LINX_FUSIONS] = "linx-fusions",
    [CM_INPUT_ORANGE] = "orange",
    [CM_INPUT_TSO500] = "tso500",
    [CM_INPUT_MAF] = "maf",
    [CM_INPUT_CBIOPORTAL] = "cbioportal",
};

const char *cm_input_format_name(cm_input_format format)
{
    return (unsigned)format < CM_INPUT_FORMAT_COUNT ? format_names[format] : "unknown";
}

int cm_input_format_parse(const char *name, cm_input_format *format)
{
    for (int i = 1; i < CM_INPUT_FORMAT_COUNT; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *format = (cm_input_format)i;
            return 0;
        }
    return -1;
}

static const cm_input_reader *reader_of(cm_input_format format)
{
    switch (format) {
    case CM_INPUT_VCF:
        return &cm_input_vcf;
    case CM_INPUT_PURPLE_PURITY:
        return &cm_input_purple_purity;
    case CM_INPUT_TSO500:
        return &cm_input_tso500;
    case CM_INPUT_ORANGE:
        return &cm_input_orange;
    case CM_INPUT_LINX_FUSIONS:
        return &cm_input_linx_fusions;
    case CM_INPUT_PURPLE_GENE_COPY_NUMBER:
        return &cm_input_purple_gene_copy_number;
    case CM_INPUT_PURPLE_DRIVERS:
        return &cm_input_purple_drivers;
    case CM_INPUT_MAF:
        return &cm_input_maf;
    case CM_INPUT_CBIOPORTAL:
        return &cm_input_cbioportal;
    default:
        return NULL;
    }
}

cm_input *cm_input_open(const char *path, const cm_input_options *options, cm_error *err)
{
    cm_input_format format = options ? options->format : CM_INPUT_UNKNOWN;
    if (format == CM_INPUT_UNKNOWN) {
        if (cm_input_detect(path, &format, err) < 0)
            return NULL;
        if (format == CM_INPUT_UNKNOWN) {
            cm_error_set(err, path, 0, 0,
                         "not a format cohortmatch reads (VCF/BCF, PURPLE, LINX, ORANGE, TSO500 "
                         "CombinedVariantOutput; see docs/alterations.md)");
            return NULL;
        }
    }
    const cm_input_reader *reader = reader_of(format);
    if (!reader) {
        cm_error_set(err, path, 0, 0, "%s files are not read by this version",
                     cm_input_format_name(format));
        return NULL;
    }
    cm_input *input = calloc(1, sizeof *input);
    if (!input || !(input->path = strdup(path))) {
        free(input);
        cm_error_set(err, path, 0, 0, "out of memory");
        return NULL;
    }
    input->reader = reader;
    input->index = options ? options->index : 0;
    cm_input_options defaults;
    memset(&defaults, 0, sizeof defaults);
    if (reader->open(input, options ? options : &defaults, err) < 0) {
        cm_input_close(input);
        return NULL;
    }
    return input;
}

cm_input_format cm_input_get_format(const cm_input *input)
{
    return input->reader->format;
}

const char *cm_input_path(const cm_input *input)
{
    return input->path;
}

size_t cm_input_n_samples(const cm_input *input)
{
    return input->n_samples;
}

const char *cm_input_sample_name(const cm_input *input, size_t i)
{
    return i < input->n_samples ? input->sample_names[i] : NULL;
}

int cm_input_next(cm_input *input, const cm_alteration **alterations, size_t *n, cm_error *err)
{
    *alterations = NULL;
    *n = 0;
    int got = input->reader->next(input, alterations, n, err);
    if (got > 0)
        input->stats.alterations += *n;
    return got;
}

const cm_input_fact *cm_input_facts(const cm_input *input, size_t *n)
{
    *n = input->n_facts;
    return input->facts;
}

const cm_input_stats *cm_input_get_stats(cm_input *input)
{
    if (input->reader->refresh_stats)
        input->reader->refresh_stats(input);
    input->stats.skipped = input->skipped;
    input->stats.n_skipped = input->n_skipped;
    return &input->stats;
}

cm_genome_build cm_input_genome_build(const cm_input *input)
{
    return input->build;
}

void cm_input_close(cm_input *input)
{
    if (!input)
        return;
    if (input->reader && input->reader->close)
        input->reader->close(input);
    for (size_t i = 0; i < input->n_samples; i++)
        free(input->sample_names[i]);
    free(input->sample_names);
    for (size_t i = 0; i < input->n_facts; i++) {
        free((char *)input->facts[i].name);
        free((char *)input->facts[i].value);
        free((char *)input->facts[i].where);
    }
    free(input->facts);
    free(input->skipped);
    free(input->batch);
    free(input->path);
    free(input);
}

/* ---- Helpers for the readers ---- */

int cm_input_add_sample(cm_input *input, const char *name)
{
    if (input->n_samples == input->m_samples) {
        size_t m = input->m_samples ? input->m_samples * 2 : 4;
        char **names = realloc(input->sample_names, m * sizeof *names);
        if (!names)
            return -1;
        input->sample_names = names;
        input->m_samples = m;
    }
    char *copy = NULL;
    if (name && !(copy = strdup(name)))
        return -1;
    input->sample_names[input->n_samples] = copy;
    return (int)input->n_samples++;
}

int cm_input_add_fact(cm_input *input, int sample, const char *name, const char *value,
                      const char *where)
{
    // Sources name the file without its folders ("x.purple.purity.tsv:tmbPerMb").
    const char *slash = strrchr(input->path, '/');
    kstring_t place = {0, 0, NULL};
    ksprintf(&place, "%s:%s", slash ? slash + 1 : input->path, where);
    int status = place.s ? cm_input_add_fact_at(input, sample, name, value, place.s) : -1;
    free(place.s);
    return status;
}

int cm_input_add_fact_at(cm_input *input, int sample, const char *name, const char *value,
                         const char *where)
{
    if (input->n_facts == input->m_facts) {
        size_t m = input->m_facts ? input->m_facts * 2 : 8;
        cm_input_fact *facts = realloc(input->facts, m * sizeof *facts);
        if (!facts)
            return -1;
        input->facts = facts;
        input->m_facts = m;
    }
    cm_input_fact *fact = &input->facts[input->n_facts];
    fact->sample = sample;
    fact->name = strdup(name);
    fact->value = strdup(value);
    fact->where = strdup(where);
    if (!fact->name || !fact->value || !fact->where) {
        free((char *)fact->name);
        free((char *)fact->value);
        free((char *)fact->where);
        return -1;
    }
    input->n_facts++;
    return 0;
}

int cm_input_declare_skip(cm_input *input, const char *name)
{
    for (size_t i = 0; i < input->n_skipped; i++)
        if (strcmp(input->skipped[i].name, name) == 0)
            return (int)i;
    cm_input_count *counts = realloc(input->skipped, (input->n_skipped + 1) * sizeof *counts);
    if (!counts)
        return -1;
    input->skipped = counts;
    counts[input->n_skipped] = (cm_input_count){name, 0};
    return (int)input->n_skipped++;
}

cm_alteration *cm_input_batch(cm_input *input, size_t n)
{
    if (n > input->m_batch) {
        size_t m = input->m_batch ? input->m_batch : 16;
        while (m < n)
            m *= 2;
        cm_alteration *batch = realloc(input->batch, m * sizeof *batch);
        if (!batch)
            return NULL;
        input->batch = batch;
        input->m_batch = m;
    }
    return input->batch;
}
