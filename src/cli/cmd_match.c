/*
 * cohortmatch match: a patient's files (VCF/BCF, PURPLE, LINX, ORANGE,
 * TSO500...) + tumour type + protocols -> candidate arms. Wires the stages
 * (inputs -> sample profiles -> matcher -> report writer) and nothing else:
 * which source of a fact wins is the profile module's rule, what a file holds
 * is its input reader's.
 */
#define _XOPEN_SOURCE 700 // realpath()
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <htslib/hts.h>
#include <htslib/kstring.h>

#include "cli.h"
#include "cohortmatch/cohorts.h"
#include "cohortmatch/input.h"
#include "cohortmatch/match.h"
#include "cohortmatch/network.h"
#include "cohortmatch/profile.h"
#include "cohortmatch/report.h"
#include "cohortmatch/rules.h"
#include "cohortmatch/tmb.h"
#include "cohortmatch/vcf.h"

#include <htslib/kstring.h>

static void usage(FILE *fp)
{
    fprintf(fp,
            "\n"
            "About:   Candidate trial arms and cohorts for a patient's files, for each sample\n"
            "         of a VCF/BCF, or for a MAF or a cBioPortal study folder (docs/cohort.md).\n"
            "Usage:   cohortmatch match [options] <input>...\n"
            "\n"
            "Inputs (one patient; each recognised by its content, a folder = its files):\n"
            "    VCF/BCF (VEP, SnpEff, bcftools csq, PAVE, SV/CNV callers), PURPLE purity, gene\n"
            "    copy number and driver catalog TSV, LINX fusion TSV, TSO500\n"
            "    CombinedVariantOutput.tsv, ORANGE JSON, '-' for a VCF/BCF on standard input\n"
            "        --input-format NAME     read every input as NAME (vcf, purple-purity,\n"
            "                                purple-gene-cn, purple-drivers, linx-fusions,\n"
            "                                tso500, orange; a cohort: maf, cbioportal)\n"
            "        --sample-name NAME      the patient's sample name [first input naming one]\n"
            "Patient:\n"
            "    -t, --tumour-type CODE      OncoTree code of the tumour, for every sample\n"
            "                                (a cBioPortal study gives each sample's)\n"
            "        --sample-sheet FILE     TSV: sample, tumour_type, tmb, msi, mmr, age, sex,\n"
            "                                and any other column as a named biomarker\n"
            "    -s, --samples LIST          comma-separated samples [##tumor_sample, else all]\n"
            "        --tmb X                 tumour mutational burden, mutations/Mb\n"
            "        --panel-size MB         compute TMB from the VCF, panel of MB megabases\n"
            "                                (a TMB given or read from a file wins)\n"
            "        --msi high|stable       microsatellite status\n"
            "        --mmr deficient|proficient  mismatch-repair status (IHC)\n"
            "        --age N                 age in years\n"
            "        --sex female|male       sex\n"
            "        --biomarker NAME=VALUE  a named biomarker (hrd=deficient, pdl1_tps=60),\n"
            "                                repeatable; a list as NAME=A,B\n"
            "                                (command line > sample sheet > files)\n"
            "Rules:\n"
            "    -r, --rules FILE|DIR        protocol file or folder, repeatable [bundled rules/]\n"
            "        --oncotree FILE         OncoTree release as TSV [bundled 2025-10-03]\n"
            "        --cohorts FILE          cohort states (TSV) laid over the rules' cohorts\n"
            "        --home-country CC       ISO 3166 code: rank that country's trials first,\n"
            "                                mark the others cross-border\n"
            "VCF input:\n"
            "        --annotation csq|ann|bcsq|pave\n"
            "                                annotation to read [VEP, else SnpEff, BCSQ, PAVE]\n"
            "        --genes FILE            BED (chrom, start, end, gene) for copy-number and\n"
            "                                breakend records that name no gene\n"
            "        --fusion-genes-tags A,B INFO keys of a fusion's 5', 3' genes [GENEA,GENEB]\n"
            "Quality gates (override the protocols' own):\n"
            "        --min-vaf X             minimum variant allele fraction\n"
            "        --min-depth N           minimum read depth\n"
            "        --include-filtered      count alterations whose FILTER is not PASS\n"
            "        --transcripts preferred|any  transcripts that count\n"
            "Output:\n"
            "    -O, --output-type text|tsv|json|html  [text on a terminal, else tsv]\n"
            "    -o, --output FILE           write here, atomically [stdout]\n"
            "        --date YYYY-MM-DD       date printed in the HTML report [none]\n"
            "        --threads N             BGZF decompression threads [0]\n"
            "        --no-prefilter          parse every record in full (same results, slower)\n"
            "    -q, --quiet                 no progress or notes on stderr\n"
            "    -h, --help                  this help\n"
            "\n"
            "Exit status: 0 ran (with or without candidates), 1 bad input, 2 usage.\n"
            "\n");
}

/// The rules shipped with the tool: $COHORTMATCH_RULES, then beside the installed binary,
/// then the source tree when the binary is the one in its build folder (so that a build
/// never reads the rules of an earlier install), then the install prefix, then the source
/// tree.
static const char *bundled_rules_dir(char *buffer, size_t size)
{
    const char *env = getenv("COHORTMATCH_RULES");
    if (env && *env)
        return env;
    ssize_t n = readlink("/proc/self/exe", buffer, size - 1);
    if (n > 0) {
        buffer[n] = '\0';
        char *slash = strrchr(buffer, '/');
        if (slash && (size_t)(slash - buffer) + 32 < size) {
            *slash = '\0';
            char build[PATH_MAX];
            if (realpath(CM_BUILD_DIR, build) && strcmp(build, buffer) == 0)
                return CM_SOURCE_DIR "/rules";
            strcpy(slash, "/../share/cohortmatch/rules");
            // Reports name the rule files: give them without the "bin/.." detour.
            char resolved[PATH_MAX];
            if (access(buffer, R_OK) == 0 && realpath(buffer, resolved) &&
                strlen(resolved) < size) {
                strcpy(buffer, resolved);
                return buffer;
            }
        }
    }
    if (access(CM_INSTALL_DATADIR "/rules", R_OK) == 0)
        return CM_INSTALL_DATADIR "/rules";
    return CM_SOURCE_DIR "/rules";
}

