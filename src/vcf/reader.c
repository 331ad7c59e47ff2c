/*
 * The VCF/BCF reader over htslib. It owns the file, the header, sample
 * selection and the per-sample facts of each record (which ALT a sample
 * carries, VAF, depth, zygosity, FILTER); the annotation text is handed to
 * the annotation parser (src/annot/), and the reader only joins the two into
 * alterations.
 *
 * Text VCF is read line by line with hts_getline() and parsed with
 * vcf_parse(), so that every error can name its line; BCF is read with
 * bcf_read() and errors name the record. htslib's own messages are turned
 * off by the callers, so every check whose failure htslib only logs (wrong
 * column count, a POS that is not a number, a truncated BGZF block) is made
 * here and becomes one cm_error.
 *
 * Invariant: after the header, nothing is allocated per record. Every buffer
 * (line, INFO text, FORMAT arrays, output) grows to the largest record and is
 * reused; alterations borrow from them until the next record.
 */
#include "cohortmatch/vcf.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/kseq.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include "prefilter.h"
#include "sv.h"

struct cm_vcf_reader {
    char *path; // as given, for messages
    int input;  // the input's index, stamped into every alteration
    htsFile *fp;
    bcf_hdr_t *hdr;
    bcf1_t *rec;
    int is_text;
    kstring_t line, line_copy;
    long line_number;
    // Samples: selected index -> column in the file (-1: the pseudo-sample of a sites-only file).
    int n_file_samples;
    int *sample_columns;
    const char **sample_names;
    size_t n_samples;
    cm_genome_build build;
    cm_annotation_parser *annotation;
    // Reused per-record buffers.
    char *info;
    int info_capacity;
    int32_t *gt, *ad, *dp;
    int gt_capacity, ad_capacity, dp_capacity;
    float *af;
    int af_capacity;
    uint8_t *is_skipped;
    int skipped_capacity;
    cm_alteration *out;
    size_t out_capacity;
    cm_vcf_stats stats;
    // Structural records (sv.c): each ALT's cm_sv_kind, and bcftools csq's per-sample bitmask.
    cm_sv_reader *sv;
    uint8_t *sv_kinds;
    size_t sv_kinds_capacity;
    int32_t *bcsq_mask;
    int bcsq_mask_capacity;
    // Records no rule can match are skipped before their full parse (prefilter.c); NULL: off.
    cm_prefilter *prefilter;
    int is_prefiltered; // the last record was skipped so (r->rec does not hold it)
};

static const char *const skip_names[CM_VCF_SKIP_COUNT] = {
    "spanning_deletion",    "non_ref",
    "symbolic_allele",      "no_alt",
    "csq_allele_unmatched", "annotation_reference",
    "unpaired_breakend",    "copy_number_no_gene",
    "breakend_no_gene",     "simple_ann_not_read",
};

const char *cm_vcf_skip_name(cm_vcf_skip cause)
{
    return cause < CM_VCF_SKIP_COUNT ? skip_names[cause] : "unknown";
}

const char *cm_genome_build_name(cm_genome_build build)
{
    switch (build) {
    case CM_BUILD_GRCH37:
        return "GRCh37";
    case CM_BUILD_GRCH38:
        return "GRCh38";
    case CM_BUILD_UNKNOWN:
        break;
    }
    return "unknown";
}

