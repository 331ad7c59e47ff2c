/*
 * Hartwig LINX fusions (*.linx.fusion.tsv; docs/alterations.md, "LINX
 * fusions"): one row per fusion LINX predicted, one fusion alteration per
 * reported row. Columns are found by name: LINX 1.2x/2.0 writes the partners
 * in geneStart/geneEnd (with their transcripts), the current hmftools writer
 * drops those columns and only the row's name (GENEUP_GENEDOWN) tells the
 * partners. The frame comes from `phased`; a side in no gene gives the partner
 * "intergenic". A reported row within one gene of type EXON_DEL_DUP (MET exon
 * 14 skipping, EGFRvIII, EGFR kinase-domain duplication) is the gene's exon
 * deletion or duplication: a `small` alteration with its exons and consequence
 * (cm_linx_exon_event()). Unreported rows, other rows within one gene and rows
 * naming no gene are counted, never matched. The file
 * names no sample: the input has one unnamed sample. One row is read per
 * call, into the table's line buffer, which the alteration borrows.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct linx_input {
    cm_table table;
    int n_header;
    int c_name, c_reported, c_reported_type, c_phased, c_gene_start, c_gene_end, c_transcript_start;
    int c_exon_up, c_exon_down, c_context_up, c_context_down;
    int skip_not_reported, skip_same_gene, skip_no_gene, skip_exon_unresolved;
} linx_input;

static int linx_open(cm_input *input, const cm_input_options *options, cm_error *err)
{
    linx_input *state = calloc(1, sizeof *state);
    if (!state)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    input->impl = state;
    cm_table *t = &state->table;
    if ((state->n_header =
             cm_table_open_header(t, input->path, options->vcf.threads, "LINX fusion", err)) < 0)
        return -1;
    state->c_name = cm_table_column(t, "name");
    state->c_reported = cm_table_column(t, "reported");
    state->c_reported_type = cm_table_column(t, "reportedType");
    state->c_phased = cm_table_column(t, "phased");
    state->c_gene_start = cm_table_column(t, "geneStart");
    state->c_gene_end = cm_table_column(t, "geneEnd");
    state->c_transcript_start = cm_table_column(t, "transcriptStart");
    state->c_exon_up = cm_table_column(t, "fusedExonUp");
    state->c_exon_down = cm_table_column(t, "fusedExonDown");
    state->c_context_up = cm_table_column(t, "geneContextStart");
    state->c_context_down = cm_table_column(t, "geneContextEnd");
    if (state->c_name < 0 || state->c_reported < 0 || state->c_phased < 0)
        return cm_error_set(err, input->path, (int)t->line_number, 0,
                            "a LINX fusion header needs the columns name, reported and phased");
    if ((state->c_gene_start < 0) != (state->c_gene_end < 0))
        return cm_error_set(err, input->path, (int)t->line_number, 0,
                            "a LINX fusion header has geneStart and geneEnd, or neither");
    if ((state->skip_not_reported = cm_input_declare_skip(input, "linx_not_reported")) < 0 ||
        (state->skip_same_gene = cm_input_declare_skip(input, "linx_same_gene")) < 0 ||
        (state->skip_no_gene = cm_input_declare_skip(input, "linx_no_gene")) < 0 ||
        (state->skip_exon_unresolved = cm_input_declare_skip(input, "linx_exon_del_dup_partial")) <
            0 ||
        cm_input_add_sample(input, NULL) < 0)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    return 0;
}

// LINX's FusionPhasedType: INFRAME; SKIPPED_EXONS (the fused transcript skips exons to come
// back in frame: LINX reports it as an in-frame product); OUT_OF_FRAME. Returns 1, 0, or -2
// for a word LINX does not write.
static int read_phased(cm_slice phased)
{
    if (cm_slice_equals(phased, "INFRAME") || cm_slice_equals(phased, "SKIPPED_EXONS"))
        return 1;
    if (cm_slice_equals(phased, "OUT_OF_FRAME"))
        return 0;
    return -2;
}

// "Intron N" (LINX's context of a breakend between exons), compared without case.
static int is_intronic(cm_slice context)
{
    return context.len >= 6 && strncasecmp(context.s, "Intron", 6) == 0;
}

int cm_linx_exon_event(long long exon_up, long long exon_down, cm_slice context_up,
                       cm_slice context_down, cm_alteration *a)
{
    if (exon_up < exon_down - 1) {
        // The 5' part ends after exon up, the 3' part starts at exon down: the exons between
        // are lost (MET exon 14 skipping is 13 -> 15, EGFRvIII 1 -> 8).
        a->exon = (int)exon_up + 1;
        a->exon_last = (int)exon_down - 1;
        a->consequence = CM_SO_BIT(CM_SO_EXON_LOSS_VARIANT);
        return 1;
    }
    // The junction goes back to an earlier exon: exons down..up are read twice (the EGFR
    // kinase-domain duplication is 25 -> 18). One exon (up == down) is duplicated only when
    // both breakends lie in introns; in the exon, the rearrangement is within it (LINX's
    // partial exonic deletion, KIT exon 11) and no whole exon is lost or gained.
    if (exon_up > exon_down ||
        (exon_up == exon_down && is_intronic(context_up) && is_intronic(context_down))) {
        a->exon = (int)exon_down;
        a->exon_last = (int)exon_up;
        a->consequence = CM_SO_BIT(CM_SO_DUPLICATION) | CM_SO_BIT(CM_SO_FEATURE_ELONGATION);
        return 1;
    }
    return 0;
}

// fusedExonUp or fusedExonDown of an EXON_DEL_DUP row: a whole number from 1 on. Returns 0,
// or -1 with err filled.
static int read_fused_exon(cm_input *input, linx_input *state, int column, const char *name,
                           long long *out, cm_error *err)
{
    cm_table *t = &state->table;
    int line = (int)t->line_number;
    if (column < 0)
        return cm_error_set(err, input->path, line, 0,
                            "an EXON_DEL_DUP row needs the columns fusedExonUp and fusedExonDown");
    cm_slice field = cm_table_field(t, column);
    if (cm_table_parse_long(field, out) < 0 || *out < 1 || *out > 100000)
        return cm_error_set(err, input->path, line, 0, "%s '%s' is not an exon number", name,
                            field.s ? field.s : "");
    return 0;
}

// A reported EXON_DEL_DUP row within one gene: 1 and the alteration in *out, 0 when it loses or
// gains no whole exon (counted), -1 on error.
static int exon_event(cm_input *input, linx_input *state, cm_slice gene, int in_frame,
                      cm_alteration **out, cm_error *err)
{
    cm_table *t = &state->table;
    int line = (int)t->line_number;
    long long up, down;
    if (read_fused_exon(input, state, state->c_exon_up, "fusedExonUp", &up, err) < 0 ||
        read_fused_exon(input, state, state->c_exon_down, "fusedExonDown", &down, err) < 0)
        return -1;
    cm_alteration *a = cm_input_batch(input, 1);
    if (!a)
        return cm_error_set(err, input->path, line, 0, "out of memory");
    cm_alteration_init(a);
    if (!cm_linx_exon_event(up, down, cm_table_field(t, state->c_context_up),
                            cm_table_field(t, state->c_context_down), a)) {
        input->skipped[state->skip_exon_unresolved].value++;
        return 0;
    }
    a->kind = CM_ALTERATION_SMALL;
    a->gene = gene;
    a->transcript = cm_table_field(t, state->c_transcript_start);
    a->in_frame = in_frame;
    a->input = input->index;
    a->line = line;
    a->messages = cm_table_field(t, state->c_reported_type);
    *out = a;
    return 1;
}

static int linx_next(cm_input *input, const cm_alteration **alterations, size_t *n, cm_error *err)
{
    linx_input *state = input->impl;
    cm_table *t = &state->table;
    int got;
    while ((got = cm_table_next_row(t, input->path, state->n_header, err)) > 0) {
        int line = (int)t->line_number;
        input->stats.records++;
        cm_slice reported = cm_table_field(t, state->c_reported);
        if (!cm_slice_equals(reported, "true") && !cm_slice_equals(reported, "false"))
            return cm_error_set(err, input->path, line, 0, "reported '%s' is not true or false",
                                reported.s);
        cm_slice phased = cm_table_field(t, state->c_phased);
        int in_frame = read_phased(phased);
        if (in_frame == -2)
            return cm_error_set(err, input->path, line, 0,
                                "phased '%s' is not INFRAME, SKIPPED_EXONS or OUT_OF_FRAME",
                                phased.s);
        cm_slice name = cm_table_field(t, state->c_name);
        cm_slice up, down;
        if (state->c_gene_start >= 0) {
            up = cm_table_field(t, state->c_gene_start);
            down = cm_table_field(t, state->c_gene_end);
        } else {
            // GENEUP_GENEDOWN: exactly one '_' (gene symbols have none), either side may be
            // empty.
            const char *bar = memchr(name.s, '_', (size_t)name.len);
            if (!bar || memchr(bar + 1, '_', (size_t)(name.s + name.len - bar - 1)))
                return cm_error_set(err, input->path, line, 0,
                                    "fusion name '%s' is not GENEUP_GENEDOWN", name.s);
            up = (cm_slice){name.s, (int)(bar - name.s)};
            down = (cm_slice){bar + 1, (int)(name.s + name.len - bar - 1)};
        }
        if (up.len == 0 && down.len == 0) {
            input->skipped[state->skip_no_gene].value++;
            continue;
        }
        if (up.len == down.len && memcmp(up.s, down.s, (size_t)up.len) == 0) {
            if (cm_slice_equals(reported, "true") &&
                cm_slice_equals(cm_table_field(t, state->c_reported_type), "EXON_DEL_DUP")) {
                cm_alteration *a = NULL;
                int got_event = exon_event(input, state, up, in_frame, &a, err);
                if (got_event < 0)
                    return -1;
                if (got_event == 0)
                    continue;
                *alterations = a;
                *n = 1;
                return 1;
            }
            input->skipped[state->skip_same_gene].value++;
            continue;
        }
        if (cm_slice_equals(reported, "false")) {
            input->skipped[state->skip_not_reported].value++;
            continue;
        }
        cm_alteration *a = cm_input_batch(input, 1);
        if (!a)
            return cm_error_set(err, input->path, line, 0, "out of memory");
        cm_alteration_init(a);
        a->kind = CM_ALTERATION_FUSION;
        a->sample = 0;
        a->is_pass = 1;
        a->is_preferred = 1;
        a->in_frame = in_frame;
        a->input = input->index;
        a->line = line;
        if (up.len > 0) {
            a->gene = up;
            a->partner = down.len > 0 ? down : (cm_slice){"intergenic", 10};
            a->is_five_prime = 1;
            a->transcript = cm_table_field(t, state->c_transcript_start);
        } else {
            a->gene = down;
            a->partner = (cm_slice){"intergenic", 10};
            a->is_five_prime = 0;
        }
        // The caller's own class of the fusion (KNOWN_PAIR, PROMISCUOUS_3, ...), as written.
        a->messages = cm_table_field(t, state->c_reported_type);
        *alterations = a;
        *n = 1;
        return 1;
    }
    return got < 0 ? -1 : 0;
}

static void linx_close(cm_input *input)
{
    linx_input *state = input->impl;
    if (!state)
        return;
    cm_table_close(&state->table);
    free(state);
    input->impl = NULL;
}

const cm_input_reader cm_input_linx_fusions = {CM_INPUT_LINX_FUSIONS, linx_open, linx_next,
                                               linx_close, NULL};