/// A fact given on the command line, as text (checked when parsed, offered to every sample).
typedef struct cli_fact {
    const char *name;
    char *value;
} cli_fact;

typedef struct match_options {
    const char *const *rule_paths;
    int n_rule_paths;
    const char *tumour_type, *sample_sheet, *samples, *oncotree, *output, *output_type, *date;
    const char *sample_name;
    cm_input_format input_format; // CM_INPUT_UNKNOWN: recognise each input
    cli_fact *facts;              // --tmb, --msi, ..., --biomarker, in the order given
    int n_facts;
    cm_gates gates;
    int threads, quiet;
    double panel_size; // megabases; NAN: TMB is not computed
    cm_annotation_kind annotation;
    const char *genes_bed, *fusion_tags;
    const char *cohorts;  // --cohorts FILE
    char home_country[3]; // --home-country, upper case; "" when not given
    int no_prefilter;     // --no-prefilter, or COHORTMATCH_NO_PREFILTER set and not empty
} match_options;

enum {
    OPT_TMB = 1000,
    OPT_MSI,
    OPT_MMR,
    OPT_AGE,
    OPT_SEX,
    OPT_SAMPLE_SHEET,
    OPT_ONCOTREE,
    OPT_MIN_VAF,
    OPT_MIN_DEPTH,
    OPT_INCLUDE_FILTERED,
    OPT_TRANSCRIPTS,
    OPT_THREADS,
    OPT_PANEL_SIZE,
    OPT_ANNOTATION,
    OPT_GENES,
    OPT_FUSION_TAGS,
    OPT_NO_PREFILTER,
    OPT_DATE,
    OPT_COHORTS,
    OPT_HOME_COUNTRY,
    OPT_INPUT_FORMAT,
    OPT_SAMPLE_NAME,
    OPT_BIOMARKER
};

/// Appends the command as run, each argument shell-quoted where it needs it, so that the
/// report shows a line that can be pasted back into a shell.
static void command_line(int argc, char **argv, kstring_t *out)
{
    kputs("cohortmatch", out);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        kputc(' ', out);
        int is_plain = *arg != '\0';
        for (const char *c = arg; *c && is_plain; c++)
            is_plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                              "_-./:=,+@%",
                              *c) != NULL;
        if (is_plain) {
            kputs(arg, out);
            continue;
        }
        kputc('\'', out);
        for (const char *c = arg; *c; c++)
            if (*c == '\'')
                kputs("'\\''", out);
            else
                kputc(*c, out);
        kputc('\'', out);
    }
}

/// Keeps a command-line fact (name static or borrowed from argv, value copied). Returns 0 or
/// -1 when out of memory.
static int add_cli_fact(match_options *opt, const char *name, const char *value)
{
    cli_fact *facts = realloc(opt->facts, (size_t)(opt->n_facts + 1) * sizeof *facts);
    if (!facts)
        return -1;
    opt->facts = facts;
    if (!(facts[opt->n_facts].value = strdup(value)))
        return -1;
    facts[opt->n_facts].name = name;
    opt->n_facts++;
    return 0;
}

static void free_options(match_options *opt)
{
    for (int i = 0; i < opt->n_facts; i++)
        free(opt->facts[i].value);
    free(opt->facts);
    free((void *)opt->rule_paths);
}