// Fills err for the current record: "file:LINE: message" for text VCF, "file: record
// CHROM:POS: message" for BCF. Returns -1.
static int record_error(const cm_vcf_reader *r, cm_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int record_error(const cm_vcf_reader *r, cm_error *err, const char *fmt, ...)
{
    char message[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (r->is_text)
        return cm_error_set(err, r->path, (int)r->line_number, 0, "%s", message);
    return cm_error_set(err, r->path, 0, 0, "record %s:%lld: %s", bcf_seqname_safe(r->hdr, r->rec),
                        (long long)r->rec->pos + 1, message);
}

// hts_getline() hands back the part of a line it could decompress before a damaged or cut
// BGZF/gzip block and reports the failure only on the next call: look at the stream first.
static int stream_failed(const cm_vcf_reader *r)
{
    return r->fp->is_bgzf && r->fp->fp.bgzf && r->fp->fp.bgzf->errcode;
}

static void strip_cr(kstring_t *line)
{
    if (line->l > 0 && line->s[line->l - 1] == '\r')
        line->s[--line->l] = '\0';
}

// Reads the header of a text VCF line by line (so that line numbers stay exact) and parses it.
static int read_text_header(cm_vcf_reader *r, cm_error *err)
{
    kstring_t text = {0, 0, NULL};
    int ret, found_chrom = 0;
    while ((ret = hts_getline(r->fp, KS_SEP_LINE, &r->line)) >= 0) {
        if (stream_failed(r)) {
            ret = -2;
            break;
        }
        r->line_number++;
        strip_cr(&r->line);
        if (r->line.l == 0 || r->line.s[0] != '#') {
            free(text.s);
            return cm_error_set(err, r->path, (int)r->line_number, 0,
                                "the header has no #CHROM line before the first record");
        }
        kputsn(r->line.s, r->line.l, &text);
        kputc('\n', &text);
        if (strncmp(r->line.s, "#CHROM", 6) == 0) {
            found_chrom = 1;
            break;
        }
    }
    if (ret < -1) {
        free(text.s);
        return cm_error_set(err, r->path, (int)r->line_number + 1, 0,
                            "cannot read: the compressed data is truncated or corrupt");
    }
    if (!found_chrom) {
        free(text.s);
        return cm_error_set(err, r->path, 0, 0, "the header has no #CHROM line");
    }
    r->hdr = bcf_hdr_init("r");
    if (!r->hdr) {
        free(text.s);
        return cm_error_set(err, r->path, 0, 0, "out of memory");
    }
    ret = bcf_hdr_parse(r->hdr, text.s);
    free(text.s);
    if (ret != 0)
        return cm_error_set(err, r->path, (int)r->line_number, 0,
                            "invalid VCF header (duplicate or malformed sample names?)");
    return 0;
}

static cm_genome_build guess_build(const bcf_hdr_t *hdr)
{
    static const char *const names[] = {"chr1", "1"};
    for (size_t i = 0; i < 2; i++) {
        bcf_hrec_t *hrec = bcf_hdr_get_hrec(hdr, BCF_HL_CTG, "ID", names[i], NULL);
        if (!hrec)
            continue;
        int k = bcf_hrec_find_key(hrec, "length");
        if (k < 0)
            continue;
        long long length = strtoll(hrec->vals[k], NULL, 10);
        if (length == 248956422)
            return CM_BUILD_GRCH38;
        if (length == 249250621)
            return CM_BUILD_GRCH37;
    }
    return CM_BUILD_UNKNOWN;
}

static int add_sample(cm_vcf_reader *r, int column, const char *name, cm_error *err)
{
    for (size_t i = 0; i < r->n_samples; i++)
        if (r->sample_columns[i] == column)
            return cm_error_set(err, r->path, 0, 0, "sample '%s' is selected twice", name);
    r->sample_columns[r->n_samples] = column;
    r->sample_names[r->n_samples] = name;
    r->n_samples++;
    return 0;
}

static int unknown_sample(const cm_vcf_reader *r, const char *name, const char *why, cm_error *err)
{
    if (r->n_file_samples == 0)
        return cm_error_set(err, r->path, 0, 0, "%s '%s' is not a sample of the file (it has none)",
                            why, name);
    kstring_t names = {0, 0, NULL};
    for (int i = 0; i < r->n_file_samples && i < 10; i++) {
        if (i)
            kputs(", ", &names);
        kputs(r->hdr->samples[i], &names);
    }
    if (r->n_file_samples > 10)
        kputs(", ...", &names);
    cm_error_set(err, r->path, 0, 0, "%s '%s' is not a sample of the file (samples: %s)", why, name,
                 names.s ? names.s : "");
    free(names.s);
    return -1;
}

static int select_samples(cm_vcf_reader *r, const char *list, cm_error *err)
{
    r->n_file_samples = bcf_hdr_nsamples(r->hdr);
    size_t capacity = (size_t)r->n_file_samples + 1;
    if (list)
        for (const char *p = list; *p; p++)
            capacity += *p == ',';
    r->sample_columns = malloc(capacity * sizeof *r->sample_columns);
    r->sample_names = malloc(capacity * sizeof *r->sample_names);
    if (!r->sample_columns || !r->sample_names)
        return cm_error_set(err, r->path, 0, 0, "out of memory");

    if (list) {
        const char *p = list;
        while (1) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            char name[1024];
            if (len == 0 || len >= sizeof name)
                return cm_error_set(err, r->path, 0, 0, "-s: empty or overlong sample name in '%s'",
                                    list);
            memcpy(name, p, len);
            name[len] = '\0';
            int column = r->n_file_samples == 0 && strcmp(name, ".") == 0
                             ? -1
                             : bcf_hdr_id2int(r->hdr, BCF_DT_SAMPLE, name);
            if (column < 0 && !(r->n_file_samples == 0 && strcmp(name, ".") == 0))
                return unknown_sample(r, name, "-s: sample", err);
            const char *stored = column >= 0 ? r->hdr->samples[column] : ".";
            if (add_sample(r, column, stored, err) != 0)
                return -1;
            if (!comma)
                break;
            p = comma + 1;
        }
        return 0;
    }
    if (r->n_file_samples == 0)
        return add_sample(r, -1, ".", err);
    // Somatic callers name the tumour in the header; the normal is then left out.
    bcf_hrec_t *tumour = bcf_hdr_get_hrec(r->hdr, BCF_HL_GEN, "tumor_sample", NULL, NULL);
    if (tumour && tumour->value) {
        int column = bcf_hdr_id2int(r->hdr, BCF_DT_SAMPLE, tumour->value);
        if (column < 0)
            return unknown_sample(r, tumour->value, "the header's ##tumor_sample", err);
        return add_sample(r, column, r->hdr->samples[column], err);
    }
    // PURPLE's somatic VCF (##purpleVersion) names no tumour: it writes the reference, then the
    // tumour. With exactly those two the tumour is the last; with more (SAGE appends RNA
    // samples after them) every sample is read, as for any VCF.
    if (r->n_file_samples == 2 && bcf_hdr_get_hrec(r->hdr, BCF_HL_GEN, "purpleVersion", NULL, NULL))
        return add_sample(r, 1, r->hdr->samples[1], err);
    for (int i = 0; i < r->n_file_samples; i++)
        add_sample(r, i, r->hdr->samples[i], err);
    return 0;
}

// How much an annotation is preferred when a file has several: VEP, then SnpEff, then bcftools
// csq; within a kind, the tag the program writes by default (CSQ, ANN, BCSQ).
static int annotation_rank(cm_annotation_kind kind, const char *tag)
{
    static const char *const default_tags[] = {"", "CSQ", "ANN", "BCSQ", "IMPACT"};
    int base = kind == CM_ANNOTATION_VEP      ? 6
               : kind == CM_ANNOTATION_SNPEFF ? 4
               : kind == CM_ANNOTATION_BCSQ   ? 2
                                              : 0;
    return base + (strcmp(tag, default_tags[kind]) == 0);
}

// Finds the annotation to read: the kind forced with `forced`, else the best by
// annotation_rank().
// The VEP release of the header's ##VEP="v112" ... line (the last one: VEP writes its own after
// any earlier run's), or 0.
static int vep_release(const bcf_hdr_t *hdr)
{
    int release = 0;
    for (int i = 0; i < hdr->nhrec; i++) {
        const bcf_hrec_t *hrec = hdr->hrec[i];
        if (hrec->type != BCF_HL_GEN || strcmp(hrec->key, "VEP") != 0 || !hrec->value)
            continue;
        const char *p = hrec->value;
        while (*p == '"' || *p == 'v')
            p++;
        int value = 0;
        for (; *p >= '0' && *p <= '9' && value < 100000; p++)
            value = value * 10 + (*p - '0');
        release = value;
    }
    return release;
}

static int find_annotation(cm_vcf_reader *r, int required, cm_annotation_kind forced, cm_error *err)
{
    const char *best_tag = NULL, *best_description = NULL;
    cm_annotation_kind best_kind = CM_ANNOTATION_NONE;
    int best_rank = -1;
    for (int i = 0; i < r->hdr->nhrec; i++) {
        bcf_hrec_t *hrec = r->hdr->hrec[i];
        if (hrec->type != BCF_HL_INFO)
            continue;
        int id = bcf_hrec_find_key(hrec, "ID");
        int description = bcf_hrec_find_key(hrec, "Description");
        if (id < 0 || description < 0)
            continue;
        cm_annotation_kind kind = cm_annotation_detect(hrec->vals[id], hrec->vals[description]);
        if (kind == CM_ANNOTATION_NONE || !cm_annotation_is_supported(kind) ||
            (forced != CM_ANNOTATION_NONE && kind != forced))
            continue;
        int rank = annotation_rank(kind, hrec->vals[id]);
        if (rank > best_rank) {
            best_rank = rank;
            best_kind = kind;
            best_tag = hrec->vals[id];
            best_description = hrec->vals[description];
        }
    }
    if (best_tag) {
        r->annotation =
            cm_annotation_parser_new(best_kind, best_tag, best_description, r->path, err);
        if (r->annotation && best_kind == CM_ANNOTATION_VEP)
            cm_annotation_parser_set_release(r->annotation, vep_release(r->hdr));
        return r->annotation ? 0 : -1;
    }
    if (forced != CM_ANNOTATION_NONE)
        return cm_error_set(err, r->path, 0, 0, "--annotation: the header has no %s annotation",
                            cm_annotation_kind_name(forced));
    if (!required)
        return 0;
    return cm_error_set(err, r->path, 0, 0,
                        "no annotation in the header (VEP CSQ, SnpEff ANN, bcftools csq BCSQ or "
                        "PAVE IMPACT expected)");
}

cm_vcf_reader *cm_vcf_open(const char *path, const cm_vcf_options *options, cm_error *err)
{
    cm_vcf_options defaults = {NULL, 0, 0, CM_ANNOTATION_NONE, NULL, NULL, 0};
    if (!options)
        options = &defaults;
    cm_vcf_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        cm_error_set(err, path, 0, 0, "out of memory");
        return NULL;
    }
    errno = 0;
    r->fp = hts_open(path, "r");
    if (!r->fp) {
        // htslib fails with ENOEXEC on content it does not recognise at all.
        if (errno == ENOEXEC)
            cm_error_set(err, path, 0, 0, "not a VCF or BCF file (unrecognised content)");
        else
            cm_error_set(err, path, 0, 0, "cannot open: %s",
                         errno ? strerror(errno) : "not a readable file");
        goto fail;
    }
    const htsFormat *format = hts_get_format(r->fp);
    if (format->format != vcf && format->format != bcf) {
        cm_error_set(err, path, 0, 0, "not a VCF or BCF file (%s)",
                     format->format == empty_format  ? "empty"
                     : format->format == text_format ? "text without a ##fileformat=VCF first line"
                                                     : "unrecognised content");
        goto fail;
    }
    if (format->compression == bgzf && hts_check_EOF(r->fp) == 0) {
        cm_error_set(err, path, 0, 0, "truncated file: the BGZF end-of-file marker is missing");
        goto fail;
    }
    if (options->threads > 0 && hts_set_threads(r->fp, options->threads) != 0) {
        cm_error_set(err, path, 0, 0, "cannot start %d threads", options->threads);
        goto fail;
    }
    r->is_text = format->format == vcf;
    if (r->is_text) {
        if (read_text_header(r, err) != 0)
            goto fail;
    } else {
        r->hdr = bcf_hdr_read(r->fp);
        if (!r->hdr) {
            cm_error_set(err, path, 0, 0, "cannot read the BCF header (truncated or corrupt)");
            goto fail;
        }
    }
    r->rec = bcf_init();
    if (!r->rec) {
        cm_error_set(err, path, 0, 0, "out of memory");
        goto fail;
    }
    r->build = guess_build(r->hdr);
    r->input = options->input;
    if (select_samples(r, options->samples, err) != 0)
        goto fail;
    // An SV or CNV caller's file (INFO/SVTYPE declared) names its genes in INFO or by position
    // (a gene BED): it is read without an annotation.
    int is_sv_file =
        bcf_hdr_id2int(r->hdr, BCF_DT_ID, "SVTYPE") >= 0 &&
        bcf_hdr_idinfo_exists(r->hdr, BCF_HL_INFO, bcf_hdr_id2int(r->hdr, BCF_DT_ID, "SVTYPE"));
    if (find_annotation(r, options->require_annotation && !options->genes_bed && !is_sv_file,
                        options->annotation, err) != 0)
        goto fail;
    if (!(r->sv = cm_sv_new(options->fusion_tags, options->genes_bed, err)))
        goto fail;
    return r;
fail:
    cm_vcf_close(r);
    return NULL;
}

