/*
 * cohortmatch alterations: prints what the matcher sees, one TSV row per
 * sample x ALT allele x transcript (columns in docs/alterations.md), for every
 * input given; with --facts, the sample facts the inputs hold instead. The
 * command only wires the inputs to a writer; every fact comes from the input
 * readers, so the output is their contract made visible. Several inputs are one
 * patient, as for `match`: a variant or event an earlier input gave (the same SNV
 * in ORANGE and the PURPLE VCF, a fusion in LINX and ORANGE) is printed from that
 * input only, and counted as merged (cm_alteration_identity() tells them apart,
 * as the matcher does).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/khash.h>
#include <htslib/kstring.h>

#include "cli.h"
#include "cohortmatch/hgvs.h"
#include "cohortmatch/input.h"
#include "cohortmatch/vcf.h"

static void usage(FILE *fp)
{
    fprintf(
        fp,
        "\n"
        "About:   Print the alterations the matcher sees: one TSV row per sample x ALT allele\n"
        "         x transcript (columns in docs/alterations.md), for every input.\n"
        "Usage:   cohortmatch alterations [options] <input>...\n"
        "\n"
        "Inputs: VCF/BCF (PAVE too), PURPLE purity, gene copy number and driver catalog\n"
        "TSV, LINX fusion TSV, TSO500 CombinedVariantOutput.tsv, or a folder of them;\n"
        "'-' for a VCF/BCF on standard input. Each is recognised by its content.\n"
        "\n"
        "Options:\n"
        "    -s, --samples LIST               comma-separated samples [##tumor_sample, else all]\n"
        "        --input-format NAME          read every input as NAME (vcf, purple-purity,\n"
        "                                     purple-gene-cn, purple-drivers, linx-fusions,\n"
        "                                     tso500, orange)\n"
        "        --facts                      print the sample facts the inputs hold (sample,\n"
        "                                     fact, value, source) instead of alterations\n"
        "        --annotation csq|ann|bcsq|pave\n"
        "                                     read this annotation when the file has several\n"
        "                                     [VEP CSQ, else SnpEff ANN, bcftools BCSQ, PAVE]\n"
        "        --genes FILE                 BED (chrom, start, end, gene) naming the genes of\n"
        "                                     copy-number records that name none\n"
        "        --fusion-genes-tags A,B      INFO keys of a fusion's 5' and 3' genes "
        "[GENEA,GENEB]\n"
        "        --transcripts preferred|any  per gene: MANE Select > canonical > picked > all;\n"
        "                                     or every transcript [preferred]\n"
        "        --stats                      counts of records, alterations and skipped alleles\n"
        "                                     on stderr\n"
        "        --threads INT                extra decompression threads [0]\n"
        "    -o, --output FILE                write to FILE, atomically [stdout]\n"
        "    -q, --quiet                      no warnings on stderr\n"
        "    -h, --help                       this help\n"
        "\n");
}

static const char *protein_kind_name(cm_protein_kind kind)
{
    switch (kind) {
    case CM_PROTEIN_NONE:
        return ".";
    case CM_PROTEIN_SUBSTITUTION:
        return "substitution";
    case CM_PROTEIN_NONSENSE:
        return "nonsense";
    case CM_PROTEIN_SYNONYMOUS:
        return "synonymous";
    case CM_PROTEIN_DELETION:
        return "deletion";
    case CM_PROTEIN_INSERTION:
        return "insertion";
    case CM_PROTEIN_DELINS:
        return "delins";
    case CM_PROTEIN_DUPLICATION:
        return "duplication";
    case CM_PROTEIN_FRAMESHIFT:
        return "frameshift";
    case CM_PROTEIN_EXTENSION:
        return "extension";
    case CM_PROTEIN_START_LOST:
        return "start_lost";
    case CM_PROTEIN_UNKNOWN:
        return "unknown";
    case CM_PROTEIN_UNPARSED:
        return "unparsed";
    }
    return ".";
}

KHASH_MAP_INIT_STR(first_input, int)

/// The variants and events of a run of several inputs, each with the input that gave it first.
typedef struct merged_set {
    khash_t(first_input) * first;
    kstring_t key;
} merged_set;

// Whether the alteration's variant or event came from an earlier input (then its rows are
// left to that input's). Returns 1, 0, or -1 when out of memory.
static int given_before(merged_set *set, const cm_alteration *a)
{
    set->key.l = 0;
    cm_alteration_identity(a, &set->key);
    if (!set->key.s)
        return -1;
    khint_t k = kh_get(first_input, set->first, set->key.s);
    if (k != kh_end(set->first))
        return kh_value(set->first, k) < a->input;
    char *copy = strdup(set->key.s);
    int absent;
    if (!copy)
        return -1;
    k = kh_put(first_input, set->first, copy, &absent);
    if (absent < 0) {
        free(copy);
        return -1;
    }
    kh_value(set->first, k) = a->input;
    return 0;
}

static void merged_set_free(merged_set *set)
{
    if (set->first) {
        for (khint_t k = kh_begin(set->first); k != kh_end(set->first); k++)
            if (kh_exist(set->first, k))
                free((char *)kh_key(set->first, k));
        kh_destroy(first_input, set->first);
    }
    free(set->key.s);
}

static void put_slice(cm_slice slice, kstring_t *out)
{
    if (slice.len > 0)
        kputsn(slice.s, (size_t)slice.len, out);
    else
        kputc('.', out);
}

static void put_rank(int number, int count, kstring_t *out)
{
    if (number <= 0) {
        kputc('.', out);
        return;
    }
    kputw(number, out);
    kputc('/', out);
    kputw(count, out);
}

static const char *const columns[] = {
    "sample",       "chrom",      "pos",       "ref",         "alt",   "gene",
    "transcript",   "flags",      "preferred", "consequence", "hgvsp", "protein",
    "protein_kind", "hgvsc",      "exon",      "intron",      "vaf",   "depth",
    "filter_pass",  "homozygous", "kind",      "copy_number", "cnv",   "partner",
    "five_prime",   "in_frame",   "messages",  "source",
};

static const char *kind_name(cm_alteration_kind kind)
{
    switch (kind) {
    case CM_ALTERATION_SMALL:
        return "small";
    case CM_ALTERATION_COPY_NUMBER:
        return "copy_number";
    case CM_ALTERATION_FUSION:
        return "fusion";
    }
    return ".";
}

static void put_cnv(unsigned cnv, kstring_t *out)
{
    static const char *const names[] = {"amplification", "gain", "deletion", "homozygous_deletion"};
    if (!cnv) {
        kputc('.', out);
        return;
    }
    const char *sep = "";
    for (int i = 0; i < 4; i++)
        if (cnv & (1u << i)) {
            kputs(sep, out);
            kputs(names[i], out);
            sep = ",";
        }
}

static void put_tristate(int value, kstring_t *out)
{
    if (value < 0)
        kputc('.', out);
    else
        kputw(value, out);
}

static void format_row(const cm_input *input, const cm_alteration *a, kstring_t *out)
{
    const char *sample = cm_input_sample_name(input, (size_t)a->sample);
    kputs(sample ? sample : ".", out);
    kputc('\t', out);
    put_slice(a->chrom, out);
    kputc('\t', out);
    kputll((long long)a->pos, out);
    kputc('\t', out);
    put_slice(a->ref, out);
    kputc('\t', out);
    put_slice(a->alt, out);
    kputc('\t', out);
    put_slice(a->gene, out);
    kputc('\t', out);
    put_slice(a->transcript, out);
    kputc('\t', out);
    if (a->transcript_flags == 0) {
        kputc('.', out);
    } else {
        const char *sep = "";
        if (a->transcript_flags & CM_TRANSCRIPT_MANE_SELECT) {
            kputs("MANE_Select", out);
            sep = ",";
        }
        if (a->transcript_flags & CM_TRANSCRIPT_CANONICAL) {
            kputs(sep, out);
            kputs("canonical", out);
            sep = ",";
        }
        if (a->transcript_flags & CM_TRANSCRIPT_PICK) {
            kputs(sep, out);
            kputs("pick", out);
        }
    }
    kputc('\t', out);
    kputw(a->is_preferred, out);
    kputc('\t', out);
    if (a->consequence)
        cm_consequence_format(a->consequence, out);
    else
        kputc('.', out);
    kputc('\t', out);
    put_slice(a->hgvsp, out);
    kputc('\t', out);
    if (a->protein.kind != CM_PROTEIN_NONE && a->protein.kind != CM_PROTEIN_UNPARSED)
        cm_protein_change_format_short(&a->protein, out);
    else
        kputc('.', out);
    kputc('\t', out);
    kputs(protein_kind_name(a->protein.kind), out);
    kputc('\t', out);
    put_slice(a->hgvsc, out);
    kputc('\t', out);
    // An exon range (a deletion or duplication of exons) is "first-last", with the count when
    // known; one exon is "number/count" as before.
    if (a->exon > 0 && a->exon_last > a->exon) {
        ksprintf(out, "%d-%d", a->exon, a->exon_last);
        if (a->exon_count > 0)
            ksprintf(out, "/%d", a->exon_count);
    } else if (a->exon > 0 && a->exon_count <= 0) {
        kputw(a->exon, out);
    } else {
        put_rank(a->exon, a->exon_count, out);
    }
    kputc('\t', out);
    put_rank(a->intron, a->intron_count, out);
    kputc('\t', out);
    if (isnan(a->vaf))
        kputc('.', out);
    else
        ksprintf(out, "%.4f", a->vaf);
    kputc('\t', out);
    if (a->depth < 0)
        kputc('.', out);
    else
        kputw(a->depth, out);
    kputc('\t', out);
    kputw(a->is_pass, out);
    kputc('\t', out);
    kputw(a->is_homozygous, out);
    kputc('\t', out);
    kputs(kind_name(a->kind), out);
    kputc('\t', out);
    if (isnan(a->copy_number))
        kputc('.', out);
    else
        ksprintf(out, "%.4g", a->copy_number);
    kputc('\t', out);
    put_cnv(a->cnv, out);
    kputc('\t', out);
    put_slice(a->partner, out);
    kputc('\t', out);
    put_tristate(a->kind == CM_ALTERATION_FUSION ? a->is_five_prime : -1, out);
    kputc('\t', out);
    // Fusions, and an exon deletion or duplication read from LINX or ORANGE: the caller's frame.
    put_tristate(a->in_frame, out);
    kputc('\t', out);
    put_slice(a->messages, out);
    kputc('\t', out);
    // Where it was read: "file:line" for text inputs, "file:key" for JSON, else the file (its
    // name without folders, as the match reports write it).
    const char *path = cm_input_path(input), *slash = strrchr(path, '/');
    kputs(slash ? slash + 1 : path, out);
    if (a->line > 0) {
        kputc(':', out);
        kputw(a->line, out);
    } else if (a->key.len > 0) {
        kputc(':', out);
        kputsn(a->key.s, (size_t)a->key.len, out);
    }
    kputc('\n', out);
}

// merged: rows left out because an earlier input gave their variant (-1: one input, not said).
static void print_stats(cm_input *input, unsigned long long rows, long long merged, int name_it)
{
    kstring_t line = {0, 0, NULL};
    if (name_it)
        ksprintf(&line, "%s: ", cm_input_path(input));
    cm_vcf_reader *reader = cm_input_vcf_reader(input);
    if (reader) {
        const cm_vcf_stats *stats = cm_vcf_get_stats(reader);
        ksprintf(&line,
                 "records %llu, alterations %llu, rows %llu, unannotated alleles %llu, "
                 "not carried %llu, unknown consequence terms %llu, skipped:",
                 (unsigned long long)stats->records, (unsigned long long)stats->alterations, rows,
                 (unsigned long long)stats->unannotated, (unsigned long long)stats->not_carried,
                 (unsigned long long)stats->unknown_consequence_terms);
        for (int cause = 0; cause < CM_VCF_SKIP_COUNT; cause++)
            ksprintf(&line, " %s=%llu", cm_vcf_skip_name((cm_vcf_skip)cause),
                     (unsigned long long)stats->skipped[cause]);
        ksprintf(&line, "; build %s", cm_genome_build_name(cm_vcf_genome_build(reader)));
    } else {
        const cm_input_stats *stats = cm_input_get_stats(input);
        size_t n_facts;
        cm_input_facts(input, &n_facts);
        ksprintf(&line, "format %s, records %llu, alterations %llu, rows %llu, facts %zu, skipped:",
                 cm_input_format_name(cm_input_get_format(input)),
                 (unsigned long long)stats->records, (unsigned long long)stats->alterations, rows,
                 n_facts);
        for (size_t k = 0; k < stats->n_skipped; k++)
            ksprintf(&line, " %s=%llu", stats->skipped[k].name,
                     (unsigned long long)stats->skipped[k].value);
        if (stats->n_skipped == 0)
            kputs(" none", &line);
        ksprintf(&line, "; build %s", cm_genome_build_name(cm_input_genome_build(input)));
    }
    if (merged >= 0)
        ksprintf(&line, "; merged into an earlier input's rows %lld", merged);
    cm_cli_message("%s", line.s);
    free(line.s);
}

enum {
    OPT_TRANSCRIPTS = 1000,
    OPT_STATS,
    OPT_THREADS,
    OPT_ANNOTATION,
    OPT_GENES,
    OPT_FUSION_TAGS,
    OPT_INPUT_FORMAT,
    OPT_FACTS
};

// The facts of one input: sample, fact, value, source.
static void format_facts(const cm_input *input, kstring_t *out)
{
    size_t n;
    const cm_input_fact *facts = cm_input_facts(input, &n);
    for (size_t i = 0; i < n; i++) {
        const char *sample = cm_input_sample_name(input, (size_t)facts[i].sample);
        ksprintf(out, "%s\t%s\t%s\t%s\n", sample ? sample : ".", facts[i].name, facts[i].value,
                 facts[i].where);
    }
}

int main_alterations(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"samples", required_argument, NULL, 's'},
        {"transcripts", required_argument, NULL, OPT_TRANSCRIPTS},
        {"stats", no_argument, NULL, OPT_STATS},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"annotation", required_argument, NULL, OPT_ANNOTATION},
        {"genes", required_argument, NULL, OPT_GENES},
        {"fusion-genes-tags", required_argument, NULL, OPT_FUSION_TAGS},
        {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
        {"facts", no_argument, NULL, OPT_FACTS},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.vcf.require_annotation = 1;
    const char *output = NULL;
    int any_transcript = 0, show_stats = 0, show_facts = 0, quiet = 0;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":s:o:qh", long_options, NULL)) != -1) {
        switch (c) {
        case 's':
            options.vcf.samples = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case OPT_TRANSCRIPTS:
            if (strcmp(optarg, "preferred") == 0)
                any_transcript = 0;
            else if (strcmp(optarg, "any") == 0)
                any_transcript = 1;
            else
                return cm_cli_bad_value("alterations",
                                        "--transcripts must be preferred or any, not '%s'", optarg);
            break;
        case OPT_STATS:
            show_stats = 1;
            break;
        case OPT_FACTS:
            show_facts = 1;
            break;
        case OPT_ANNOTATION:
            if (cm_annotation_kind_parse(optarg, &options.vcf.annotation) != 0)
                return cm_cli_bad_value(
                    "alterations", "--annotation must be csq, ann, bcsq or pave, not '%s'", optarg);
            break;
        case OPT_INPUT_FORMAT:
            if (cm_input_format_parse(optarg, &options.format) < 0)
                return cm_cli_bad_input_format("alterations", optarg, 0);
            break;
        case OPT_GENES:
            options.vcf.genes_bed = optarg;
            break;
        case OPT_FUSION_TAGS:
            options.vcf.fusion_tags = optarg;
            break;
        case OPT_THREADS:
            if (cm_cli_parse_int(optarg, &options.vcf.threads) != 0)
                return cm_cli_bad_value("alterations",
                                        "--threads needs a whole number >= 0, not '%s'", optarg);
            break;
        case 'h':
            usage(stdout);
            return CM_EXIT_OK;
        case ':':
            return cm_cli_usage_error("alterations", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cm_cli_usage_error("alterations", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind == argc) {
        usage(stderr);
        return CM_EXIT_USAGE;
    }
    hts_set_log_level(HTS_LOG_OFF);
    cm_cli_inputs files;
    int status = cm_cli_expand_inputs(argv + optind, argc - optind,
                                      options.format != CM_INPUT_UNKNOWN, quiet, &files);
    if (status != 0)
        return status;
    for (size_t i = 0; output && i < files.n; i++)
        if (strcmp(files.paths[i], "-") != 0 && cm_same_file(files.paths[i], output)) {
            cm_cli_message("%s: the output would overwrite the input", output);
            cm_cli_inputs_free(&files);
            return CM_EXIT_BAD_INPUT;
        }

    cm_error err;
    cm_error_clear(&err);
    cm_output out;
    cm_input **inputs = calloc(files.n, sizeof *inputs);
    unsigned long long *rows = calloc(files.n, sizeof *rows);
    long long *merged = calloc(files.n, sizeof *merged);
    merged_set set = {NULL, {0, 0, NULL}};
    size_t n_inputs = 0;
    int out_open = 0;
    kstring_t buffer = {0, 0, NULL};
    status = CM_EXIT_BAD_INPUT;
    if (!inputs || !rows || !merged || (files.n > 1 && !(set.first = kh_init(first_input)))) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto fail;
    }
    // Every input is opened first: a bad header anywhere fails before any output.
    for (size_t i = 0; i < files.n; i++) {
        options.index = (int)i;
        if (!(inputs[i] = cm_input_open(files.paths[i], &options, &err)))
            goto fail;
        n_inputs++;
    }
    if (cm_input_link(inputs, n_inputs, &err) != 0)
        goto fail;
    if (cm_output_open(&out, output, &err) != 0)
        goto fail;
    out_open = 1;
    if (show_facts) {
        kputs("sample\tfact\tvalue\tsource\n", &buffer);
    } else {
        for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
            if (i)
                kputc('\t', &buffer);
            kputs(columns[i], &buffer);
        }
        kputc('\n', &buffer);
    }
    for (size_t i = 0; i < n_inputs; i++) {
        const cm_alteration *alterations;
        size_t n;
        int ret;
        while ((ret = cm_input_next(inputs[i], &alterations, &n, &err)) == 1) {
            for (size_t k = 0; k < n && !show_facts; k++) {
                if (set.first) {
                    int before = given_before(&set, &alterations[k]);
                    if (before < 0) {
                        cm_error_set(&err, NULL, 0, 0, "out of memory");
                        goto fail;
                    }
                    if (before) {
                        merged[i] += any_transcript || alterations[k].is_preferred;
                        continue;
                    }
                }
                if (!any_transcript && !alterations[k].is_preferred)
                    continue;
                format_row(inputs[i], &alterations[k], &buffer);
                rows[i]++;
            }
            if (buffer.l >= 1 << 16) {
                fwrite(buffer.s, 1, buffer.l, out.fp);
                buffer.l = 0;
            }
        }
        if (ret < 0)
            goto fail;
        if (show_facts)
            format_facts(inputs[i], &buffer);
    }
    if (buffer.l > 0)
        fwrite(buffer.s, 1, buffer.l, out.fp);
    out_open = 0;
    if (cm_output_commit(&out, &err) != 0)
        goto fail;
    for (size_t i = 0; show_stats && i < n_inputs; i++)
        print_stats(inputs[i], rows[i], set.first && !show_facts ? merged[i] : -1, n_inputs > 1);
    status = CM_EXIT_OK;
    goto done;
fail:
    cm_cli_report(&err);
done:
    if (out_open)
        cm_output_abort(&out);
    for (size_t i = 0; i < n_inputs; i++)
        cm_input_close(inputs[i]);
    free(inputs);
    free(rows);
    free(merged);
    merged_set_free(&set);
    free(buffer.s);
    cm_cli_inputs_free(&files);
    return status;
}