/// Parses the options; returns -1 to continue, else an exit status.
static int parse_options(int argc, char **argv, match_options *opt)
{
    static const struct option long_options[] = {
        {"tumour-type", required_argument, NULL, 't'},
        {"tumor-type", required_argument, NULL, 't'},
        {"samples", required_argument, NULL, 's'},
        {"rules", required_argument, NULL, 'r'},
        {"output-type", required_argument, NULL, 'O'},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"tmb", required_argument, NULL, OPT_TMB},
        {"msi", required_argument, NULL, OPT_MSI},
        {"mmr", required_argument, NULL, OPT_MMR},
        {"age", required_argument, NULL, OPT_AGE},
        {"sex", required_argument, NULL, OPT_SEX},
        {"sample-sheet", required_argument, NULL, OPT_SAMPLE_SHEET},
        {"oncotree", required_argument, NULL, OPT_ONCOTREE},
        {"min-vaf", required_argument, NULL, OPT_MIN_VAF},
        {"min-depth", required_argument, NULL, OPT_MIN_DEPTH},
        {"include-filtered", no_argument, NULL, OPT_INCLUDE_FILTERED},
        {"transcripts", required_argument, NULL, OPT_TRANSCRIPTS},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"panel-size", required_argument, NULL, OPT_PANEL_SIZE},
        {"annotation", required_argument, NULL, OPT_ANNOTATION},
        {"genes", required_argument, NULL, OPT_GENES},
        {"fusion-genes-tags", required_argument, NULL, OPT_FUSION_TAGS},
        {"no-prefilter", no_argument, NULL, OPT_NO_PREFILTER},
        {"date", required_argument, NULL, OPT_DATE},
        {"cohorts", required_argument, NULL, OPT_COHORTS},
        {"home-country", required_argument, NULL, OPT_HOME_COUNTRY},
        {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
        {"sample-name", required_argument, NULL, OPT_SAMPLE_NAME},
        {"biomarker", required_argument, NULL, OPT_BIOMARKER},
        {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":t:s:r:O:o:qh", long_options, NULL)) != -1) {
        switch (c) {
        case 't':
            opt->tumour_type = optarg;
            break;
        case 's':
            opt->samples = optarg;
            break;
        case 'r': {
            const char **paths =
                realloc((void *)opt->rule_paths, (size_t)(opt->n_rule_paths + 1) * sizeof *paths);
            if (!paths)
                return cm_cli_usage_error("match", "out of memory");
            opt->rule_paths = paths;
            paths[opt->n_rule_paths++] = optarg;
            break;
        }
        case 'O':
            opt->output_type = optarg;
            break;
        case 'o':
            opt->output = optarg;
            break;
        case 'q':
            opt->quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return CM_EXIT_OK;
        case OPT_TMB: {
            double tmb;
            if (cm_cli_parse_double(optarg, &tmb) < 0 || tmb < 0)
                return cm_cli_bad_value("match", "--tmb takes a non-negative number, not '%s'",
                                        optarg);
            if (add_cli_fact(opt, "tmb", optarg) < 0)
                return cm_cli_usage_error("match", "out of memory");
            break;
        }
        case OPT_MSI: {
            cm_msi_status msi;
            if (cm_msi_parse(optarg, &msi) < 0)
                return cm_cli_bad_value("match", "--msi takes 'high' or 'stable', not '%s'",
                                        optarg);
            if (add_cli_fact(opt, "msi", optarg) < 0)
                return cm_cli_usage_error("match", "out of memory");
            break;
        }
        case OPT_MMR: {
            cm_mmr_status mmr;
            if (cm_mmr_parse(optarg, &mmr) < 0)
                return cm_cli_bad_value(
                    "match", "--mmr takes 'deficient' or 'proficient', not '%s'", optarg);
            if (add_cli_fact(opt, "mmr", optarg) < 0)
                return cm_cli_usage_error("match", "out of memory");
            break;
        }
        case OPT_AGE: {
            double age;
            if (cm_cli_parse_double(optarg, &age) < 0 || age < 0)
                return cm_cli_bad_value("match", "--age takes a number of years, not '%s'", optarg);
            if (add_cli_fact(opt, "age", optarg) < 0)
                return cm_cli_usage_error("match", "out of memory");
            break;
        }
        case OPT_SEX: {
            cm_sex sex;
            if (cm_sex_parse(optarg, &sex) < 0)
                return cm_cli_bad_value("match", "--sex takes 'female' or 'male', not '%s'",
                                        optarg);
            if (add_cli_fact(opt, "sex", optarg) < 0)
                return cm_cli_usage_error("match", "out of memory");
            break;
        }
        case OPT_BIOMARKER: {
            // NAME=VALUE; the name is kept in argv, cut at the '='.
            char *equals = strchr(optarg, '=');
            if (!equals || equals == optarg || !equals[1])
                return cm_cli_bad_value("match", "--biomarker takes NAME=VALUE, not '%s'", optarg);
            *equals = '\0';
            const char *name = optarg;
            for (char *value = strtok(equals + 1, ","); value; value = strtok(NULL, ","))
                if (add_cli_fact(opt, name, value) < 0)
                    return cm_cli_usage_error("match", "out of memory");
            break;
        }
        case OPT_INPUT_FORMAT:
            if (cm_input_format_parse(optarg, &opt->input_format) < 0)
                return cm_cli_bad_value("match",
                                        "--input-format takes vcf, purple-purity, purple-gene-cn, "
                                        "purple-drivers, linx-fusions, tso500, orange, maf or "
                                        "cbioportal, not '%s'",
                                        optarg);
            break;
        case OPT_SAMPLE_NAME:
            if (!*optarg)
                return cm_cli_bad_value("match", "--sample-name takes a name, not ''");
            opt->sample_name = optarg;
            break;
        case OPT_SAMPLE_SHEET:
            opt->sample_sheet = optarg;
            break;
        case OPT_ONCOTREE:
            opt->oncotree = optarg;
            break;
        case OPT_MIN_VAF:
            if (cm_cli_parse_double(optarg, &opt->gates.min_vaf) < 0 || opt->gates.min_vaf < 0 ||
                opt->gates.min_vaf > 1)
                return cm_cli_bad_value("match", "--min-vaf takes a number from 0 to 1, not '%s'",
                                        optarg);
            break;
        case OPT_MIN_DEPTH:
            if (cm_cli_parse_int(optarg, &opt->gates.min_depth) < 0)
                return cm_cli_bad_value("match", "--min-depth takes a whole number, not '%s'",
                                        optarg);
            break;
        case OPT_INCLUDE_FILTERED:
            opt->gates.pass_only = 0;
            break;
        case OPT_TRANSCRIPTS:
            if (strcmp(optarg, "preferred") == 0)
                opt->gates.transcripts = CM_TRANSCRIPTS_PREFERRED;
            else if (strcmp(optarg, "any") == 0)
                opt->gates.transcripts = CM_TRANSCRIPTS_ANY;
            else
                return cm_cli_bad_value(
                    "match", "--transcripts takes 'preferred' or 'any', not '%s'", optarg);
            break;
        case OPT_NO_PREFILTER:
            opt->no_prefilter = 1;
            break;
        case OPT_DATE:
            if (!cm_iso_date_is_valid(optarg))
                return cm_cli_bad_value(
                    "match", "--date takes a calendar date as YYYY-MM-DD, not '%s'", optarg);
            opt->date = optarg;
            break;
        case OPT_PANEL_SIZE:
            if (cm_cli_parse_double(optarg, &opt->panel_size) < 0 || !(opt->panel_size > 0) ||
                opt->panel_size > 4000)
                return cm_cli_bad_value("match",
                                        "--panel-size takes megabases, a number above 0 and at "
                                        "most 4000, not '%s'",
                                        optarg);
            break;
        case OPT_ANNOTATION:
            if (cm_annotation_kind_parse(optarg, &opt->annotation) < 0)
                return cm_cli_bad_value(
                    "match", "--annotation takes csq, ann, bcsq or pave, not '%s'", optarg);
            break;
        case OPT_GENES:
            opt->genes_bed = optarg;
            break;
        case OPT_FUSION_TAGS:
            opt->fusion_tags = optarg;
            break;
        case OPT_COHORTS:
            opt->cohorts = optarg;
            break;
        case OPT_HOME_COUNTRY:
            if (cm_country_parse(optarg, 1, opt->home_country) < 0)
                return cm_cli_bad_value(
                    "match",
                    "--home-country takes an ISO 3166-1 alpha-2 code (NO, NL, GB), not '%s'",
                    optarg);
            break;
        case OPT_THREADS:
            if (cm_cli_parse_int(optarg, &opt->threads) < 0)
                return cm_cli_bad_value("match", "--threads takes a whole number, not '%s'",
                                        optarg);
            break;
        default:
            return cm_cli_option_error("match", c, argv);
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CM_EXIT_USAGE;
    }
    if (opt->output_type) {
        cm_report_format format;
        if (cm_report_format_parse(opt->output_type, &format) < 0)
            return cm_cli_bad_value("match", "-O takes text, tsv, json or html, not '%s'",
                                    opt->output_type);
    }
    return -1;
}