size_t cm_vcf_n_samples(const cm_vcf_reader *reader)
{
    return reader->n_samples;
}

const char *cm_vcf_sample_name(const cm_vcf_reader *reader, size_t i)
{
    return i < reader->n_samples ? reader->sample_names[i] : NULL;
}

cm_genome_build cm_vcf_genome_build(const cm_vcf_reader *reader)
{
    return reader->build;
}

cm_annotation_kind cm_vcf_annotation_kind(const cm_vcf_reader *reader)
{
    return reader->annotation ? cm_annotation_parser_kind(reader->annotation) : CM_ANNOTATION_NONE;
}

const char *cm_vcf_annotation_tag(const cm_vcf_reader *reader)
{
    return reader->annotation ? cm_annotation_parser_tag(reader->annotation) : NULL;
}

long cm_vcf_line(const cm_vcf_reader *reader)
{
    return reader->is_text ? reader->line_number : 0;
}

const cm_vcf_stats *cm_vcf_get_stats(const cm_vcf_reader *reader)
{
    return &reader->stats;
}

void cm_vcf_close(cm_vcf_reader *r)
{
    if (!r)
        return;
    if (r->rec)
        bcf_destroy(r->rec);
    if (r->hdr)
        bcf_hdr_destroy(r->hdr);
    if (r->fp)
        hts_close(r->fp);
    cm_annotation_parser_free(r->annotation);
    cm_sv_free(r->sv);
    cm_prefilter_free(r->prefilter);
    free(r->sv_kinds);
    free(r->bcsq_mask);
    free(r->line.s);
    free(r->line_copy.s);
    free(r->sample_columns);
    free(r->sample_names);
    free(r->info);
    free(r->gt);
    free(r->ad);
    free(r->dp);
    free(r->af);
    free(r->is_skipped);
    free(r->out);
    free(r->path);
    free(r);
}