/// The profiles of a run: one per sample, each allocated on its own so that the matcher can
/// hold pointers to them while more are added (an input that names samples while streaming).
typedef struct profile_list {
    cm_sample_profile **items;
    size_t n, m;
} profile_list;

static void free_profiles(profile_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        cm_profile_clear(list->items[i]);
        free(list->items[i]);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}

/// The facts of the command line, as one profile whose sources say "command line".
static int command_line_facts(const match_options *opt, const cm_oncotree *tree,
                              cm_sample_profile *facts, cm_error *err)
{
    cm_profile_init(facts, NULL);
    if (opt->tumour_type && cm_profile_offer(facts, tree, "tumour_type", opt->tumour_type,
                                             CM_ORIGIN_COMMAND_LINE, NULL, err) < 0)
        return -1;
    for (int i = 0; i < opt->n_facts; i++)
        if (cm_profile_offer(facts, tree, opt->facts[i].name, opt->facts[i].value,
                             CM_ORIGIN_COMMAND_LINE, NULL, err) < 0)
            return -1;
    return 0;
}

/// Adds the profile of a sample named name: the command line's facts, then its sample-sheet
/// row (a lower origin: a disagreement is a conflict, the command line wins). Returns the new
/// profile, or NULL with err filled.
static cm_sample_profile *add_profile(profile_list *list, const match_options *opt,
                                      const char *name, const cm_sample_profile *cli,
                                      const cm_oncotree *tree, const cm_sample_sheet *sheet,
                                      int is_cohort, cm_error *err)
{
    const cm_sample_profile *row = sheet->n ? cm_sample_sheet_find(sheet, name) : NULL;
    // A cohort input names only the samples it has a tumour type for (from the sheet, -t or
    // its clinical file): one the sheet does not list is not an error.
    if (sheet->n && !row && !opt->tumour_type && !is_cohort) {
        cm_error_set(err, opt->sample_sheet, 0, 0, "sample '%s' is not in the sheet", name);
        return NULL;
    }
    if (list->n == list->m) {
        size_t m = list->m ? list->m * 2 : 4;
        cm_sample_profile **items = realloc(list->items, m * sizeof *items);
        if (!items) {
            cm_error_set(err, NULL, 0, 0, "out of memory");
            return NULL;
        }
        list->items = items;
        list->m = m;
    }
    cm_sample_profile *profile = malloc(sizeof *profile);
    if (!profile || cm_profile_init(profile, name) < 0) {
        free(profile);
        cm_error_set(err, NULL, 0, 0, "out of memory");
        return NULL;
    }
    list->items[list->n++] = profile;
    if (cm_profile_merge(profile, cli, tree, err) < 0 ||
        (row && cm_profile_merge(profile, row, tree, err) < 0))
        return NULL;
    return profile;
}

/// Hands the reader the genes and `variant:` positions of the compiled rules, so that it can
/// skip records no rule can match before their full parse. A leaf that names neither a gene
/// nor a position can match any record: then nothing is skipped. Returns 0, or -1 when out
/// of memory.
static int set_gene_filter(cm_input *input, const cm_ruleset *rules)
{
    const char **genes;
    int64_t *positions;
    size_t n_genes, n_positions;
    int found = cm_cli_rule_genes(rules, &genes, &n_genes, &positions, &n_positions);
    if (found <= 0)
        return found;
    int status = cm_input_set_gene_filter(input, genes, n_genes, positions, n_positions);
    free(genes);
    free(positions);
    return status;
}

/// The progress line on a terminal: records, position and speed, at most 4 times a second.
typedef struct progress {
    int is_on;
    double start, last;
    int printed;
} progress;

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void progress_show(progress *p, cm_input *input, uint64_t done, int is_last)
{
    double now = seconds_now();
    if (!is_last && now - p->last < 0.25)
        return;
    if (is_last && !p->printed)
        return;
    p->last = now;
    p->printed = 1;
    unsigned long long records = (unsigned long long)(done + cm_input_get_stats(input)->records);
    double elapsed = now - p->start, speed = elapsed > 0 ? (double)records / elapsed : 0.0;
    // At the end the reader has no current record: the last line has no position.
    char chrom[64];
    cm_vcf_reader *reader = cm_input_vcf_reader(input);
    int64_t pos = is_last || !reader ? 0 : cm_vcf_position(reader, chrom, sizeof chrom);
    if (pos > 0)
        fprintf(stderr, "\r%llu records, at %s:%lld, %.0f records/s\033[K", records, chrom,
                (long long)pos, speed);
    else
        fprintf(stderr, "\r%llu records, %.0f records/s\033[K%s", records, speed,
                is_last ? "\n" : "");
    fflush(stderr);
}

/// Coordinate rules name their genome build; on a VCF of the other build they cannot match
/// (the matcher skips them) and the user is told once per leaf.
static void warn_builds(const cm_ruleset *rules, cm_genome_build vcf_build, const char *input)
{
    if (vcf_build == CM_BUILD_UNKNOWN)
        return;
    for (size_t i = 0; i < cm_ruleset_n_leaves(rules); i++) {
        const cm_leaf *leaf = cm_ruleset_leaf(rules, (int)i);
        for (int k = 0; k < leaf->n_variants; k++)
            if (leaf->variants[k].build != CM_BUILD_UNKNOWN &&
                leaf->variants[k].build != vcf_build) {
                cm_cli_message("warning: %s:%d:%d: variant %s:%lld:%s:%s is %s but %s is %s; "
                               "it cannot match",
                               leaf->file, leaf->line, leaf->column, leaf->variants[k].chrom,
                               leaf->variants[k].pos, leaf->variants[k].ref, leaf->variants[k].alt,
                               cm_genome_build_name(leaf->variants[k].build), input,
                               cm_genome_build_name(vcf_build));
                break;
            }
    }
}

/// Options that only a VCF has a use for are refused with a cohort input rather than
/// ignored. Returns -1 to continue, else an exit status.
static int check_cohort_options(const match_options *opt, cm_input_format kind)
{
    const char *name = opt->samples              ? "--samples"
                       : !isnan(opt->panel_size) ? "--panel-size"
                       : opt->annotation         ? "--annotation"
                       : opt->genes_bed          ? "--genes"
                       : opt->fusion_tags        ? "--fusion-genes-tags"
                       : opt->sample_name        ? "--sample-name"
                                                 : NULL;
    if (name)
        return cm_cli_usage_error("match", "%s applies to a patient's files, not to a %s", name,
                                  kind == CM_INPUT_MAF ? "MAF" : "cBioPortal study");
    if (kind == CM_INPUT_MAF && !opt->tumour_type && !opt->sample_sheet)
        return cm_cli_usage_error(
            "match", "no tumour type for the MAF's samples: give -t CODE or --sample-sheet FILE");
    return -1;
}

/// The cohort format (MAF, cBioPortal study) of a command-line input, or CM_INPUT_UNKNOWN:
/// what --input-format names, else what the input's content says.
static cm_input_format cohort_format(const match_options *opt, const char *path)
{
    cm_input_format format = opt->input_format;
    cm_error ignored;
    cm_error_clear(&ignored);
    if (format == CM_INPUT_UNKNOWN && strcmp(path, "-") != 0 &&
        cm_input_detect(path, &format, &ignored) < 0)
        return CM_INPUT_UNKNOWN; // opening it says what is wrong
    return format == CM_INPUT_MAF || format == CM_INPUT_CBIOPORTAL ? format : CM_INPUT_UNKNOWN;
}

/// The skip counts of a run: the VCF reader's causes always (in their order), then any other
/// cause an input counts, in the order first met, summed over inputs.
typedef struct skip_totals {
    cm_count *items;
    size_t n, m;
} skip_totals;

static int add_skip(skip_totals *totals, const char *name, long value)
{
    for (size_t i = 0; i < totals->n; i++)
        if (strcmp(totals->items[i].name, name) == 0) {
            totals->items[i].value += value;
            return 0;
        }
    if (totals->n == totals->m) {
        size_t m = totals->m ? totals->m * 2 : 16;
        cm_count *items = realloc(totals->items, m * sizeof *items);
        if (!items)
            return -1;
        totals->items = items;
        totals->m = m;
    }
    totals->items[totals->n++] = (cm_count){name, value};
    return 0;
}

/// Several inputs are one patient: each must give one sample. Prints the usage error and
/// returns CM_EXIT_USAGE, or returns 0.
static int check_one_sample_each(cm_input *const *inputs, size_t n)
{
    if (n < 2)
        return 0;
    for (size_t i = 0; i < n; i++) {
        size_t samples = cm_input_n_samples(inputs[i]);
        if (samples == 1)
            continue;
        kstring_t names = {0, 0, NULL};
        for (size_t k = 0; k < samples && k < 10; k++) {
            const char *name = cm_input_sample_name(inputs[i], k);
            ksprintf(&names, "%s%s", k ? ", " : "", name ? name : "?");
        }
        int status = cm_cli_usage_error(
            "match",
            "several inputs are one patient, but %s has %zu samples (%s): select one with -s",
            cm_input_path(inputs[i]), samples, names.s ? names.s : "none");
        free(names.s);
        return status;
    }
    return 0;
}