// ---- Text records: the checks htslib only logs ----

static int is_integer(const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    if (i == len)
        return 0;
    for (; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int is_number(const char *s, size_t len)
{
    char buffer[64];
    if (len == 0 || len >= sizeof buffer)
        return 0;
    memcpy(buffer, s, len);
    buffer[len] = '\0';
    char *end;
    strtod(buffer, &end);
    return *end == '\0';
}

// Checks each comma-separated value of a typed field; returns the first bad one (length in
// *bad_len) or NULL.
static const char *bad_value(const char *s, size_t len, int type, size_t *bad_len)
{
    const char *end = s + len;
    while (s <= end) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *value_end = comma ? comma : end;
        size_t n = (size_t)(value_end - s);
        int ok =
            (n == 1 && s[0] == '.') || (type == BCF_HT_INT ? is_integer(s, n) : is_number(s, n));
        if (!ok) {
            *bad_len = n;
            return s;
        }
        if (!comma)
            break;
        s = comma + 1;
    }
    return NULL;
}

// Explains why vcf_parse() refused a line it flagged with BCF_ERR_CHAR: a value that is not
// a number in a numeric INFO or FORMAT field (or QUAL). line is an untouched copy.
static int explain_bad_characters(cm_vcf_reader *r, char *line, cm_error *err)
{
    char *columns[10] = {0};
    int n = 0;
    char *p = line;
    while (n < 10) {
        columns[n++] = p;
        if (n == 10)
            break; // the sample columns stay together: the FORMAT loop below splits them
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    if (n > 5 && !(columns[5][0] == '.' && columns[5][1] == '\0') &&
        !is_number(columns[5], strlen(columns[5])))
        return record_error(r, err, "QUAL '%s' is not a number", columns[5]);
    if (n > 7) {
        for (char *field = columns[7]; field && *field;) {
            char *semi = strchr(field, ';');
            if (semi)
                *semi = '\0';
            char *eq = strchr(field, '=');
            if (eq) {
                *eq = '\0';
                int id = bcf_hdr_id2int(r->hdr, BCF_DT_ID, field);
                if (id >= 0 && bcf_hdr_idinfo_exists(r->hdr, BCF_HL_INFO, id)) {
                    int type = (int)bcf_hdr_id2type(r->hdr, BCF_HL_INFO, id);
                    size_t bad_len;
                    const char *bad;
                    if ((type == BCF_HT_INT || type == BCF_HT_REAL) &&
                        (bad = bad_value(eq + 1, strlen(eq + 1), type, &bad_len)))
                        return record_error(r, err, "INFO/%s value '%.*s' is not a number", field,
                                            (int)bad_len, bad);
                }
            }
            field = semi ? semi + 1 : NULL;
        }
    }
    if (n > 9) {
        // FORMAT keys, then every sample column.
        char *keys[256];
        int n_keys = 0;
        for (char *key = columns[8]; key && n_keys < 256;) {
            char *colon = strchr(key, ':');
            if (colon)
                *colon = '\0';
            keys[n_keys++] = key;
            key = colon ? colon + 1 : NULL;
        }
        char *sample = columns[9];
        for (int s = 0; s < r->n_file_samples && sample; s++) {
            char *next = strchr(sample, '\t');
            if (next)
                *next = '\0';
            char *value = sample;
            for (int k = 0; k < n_keys && value; k++) {
                char *colon = strchr(value, ':');
                if (colon)
                    *colon = '\0';
                int id = bcf_hdr_id2int(r->hdr, BCF_DT_ID, keys[k]);
                if (id >= 0 && bcf_hdr_idinfo_exists(r->hdr, BCF_HL_FMT, id)) {
                    int type = (int)bcf_hdr_id2type(r->hdr, BCF_HL_FMT, id);
                    size_t bad_len;
                    const char *bad;
                    if ((type == BCF_HT_INT || type == BCF_HT_REAL) &&
                        (bad = bad_value(value, strlen(value), type, &bad_len)))
                        return record_error(r, err,
                                            "FORMAT/%s value '%.*s' for sample %s is not a number",
                                            keys[k], (int)bad_len, bad, r->hdr->samples[s]);
                }
                value = colon ? colon + 1 : NULL;
            }
            sample = next ? next + 1 : NULL;
        }
    }
    return record_error(r, err, "invalid character in a field htslib could not parse");
}

// Whether a ':'-separated FORMAT column has an empty key (leading, trailing or doubled ':').
static int has_empty_key(const char *s, size_t len)
{
    if (len == 0 || s[0] == ':' || s[len - 1] == ':')
        return 1;
    for (const char *colon = memchr(s, ':', len); colon;
         colon = memchr(colon + 1, ':', (size_t)(s + len - colon - 1)))
        if (colon[1] == ':')
            return 1;
    return 0;
}

static int parse_text_record(cm_vcf_reader *r, cm_error *err)
{
    kstring_t *line = &r->line;
    // A text VCF holds no NUL byte. htslib reads a key or value only up to one, and how it
    // then parses the rest can depend on what earlier records added to the header.
    const char *nul = memchr(line->s, '\0', line->l);
    if (nul) {
        int column = 1;
        for (const char *c = line->s; c < nul; c++)
            column += *c == '\t';
        return record_error(
            r, err, "NUL byte in column %d (a text VCF holds none: is the file damaged?)", column);
    }
    // Column count and POS: htslib accepts a short line or a POS like "x" without an error.
    int n_columns = 1;
    const char *pos = NULL, *qual = NULL, *format = NULL;
    size_t pos_len = 0, qual_len = 0, format_len = 0;
    // memchr: a line is mostly annotation text with a dozen tabs (the profile showed a byte
    // loop here costing a fifth of a prefiltered run).
    const char *end = line->s + line->l;
    for (const char *tab = memchr(line->s, '\t', line->l); tab;
         tab = memchr(tab + 1, '\t', (size_t)(end - tab - 1))) {
        size_t i = (size_t)(tab - line->s);
        n_columns++;
        if (n_columns == 2)
            pos = line->s + i + 1;
        else if (n_columns == 3)
            pos_len = (size_t)(line->s + i - pos);
        else if (n_columns == 6)
            qual = line->s + i + 1;
        else if (n_columns == 7)
            qual_len = (size_t)(line->s + i - qual);
        else if (n_columns == 9)
            format = line->s + i + 1;
        else if (n_columns == 10)
            format_len = (size_t)(line->s + i - format);
    }
    int expected = r->n_file_samples > 0 ? 9 + r->n_file_samples : 8;
    if (n_columns != expected) {
        if (r->n_file_samples > 0)
            return record_error(r, err,
                                "expected %d tab-separated columns (8 fixed, FORMAT and %d "
                                "sample%s), found %d",
                                expected, r->n_file_samples, r->n_file_samples == 1 ? "" : "s",
                                n_columns);
        return record_error(r, err, "expected 8 tab-separated columns, found %d", n_columns);
    }
    for (size_t i = 0; i < pos_len; i++)
        if (pos[i] < '0' || pos[i] > '9')
            return record_error(r, err, "POS '%.*s' is not a number", (int)pos_len, pos);
    if (pos_len == 0)
        return record_error(r, err, "POS is empty");
    if (!(qual_len == 1 && qual[0] == '.') && !is_number(qual, qual_len))
        return record_error(r, err, "QUAL '%.*s' is not a number", (int)qual_len, qual);
    // htslib pairs an empty key with the wrong values and may then end the process
    // (exit(1) in bcf_get_format_values): refuse it here, on both paths.
    if (format && has_empty_key(format, format_len))
        return record_error(r, err, "FORMAT '%.*s%s' has an empty key",
                            (int)(format_len < 60 ? format_len : 60), format,
                            format_len > 60 ? "..." : "");

    // The prefilter may tell from the raw line that no rule can match the record: 1 = skipped.
    if (r->prefilter && cm_prefilter_text(r->prefilter, r->hdr, line->s, line->l, &r->stats))
        return 1;

    // vcf_parse() may write into the line; keep a copy to explain its errors.
    r->line_copy.l = 0;
    kputsn(line->s, line->l, &r->line_copy);
    if (vcf_parse(line, r->hdr, r->rec) < 0) {
        int code = r->rec->errcode;
        if (code & BCF_ERR_CHAR)
            return explain_bad_characters(r, r->line_copy.s, err);
        if (code & BCF_ERR_CTG_INVALID)
            return record_error(r, err, "invalid CHROM name");
        if (code & BCF_ERR_TAG_INVALID)
            return record_error(r, err, "invalid INFO or FORMAT tag");
        if (code & BCF_ERR_LIMITS)
            return record_error(r, err, "a value is beyond htslib's limits");
        if (code & BCF_ERR_NCOLS)
            return record_error(r, err, "wrong number of values in a FORMAT field");
        return record_error(r, err, "malformed record");
    }
    return 0;
}

// ---- Per-sample facts ----

static int grow(void **buffer, size_t *capacity, size_t need, size_t size)
{
    if (need <= *capacity)
        return 0;
    size_t n = need < 16 ? 16 : need * 2;
    void *p = realloc(*buffer, n * size);
    if (!p)
        return -1;
    *buffer = p;
    *capacity = n;
    return 0;
}

typedef struct sample_data {
    int gt_per_sample, ad_per_sample, af_per_sample, dp_per_sample; // 0 = absent
    int af_has_ref; // FORMAT/AF is Number=R: the first value is the reference's
} sample_data;

static int read_format(cm_vcf_reader *r, sample_data *d, cm_error *err)
{
    memset(d, 0, sizeof *d);
    int n = r->n_file_samples;
    if (n == 0 || r->rec->n_fmt == 0)
        return 0;
    int ret = bcf_get_genotypes(r->hdr, r->rec, &r->gt, &r->gt_capacity);
    d->gt_per_sample = ret > 0 ? ret / n : 0;
    ret = bcf_get_format_int32(r->hdr, r->rec, "AD", &r->ad, &r->ad_capacity);
    d->ad_per_sample = ret > 0 ? ret / n : 0;
    ret = bcf_get_format_float(r->hdr, r->rec, "AF", &r->af, &r->af_capacity);
    d->af_per_sample = ret > 0 ? ret / n : 0;
    int af_id = bcf_hdr_id2int(r->hdr, BCF_DT_ID, "AF");
    d->af_has_ref = d->af_per_sample > 0 && af_id >= 0 &&
                    bcf_hdr_id2length(r->hdr, BCF_HL_FMT, af_id) == BCF_VL_R;
    ret = bcf_get_format_int32(r->hdr, r->rec, "DP", &r->dp, &r->dp_capacity);
    d->dp_per_sample = ret > 0 ? ret / n : 0;

    // The values the alterations will carry must make sense for the selected samples.
    for (size_t s = 0; s < r->n_samples; s++) {
        int column = r->sample_columns[s];
        const char *name = r->sample_names[s];
        for (int k = 0; k < d->af_per_sample; k++) {
            float v = r->af[column * d->af_per_sample + k];
            if (bcf_float_is_missing(v) || bcf_float_is_vector_end(v))
                continue;
            if (!(v >= 0 && v <= 1))
                return record_error(r, err, "FORMAT/AF %g for sample %s is not between 0 and 1",
                                    (double)v, name);
        }
        for (int k = 0; k < d->ad_per_sample; k++) {
            int32_t v = r->ad[column * d->ad_per_sample + k];
            if (v != bcf_int32_missing && v != bcf_int32_vector_end && v < 0)
                return record_error(r, err, "FORMAT/AD %d for sample %s is negative", v, name);
        }
        if (d->dp_per_sample > 0) {
            int32_t v = r->dp[column * d->dp_per_sample];
            if (v != bcf_int32_missing && v != bcf_int32_vector_end && v < 0)
                return record_error(r, err, "FORMAT/DP %d for sample %s is negative", v, name);
        }
    }
    return 0;
}

typedef struct allele_facts {
    int carries;
    int is_homozygous;
    double vaf, vaf_ad; // vaf_ad: what AD gives, kept beside an AF-based vaf for the reports
    cm_vaf_source vaf_source;
    int depth;
} allele_facts;

static void sample_facts(const cm_vcf_reader *r, const sample_data *d, int column, int allele,
                         int n_alt, allele_facts *f)
{
    f->carries = 1;
    f->is_homozygous = 0;
    f->vaf = NAN;
    f->vaf_ad = NAN;
    f->vaf_source = CM_VAF_UNKNOWN;
    f->depth = -1;
    if (column < 0)
        return; // a sites-only file: the record itself is the evidence
    if (d->dp_per_sample > 0) {
        int32_t v = r->dp[column * d->dp_per_sample];
        if (v != bcf_int32_missing && v != bcf_int32_vector_end)
            f->depth = v;
    }
    if (d->gt_per_sample == 0 && d->ad_per_sample == 0 && d->af_per_sample == 0)
        return; // no GT, AF or AD: the record itself is the evidence

    int has_call = 0, copies = 0, has_ref = 0;
    for (int k = 0; k < d->gt_per_sample; k++) {
        int32_t v = r->gt[column * d->gt_per_sample + k];
        if (v == bcf_int32_vector_end)
            break;
        if (bcf_gt_is_missing(v))
            continue;
        has_call = 1;
        int a = bcf_gt_allele(v);
        copies += a == allele;
        has_ref |= a == 0;
    }

    // VAF: FORMAT/AF (per ALT, or the one value of a biallelic record), else AD. AF is the
    // caller's own estimate (Mutect2's comes from its model and counts reads that AD, which
    // holds only informative reads, leaves out), so it wins; what AD gives is kept too, for
    // the reports to show when the two fall on different sides of a gate.
    double af = NAN;
    int af_index = d->af_has_ref ? allele : allele - 1;
    if (d->af_per_sample > af_index && (d->af_per_sample >= n_alt || n_alt == 1)) {
        float v = r->af[column * d->af_per_sample + af_index];
        if (!bcf_float_is_missing(v) && !bcf_float_is_vector_end(v))
            af = v;
    }
    long ad_sum = 0, ad_allele = -1;
    int has_ad = 0;
    for (int k = 0; k < d->ad_per_sample; k++) {
        int32_t v = r->ad[column * d->ad_per_sample + k];
        if (v == bcf_int32_vector_end)
            break;
        if (v == bcf_int32_missing)
            continue;
        has_ad = 1;
        ad_sum += v;
        if (k == allele && d->ad_per_sample >= n_alt + 1)
            ad_allele = v;
    }
    if (ad_allele >= 0 && ad_sum > 0)
        f->vaf_ad = (double)ad_allele / (double)ad_sum;
    if (!isnan(af)) {
        f->vaf = af;
        f->vaf_source = CM_VAF_ALLELE_FRACTION;
    } else if (!isnan(f->vaf_ad)) {
        f->vaf = f->vaf_ad;
        f->vaf_source = CM_VAF_READ_COUNTS;
    }

    if (f->depth < 0 && has_ad)
        f->depth = ad_sum > INT32_MAX ? INT32_MAX : (int)ad_sum;

    if (has_call) {
        f->carries = copies > 0;
        f->is_homozygous = copies >= 2 && !has_ref;
    } else {
        f->carries = (!isnan(af) && af > 0) || ad_allele > 0;
    }
}

// Whether the sample's GT calls any allele (not absent, not ./.).
static int gt_is_called(const cm_vcf_reader *r, const sample_data *d, int column)
{
    if (column < 0)
        return 0;
    for (int k = 0; k < d->gt_per_sample; k++) {
        int32_t v = r->gt[column * d->gt_per_sample + k];
        if (v == bcf_int32_vector_end)
            break;
        if (!bcf_gt_is_missing(v))
            return 1;
    }
    return 0;
}

static int is_pass(const cm_vcf_reader *r)
{
    const bcf1_t *rec = r->rec;
    if (rec->d.n_flt == 0)
        return 1;
    return rec->d.n_flt == 1 &&
           strcmp(bcf_hdr_int2id(r->hdr, BCF_DT_ID, rec->d.flt[0]), "PASS") == 0;
}

static cm_vcf_skip classify_allele(const char *alt)
{
    if (strcmp(alt, "*") == 0)
        return CM_VCF_SKIP_SPANNING_DELETION;
    if (strcmp(alt, "<NON_REF>") == 0 || strcmp(alt, "<*>") == 0)
        return CM_VCF_SKIP_NON_REF;
    if (alt[0] == '<' || strchr(alt, '[') || strchr(alt, ']') || alt[0] == '.' ||
        alt[strlen(alt) - 1] == '.')
        return CM_VCF_SKIP_SYMBOLIC;
    return CM_VCF_SKIP_COUNT;
}

static int build_alterations(cm_vcf_reader *r, const cm_alteration **alterations, size_t *n,
                             cm_error *err)
{
    bcf1_t *rec = r->rec;
    if (bcf_unpack(rec, BCF_UN_ALL) != 0)
        return record_error(r, err, "cannot unpack the record");
    int n_alleles = rec->n_allele;
    if (n_alleles < 2 || (n_alleles == 2 && strcmp(rec->d.allele[1], ".") == 0)) {
        r->stats.skipped[CM_VCF_SKIP_NO_ALT]++;
        return 0;
    }

    size_t skipped_capacity = (size_t)r->skipped_capacity;
    if (grow((void **)&r->is_skipped, &skipped_capacity, (size_t)n_alleles, 1) != 0)
        return record_error(r, err, "out of memory");
    r->skipped_capacity = (int)skipped_capacity;
    if (grow((void **)&r->sv_kinds, &r->sv_kinds_capacity, (size_t)n_alleles, 1) != 0)
        return record_error(r, err, "out of memory");
    int n_reported = 0, n_structural = 0;
    r->is_skipped[0] = 1;
    r->sv_kinds[0] = CM_SV_NONE;
    for (int a = 1; a < n_alleles; a++) {
        cm_vcf_skip cause = classify_allele(rec->d.allele[a]);
        // Copy-number and breakend ALTs are read by sv.c; <INV> and the like only when their
        // annotation names a fusion (sv.c counts them as symbolic otherwise).
        r->sv_kinds[a] = cause == CM_VCF_SKIP_SYMBOLIC ? (uint8_t)cm_sv_classify(rec->d.allele[a])
                                                       : (uint8_t)CM_SV_NONE;
        r->is_skipped[a] = cause != CM_VCF_SKIP_COUNT && r->sv_kinds[a] == CM_SV_NONE;
        if (r->is_skipped[a])
            r->stats.skipped[cause]++;
        else if (r->sv_kinds[a] != CM_SV_NONE)
            n_structural++;
        else
            n_reported++;
    }
    if (n_reported == 0 && n_structural == 0)
        return 0;

    // The annotation, tokenised in place in our copy of the INFO text.
    const cm_alteration *entries = NULL;
    size_t n_entries = 0;
    if (r->annotation) {
        int len = bcf_get_info_string(r->hdr, rec, cm_annotation_parser_tag(r->annotation),
                                      &r->info, &r->info_capacity);
        if (len > 0) {
            cm_annotation_counts counts = {0, 0, 0};
            cm_error parse_error;
            cm_error_clear(&parse_error);
            if (cm_annotation_parse(r->annotation, r->info, strlen(r->info), rec->d.allele,
                                    n_alleles, r->is_skipped, &entries, &n_entries, &counts,
                                    &parse_error) != 0)
                return record_error(r, err, "%s", parse_error.message);
            r->stats.skipped[CM_VCF_SKIP_CSQ_ALLELE_UNMATCHED] += counts.allele_unmatched;
            r->stats.skipped[CM_VCF_SKIP_ANNOTATION_REFERENCE] += counts.references;
            r->stats.unknown_consequence_terms += counts.unknown_terms;
        }
    }
    for (int a = 1; a < n_alleles; a++) {
        if (r->is_skipped[a] || r->sv_kinds[a] != CM_SV_NONE)
            continue;
        int annotated = 0;
        for (size_t e = 0; e < n_entries && !annotated; e++)
            annotated = entries[e].allele == a;
        r->stats.unannotated += !annotated;
    }

    sample_data data;
    if (read_format(r, &data, err) != 0)
        return -1;

    const cm_sv_event *events = NULL;
    size_t n_events = 0;
    if (n_structural > 0) {
        cm_error sv_error;
        cm_error_clear(&sv_error);
        if (cm_sv_record(r->sv, r->hdr, rec, r->sv_kinds, entries, n_entries,
                         r->is_text ? r->line_number : 0, &events, &n_events, &r->stats,
                         &sv_error) != 0)
            return record_error(r, err, "%s", sv_error.message);
    }
    // bcftools csq's FORMAT/BCSQ: per sample, two bits per INFO/BCSQ entry (one per
    // haplotype), 30 bits to an integer; an entry whose bits are both clear is not the sample's.
    int bcsq_per_sample = 0;
    if (n_entries > 0 && r->n_file_samples > 0 &&
        cm_annotation_parser_kind(r->annotation) == CM_ANNOTATION_BCSQ) {
        int got = bcf_get_format_int32(r->hdr, rec, "BCSQ", &r->bcsq_mask, &r->bcsq_mask_capacity);
        bcsq_per_sample = got > 0 ? got / r->n_file_samples : 0;
    }

    size_t need = r->n_samples * (n_entries + (size_t)n_alleles + n_events);
    if (grow((void **)&r->out, &r->out_capacity, need, sizeof *r->out) != 0)
        return record_error(r, err, "out of memory");

    cm_slice chrom = {bcf_seqname_safe(r->hdr, rec), 0};
    chrom.len = (int)strlen(chrom.s);
    cm_slice ref = {rec->d.allele[0], (int)strlen(rec->d.allele[0])};
    int pass = is_pass(r);
    int line = r->is_text && r->line_number <= INT32_MAX ? (int)r->line_number : 0;
    size_t count = 0;
    for (size_t s = 0; s < r->n_samples; s++) {
        const int32_t *mask =
            bcsq_per_sample > 0 ? r->bcsq_mask + r->sample_columns[s] * bcsq_per_sample : NULL;
        if (mask && (mask[0] == bcf_int32_missing || mask[0] == bcf_int32_vector_end))
            mask = NULL;
        for (int a = 1; a < n_alleles; a++) {
            if (r->is_skipped[a] || r->sv_kinds[a] != CM_SV_NONE)
                continue;
            allele_facts facts;
            sample_facts(r, &data, r->sample_columns[s], a, n_alleles - 1, &facts);
            if (!facts.carries) {
                r->stats.not_carried++;
                continue;
            }
            cm_alteration base;
            cm_alteration_init(&base);
            base.sample = (int)s;
            base.allele = a;
            base.chrom = chrom;
            base.pos = (int64_t)rec->pos + 1;
            base.ref = ref;
            base.alt.s = rec->d.allele[a];
            base.alt.len = (int)strlen(rec->d.allele[a]);
            base.vaf = facts.vaf;
            base.vaf_ad = facts.vaf_ad;
            base.vaf_source = facts.vaf_source;
            base.depth = facts.depth;
            base.is_pass = pass;
            base.is_homozygous = facts.is_homozygous;
            base.is_preferred = 1;
            base.input = r->input;
            base.line = line;
            int annotated = 0;
            for (size_t e = 0; e < n_entries; e++) {
                const cm_alteration *entry = &entries[e];
                if (entry->allele != a)
                    continue;
                if (mask) {
                    int ordinal = cm_annotation_entry_ordinal(r->annotation, e);
                    int word = ordinal * 2 / 30, bit = ordinal * 2 % 30;
                    int32_t value = word < bcsq_per_sample ? mask[word] : 0;
                    if (value == bcf_int32_missing || value == bcf_int32_vector_end)
                        value = 0;
                    if (ordinal >= 0 && !((value >> bit) & 3))
                        continue;
                }
                cm_alteration *out = &r->out[count++];
                *out = *entry;
                out->sample = base.sample;
                out->chrom = base.chrom;
                out->pos = base.pos;
                out->ref = base.ref;
                out->alt = base.alt;
                out->vaf = base.vaf;
                out->vaf_ad = base.vaf_ad;
                out->vaf_source = base.vaf_source;
                out->depth = base.depth;
                out->is_pass = base.is_pass;
                out->is_homozygous = base.is_homozygous;
                out->input = base.input;
                out->line = base.line;
                annotated = 1;
            }
            if (!annotated)
                r->out[count++] = base;
        }
        // Copy-number changes and fusions: one alteration per event the sample carries.
        for (size_t v = 0; v < n_events; v++) {
            const cm_sv_event *event = &events[v];
            int a = event->allele;
            allele_facts facts;
            sample_facts(r, &data, r->sample_columns[s], a, n_alleles - 1, &facts);
            // SV callers without a called GT (Manta: PR/SR read pairs) say who carries it by
            // reads; a copy-number call without a called GT and without reads is the
            // sample's when it has a copy number of its own (else the record is the evidence).
            int column = r->sample_columns[s];
            if (!gt_is_called(r, &data, column) && data.ad_per_sample == 0 &&
                data.af_per_sample == 0) {
                int reads = cm_sv_supporting_reads(r->sv, r->hdr, rec, column);
                double own_copy_number = NAN;
                if (reads >= 0)
                    facts.carries = reads > 0;
                else if (event->kind == CM_ALTERATION_COPY_NUMBER && column >= 0 &&
                         cm_sv_sample_copy_number(r->sv, r->hdr, rec, column, &own_copy_number) ==
                             0)
                    facts.carries = !isnan(own_copy_number);
                else
                    facts.carries = 1;
            }
            if (!facts.carries) {
                r->stats.not_carried++;
                continue;
            }
            cm_alteration *out = &r->out[count];
            cm_alteration_init(out);
            out->kind = event->kind;
            out->sample = (int)s;
            out->allele = a;
            out->chrom = chrom;
            out->pos = (int64_t)rec->pos + 1;
            out->ref = ref;
            out->alt.s = rec->d.allele[a];
            out->alt.len = (int)strlen(rec->d.allele[a]);
            out->gene = event->gene;
            out->partner = event->kind == CM_ALTERATION_FUSION ? event->partner : (cm_slice){0};
            out->is_pass = pass;
            out->is_homozygous = facts.is_homozygous;
            out->input = r->input;
            out->line = line;
            if (event->kind == CM_ALTERATION_SMALL) {
                // An exon deletion SIMPLE_ANN names (its annotation removed): the gene's
                // exon_loss_variant, with the exons and transcript when given.
                out->consequence = CM_SO_BIT(CM_SO_EXON_LOSS_VARIANT);
                out->transcript = event->partner;
                out->exon = event->exon;
                out->exon_last = event->exon_last;
                out->vaf = facts.vaf;
                out->vaf_ad = facts.vaf_ad;
                out->vaf_source = facts.vaf_source;
                out->depth = facts.depth;
                out->messages = (cm_slice){"SIMPLE_ANN", 10};
            } else if (event->kind == CM_ALTERATION_COPY_NUMBER) {
                // A segment has no allele fraction or read depth of its own: the gates do not
                // apply to it.
                cm_error cn_error;
                cm_error_clear(&cn_error);
                if (cm_sv_copy_number(r->sv, r->hdr, rec, r->sample_columns[s], &out->copy_number,
                                      &cn_error) != 0)
                    return record_error(r, err, "%s", cn_error.message);
            } else {
                out->vaf = facts.vaf;
                out->vaf_ad = facts.vaf_ad;
                out->vaf_source = facts.vaf_source;
                out->depth = facts.depth;
                out->is_five_prime = event->is_five_prime;
                // PURPLE: the copy number at the gene's breakend.
                out->copy_number = cm_sv_breakend_copy_number(r->sv, r->hdr, rec, event->gene_side);
                out->in_frame = cm_sv_frame(r->sv, r->hdr, rec);
            }
            count++;
        }
    }
    r->stats.alterations += count;
    *alterations = r->out;
    *n = count;
    return 0;
}

int cm_vcf_next(cm_vcf_reader *r, const cm_alteration **alterations, size_t *n, cm_error *err)
{
    *alterations = NULL;
    *n = 0;
    if (r->is_text) {
        int ret;
        do {
            ret = hts_getline(r->fp, KS_SEP_LINE, &r->line);
            if (ret < -1 || (ret >= 0 && stream_failed(r)))
                return cm_error_set(err, r->path, (int)r->line_number + 1, 0,
                                    "cannot read: the compressed data is truncated or corrupt");
            if (ret == -1)
                return cm_sv_finish(r->sv, r->path, &r->stats, err) == 0 ? 0 : -1;
            r->line_number++;
            strip_cr(&r->line);
        } while (r->line.l == 0); // a blank line (often the last) holds no record
        if (r->line.s[0] == '#')
            return record_error(r, err, "a header line after the first record");
        int parsed = parse_text_record(r, err);
        if (parsed < 0)
            return -1;
        r->is_prefiltered = parsed == 1;
    } else {
        int ret = bcf_read(r->fp, r->hdr, r->rec);
        if (ret == -1)
            return cm_sv_finish(r->sv, r->path, &r->stats, err) == 0 ? 0 : -1;
        if (ret < -1 || r->rec->errcode)
            return cm_error_set(err, r->path, 0, 0,
                                "cannot read record %llu: the BCF data is truncated or corrupt",
                                (unsigned long long)r->stats.records + 1);
        r->is_prefiltered =
            r->prefilter && cm_prefilter_bcf(r->prefilter, r->hdr, r->rec, &r->stats);
    }
    r->stats.records++;
    if (r->is_prefiltered) {
        r->stats.prefiltered++;
        return 1;
    }
    if (build_alterations(r, alterations, n, err) != 0)
        return -1;
    return 1;
}

int cm_vcf_set_gene_filter(cm_vcf_reader *r, const char *const *genes, size_t n_genes,
                           const int64_t *positions, size_t n_positions)
{
    cm_prefilter_free(r->prefilter);
    r->prefilter = cm_prefilter_new(genes, n_genes, positions, n_positions, r->annotation,
                                    r->sample_columns, r->n_samples);
    return r->prefilter ? 0 : -1;
}

int64_t cm_vcf_position(const cm_vcf_reader *r, char *chrom, size_t size)
{
    if (size == 0 || r->stats.records == 0)
        return 0;
    if (r->is_text && r->is_prefiltered) {
        // The raw line is untouched: CHROM, then POS (checked to be digits).
        const char *tab = memchr(r->line.s, '\t', r->line.l);
        size_t len = tab ? (size_t)(tab - r->line.s) : 0;
        snprintf(chrom, size, "%.*s", (int)len, r->line.s);
        return tab ? strtoll(tab + 1, NULL, 10) : 0;
    }
    snprintf(chrom, size, "%s", bcf_seqname_safe(r->hdr, r->rec));
    return (int64_t)r->rec->pos + 1;
}