/// The name of the one patient of several inputs: --sample-name, else the first input that
/// names a sample. Every other name an input gives is recorded as a conflict.
static const char *patient_name(const match_options *opt, cm_input *const *inputs, size_t n)
{
    if (opt->sample_name)
        return opt->sample_name;
    for (size_t i = 0; i < n; i++) {
        const char *name = cm_input_sample_name(inputs[i], 0);
        if (name && strcmp(name, ".") != 0)
            return name;
    }
    return "sample";
}

static int record_name_conflicts(cm_sample_profile *profile, const match_options *opt,
                                 cm_input *const *inputs, size_t n)
{
    const char *used_from = NULL;
    if (opt->sample_name) {
        used_from = "--sample-name";
    } else {
        for (size_t i = 0; i < n && !used_from; i++) {
            const char *name = cm_input_sample_name(inputs[i], 0);
            if (name && strcmp(name, ".") != 0)
                used_from = cm_input_path(inputs[i]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = cm_input_sample_name(inputs[i], 0);
        if (!name || strcmp(name, ".") == 0 || strcmp(name, profile->name) == 0)
            continue;
        if (cm_profile_add_conflict(profile, "sample", profile->name, used_from, name,
                                    cm_input_path(inputs[i])) < 0)
            return -1;
    }
    return 0;
}

int main_match(int argc, char **argv)
{
    match_options opt;
    memset(&opt, 0, sizeof opt);
    cm_gates_unset(&opt.gates);
    opt.panel_size = NAN;
    // Before getopt_long() permutes argv: the report shows the command as it was typed.
    kstring_t command = {0, 0, NULL};
    command_line(argc, argv, &command);
    int status = parse_options(argc, argv, &opt);
    if (status >= 0) {
        free_options(&opt);
        free(command.s);
        return status;
    }
    hts_set_log_level(HTS_LOG_OFF);
    // A cohort (a MAF, a cBioPortal study folder) is told from a patient's files by its
    // content, and is read alone.
    cm_input_format cohort = CM_INPUT_UNKNOWN;
    for (int i = optind; i < argc && status < 0; i++) {
        cm_input_format kind = cohort_format(&opt, argv[i]);
        if (kind != CM_INPUT_UNKNOWN && argc - optind > 1)
            status =
                cm_cli_usage_error("match", "%s is a %s, read alone: give it without other inputs",
                                   argv[i], kind == CM_INPUT_MAF ? "MAF" : "cBioPortal study");
        cohort = kind != CM_INPUT_UNKNOWN ? kind : cohort;
    }
    int is_cohort = cohort != CM_INPUT_UNKNOWN;
    if (status < 0 && is_cohort)
        status = check_cohort_options(&opt, cohort);
    else if (status < 0 && !opt.tumour_type && !opt.sample_sheet)
        status = cm_cli_usage_error("match", "no tumour type: give -t CODE or --sample-sheet FILE");
    if (status >= 0) {
        free_options(&opt);
        free(command.s);
        return status;
    }

    cm_error err;
    cm_error_clear(&err);
    cm_oncotree *tree = NULL;
    cm_ruleset *rules = NULL;
    cm_cli_inputs files = {0};
    cm_input **inputs = NULL;
    size_t n_inputs = 0;
    cm_report_input *listed = NULL;
    cm_matcher *matcher = NULL;
    cm_tmb_counter *tmb = NULL;
    profile_list profiles = {0};
    cm_sample_profile cli;
    cm_profile_init(&cli, NULL);
    cm_sample_sheet sheet = {0};
    skip_totals skipped = {0};
    cm_output out = {0};
    int out_open = 0;
    char rules_dir_buffer[4096];
    const char *rules_dir = bundled_rules_dir(rules_dir_buffer, sizeof rules_dir_buffer);
    status = CM_EXIT_BAD_INPUT;

    tree =
        opt.oncotree ? cm_oncotree_load_file(opt.oncotree, &err) : cm_oncotree_load_bundled(&err);
    if (!tree)
        goto report_error;
    if (opt.sample_sheet && cm_sample_sheet_load(&sheet, opt.sample_sheet, tree, &err) < 0)
        goto report_error;
    // The command line's facts (and -t) are checked before reading anything: a typo fails fast.
    if (command_line_facts(&opt, tree, &cli, &err) < 0)
        goto report_error;
    if (!(rules = cm_ruleset_new(tree))) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    if (cm_cli_load_rules(rules, opt.n_rule_paths ? opt.rule_paths : &rules_dir,
                          opt.n_rule_paths ? opt.n_rule_paths : 1, 1) != 0)
        goto done;
    if (opt.cohorts && cm_ruleset_apply_cohort_states(rules, opt.cohorts, &err) < 0)
        goto report_error;
    if ((status = cm_cli_expand_inputs(argv + optind, argc - optind,
                                       opt.input_format != CM_INPUT_UNKNOWN, opt.quiet, &files)) !=
        0)
        goto done;
    status = CM_EXIT_BAD_INPUT;
    for (size_t i = 0; opt.output && i < files.n; i++)
        if (cm_same_file(opt.output, files.paths[i])) {
            cm_error_set(&err, opt.output, 0, 0, "the output would overwrite the input");
            goto report_error;
        }
    inputs = calloc(files.n, sizeof *inputs);
    listed = calloc(files.n, sizeof *listed);
    if (!inputs || !listed) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    cm_input_options input_options;
    memset(&input_options, 0, sizeof input_options);
    input_options.format = opt.input_format;
    input_options.vcf.samples = opt.samples;
    input_options.vcf.threads = opt.threads;
    input_options.vcf.annotation = opt.annotation;
    input_options.vcf.genes_bed = opt.genes_bed;
    input_options.vcf.fusion_tags = opt.fusion_tags;
    input_options.cohort = (cm_study_options){tree, &sheet, &cli, opt.threads};
    for (size_t i = 0; i < files.n; i++) {
        input_options.index = (int)i;
        if (!(inputs[i] = cm_input_open(files.paths[i], &input_options, &err)))
            goto report_error;
        n_inputs++;
    }
    if (cm_input_link(inputs, n_inputs, &err) != 0)
        goto report_error;
    if ((status = check_one_sample_each(inputs, n_inputs)) != 0)
        goto done;
    status = CM_EXIT_BAD_INPUT;
    // Several inputs, or a --sample-name: one patient, one profile. One input alone: one
    // profile per sample it names (a multi-sample VCF; a cohort file).
    int is_one_patient = n_inputs > 1 || opt.sample_name;
    if (opt.sample_name && n_inputs == 1 && cm_input_n_samples(inputs[0]) > 1) {
        status = cm_cli_usage_error(
            "match", "--sample-name names one patient, but %s has %zu samples: select one with -s",
            cm_input_path(inputs[0]), cm_input_n_samples(inputs[0]));
        goto done;
    }

    cm_genome_build build = CM_BUILD_UNKNOWN;
    for (size_t i = 0; i < n_inputs && build == CM_BUILD_UNKNOWN; i++)
        build = cm_input_genome_build(inputs[i]);
    if (!opt.quiet)
        warn_builds(rules, build, files.paths[0]);
    if (!(matcher = cm_matcher_new(rules, NULL, 0, &opt.gates))) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    cm_matcher_set_genome_build(matcher, build);
    if (is_one_patient) {
        const char *name = patient_name(&opt, inputs, n_inputs);
        cm_sample_profile *profile =
            add_profile(&profiles, &opt, name, &cli, tree, &sheet, is_cohort, &err);
        if (!profile || record_name_conflicts(profile, &opt, inputs, n_inputs) < 0 ||
            cm_matcher_add_sample(matcher, profile) < 0)
            goto report_error_or_memory;
    }
    // Only the HTML page shows every alteration in a rule gene: other formats keep less.
    cm_matcher_list_alterations(matcher, opt.output_type && strcmp(opt.output_type, "html") == 0);
    // TMB from the alterations with the command line's gates (else the built-in 0.05 VAF).
    if (!isnan(opt.panel_size) &&
        !(tmb = cm_tmb_new(1, isnan(opt.gates.min_vaf) ? 0.05 : opt.gates.min_vaf,
                           opt.gates.min_depth))) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    const char *no_prefilter = getenv("COHORTMATCH_NO_PREFILTER");
    progress meter = {!opt.quiet && isatty(STDERR_FILENO), 0, 0, 0};
    meter.start = meter.last = seconds_now();
    uint64_t records_before = 0;
    for (size_t i = 0; i < n_inputs; i++) {
        cm_input *input = inputs[i];
        // Computing TMB needs every record, not only those of the rules' genes.
        if (!opt.no_prefilter && !(no_prefilter && *no_prefilter) && !tmb &&
            set_gene_filter(input, rules) < 0) {
            cm_error_set(&err, NULL, 0, 0, "out of memory");
            goto report_error;
        }
        const cm_alteration *alterations;
        size_t n_alterations;
        int got;
        do {
            got = cm_input_next(input, &alterations, &n_alterations, &err);
            if (got < 0)
                break;
            // A single input's samples (a multi-sample VCF; a cohort file names them as it
            // goes, its genome build known from its first row that states one).
            while (!is_one_patient && profiles.n < cm_input_n_samples(input)) {
                const char *name = cm_input_sample_name(input, profiles.n);
                cm_sample_profile *profile = add_profile(&profiles, &opt, name ? name : "sample",
                                                         &cli, tree, &sheet, is_cohort, &err);
                if (!profile || cm_matcher_add_sample(matcher, profile) < 0)
                    goto report_error_or_memory;
            }
            if (cm_input_genome_build(input) != CM_BUILD_UNKNOWN &&
                cm_input_genome_build(input) != build) {
                build = cm_input_genome_build(input);
                cm_matcher_set_genome_build(matcher, build);
            }
            for (size_t k = 0; got > 0 && k < n_alterations; k++)
                if ((!is_one_patient && (size_t)alterations[k].sample >= profiles.n) ||
                    cm_matcher_add(matcher, &alterations[k]) < 0 ||
                    (tmb && cm_tmb_add(tmb, &alterations[k]) < 0)) {
                    if ((size_t)alterations[k].sample >= profiles.n)
                        cm_error_set(&err, cm_input_path(input), 0, 0,
                                     "an alteration of sample %d, which the input has not named",
                                     alterations[k].sample);
                    else
                        cm_error_set(&err, NULL, 0, 0, "out of memory");
                    goto report_error;
                }
            if (got > 0 && meter.is_on && (cm_input_get_stats(input)->records & 0x3fff) == 0)
                progress_show(&meter, input, records_before, 0);
        } while (got > 0);
        if (got < 0)
            goto report_error;
        if (is_one_patient && cm_input_n_samples(input) > 1) {
            status = check_one_sample_each(&inputs[i], 1);
            goto done;
        }
        if (!opt.quiet && cm_input_study(input))
            cm_cli_warn_study(cm_input_study(input), cm_input_path(input), tree);
        if (cm_input_study(input) &&
            cm_cli_add_study_ignored(&files, cm_input_study(input), cm_input_path(input)) < 0)
            goto out_of_memory;
        const cm_input_stats *stats = cm_input_get_stats(input);
        records_before += stats->records;
        listed[i] = (cm_report_input){cm_input_path(input),
                                      cm_input_format_name(cm_input_get_format(input)),
                                      (long)stats->records};
    }
    if (meter.is_on)
        progress_show(&meter, inputs[n_inputs - 1], records_before, 1);
    // The facts the files hold, with their sources: lower than the command line and the sheet.
    for (size_t i = 0; i < n_inputs; i++) {
        size_t n_facts;
        const cm_input_fact *facts = cm_input_facts(inputs[i], &n_facts);
        for (size_t k = 0; k < n_facts; k++) {
            size_t sample = is_one_patient ? 0 : (size_t)facts[k].sample;
            if (sample >= profiles.n)
                continue;
            if (cm_profile_offer(profiles.items[sample], tree, facts[k].name, facts[k].value,
                                 CM_ORIGIN_FILE, facts[k].where, &err) < 0) {
                cm_error_locate(&err, cm_input_path(inputs[i]), 0);
                goto report_error;
            }
        }
    }
    // A TMB computed from the alterations counts only where no source gave one.
    for (size_t i = 0; tmb && i < profiles.n; i++)
        if (profiles.items[i]->sources[CM_FACT_TMB].origin == CM_ORIGIN_NONE) {
            char text[64];
            snprintf(text, sizeof text, "%.17g", cm_tmb_value(tmb, i, opt.panel_size));
            if (cm_profile_offer(profiles.items[i], tree, "tmb", text, CM_ORIGIN_COMPUTED, NULL,
                                 &err) < 0)
                goto report_error;
        }
    for (size_t i = 0; i < profiles.n; i++)
        if (!profiles.items[i]->tumour_type) {
            cm_error_set(&err, NULL, 0, 0,
                         "sample '%s' has no tumour type: give -t CODE or a sample-sheet row",
                         profiles.items[i]->name);
            goto report_error;
        }
    if (cm_matcher_finish(matcher) < 0) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }

    cm_report_format format = isatty(STDOUT_FILENO) && !opt.output ? CM_REPORT_TEXT : CM_REPORT_TSV;
    if (opt.output_type)
        cm_report_format_parse(opt.output_type, &format);
    long total_records = 0, total_alterations = 0;
    for (int cause = 0; !is_cohort && cause < CM_VCF_SKIP_COUNT; cause++)
        if (add_skip(&skipped, cm_vcf_skip_name((cm_vcf_skip)cause), 0) < 0)
            goto out_of_memory;
    for (size_t i = 0; i < n_inputs; i++) {
        const cm_input_stats *stats = cm_input_get_stats(inputs[i]);
        total_records += (long)stats->records;
        total_alterations += (long)stats->alterations;
        for (size_t k = 0; k < stats->n_skipped; k++)
            if (add_skip(&skipped, stats->skipped[k].name, (long)stats->skipped[k].value) < 0)
                goto out_of_memory;
    }
    cm_gate_counts gate_counts = cm_matcher_gate_counts(matcher);
    if (add_skip(&skipped, "filtered", gate_counts.filtered) < 0 ||
        add_skip(&skipped, "below_vaf", gate_counts.below_vaf) < 0 ||
        add_skip(&skipped, "below_depth", gate_counts.below_depth) < 0)
        goto out_of_memory;
    const cm_sample_result **results = calloc(profiles.n ? profiles.n : 1, sizeof *results);
    if (!results)
        goto out_of_memory;
    for (size_t i = 0; i < profiles.n; i++)
        results[i] = cm_matcher_result(matcher, i);
    cm_report report = {.vcf_path = files.paths[0],
                        .inputs = listed,
                        .n_inputs = n_inputs,
                        .ignored = (const char *const *)files.ignored,
                        .n_ignored = files.n_ignored,
                        .rules = rules,
                        .samples = results,
                        .n_samples = profiles.n,
                        .records = total_records,
                        .alterations = total_alterations,
                        .skipped = skipped.items,
                        .n_skipped = skipped.n,
                        .command_line = command.s,
                        .date = opt.date,
                        .gates = &opt.gates,
                        .home_country = opt.home_country[0] ? opt.home_country : NULL};
    if (cm_output_open(&out, opt.output, &err) < 0) {
        free(results);
        goto report_error;
    }
    out_open = 1;
    int written = cm_report_write(&report, format, out.fp, &err);
    free(results);
    if (written < 0)
        goto report_error;
    out_open = 0;
    if (cm_output_commit(&out, &err) < 0)
        goto report_error;
    status = CM_EXIT_OK;
    goto done;

out_of_memory:
    cm_error_set(&err, NULL, 0, 0, "out of memory");
    goto report_error;
report_error_or_memory:
    if (!cm_error_is_set(&err))
        cm_error_set(&err, NULL, 0, 0, "out of memory");
report_error:
    cm_cli_report(&err);
done:
    if (out_open)
        cm_output_abort(&out);
    cm_matcher_free(matcher);
    cm_tmb_free(tmb);
    free_profiles(&profiles);
    for (size_t i = 0; i < n_inputs; i++)
        cm_input_close(inputs[i]);
    free(inputs);
    free(listed);
    free(skipped.items);
    cm_cli_inputs_free(&files);
    cm_sample_sheet_free(&sheet);
    cm_profile_clear(&cli);
    cm_ruleset_free(rules);
    cm_oncotree_free(tree);
    free_options(&opt);
    free(command.s);
    return status;
}
