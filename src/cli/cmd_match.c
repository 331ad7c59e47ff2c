/*
 * cohortmatch match: VCF/BCF + tumour type + protocols -> candidate arms.
 * Wires the stages (reader -> matcher -> report writer) and nothing else.
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
#include "cohortmatch/match.h"
#include "cohortmatch/network.h"
#include "cohortmatch/profile.h"
#include "cohortmatch/report.h"
#include "cohortmatch/rules.h"
#include "cohortmatch/tmb.h"
#include "cohortmatch/vcf.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "\n"
            "About:   Candidate trial arms and cohorts for each sample of a VCF/BCF, a MAF\n"
            "         or a cBioPortal study folder (docs/cohort.md).\n"
            "Usage:   cohortmatch match [options] <in.vcf.gz|in.bcf|->\n"
            "         cohortmatch match [options] <cohort.maf[.gz]|cbioportal_study/>\n"
            "\n"
            "Patient:\n"
            "    -t, --tumour-type CODE      OncoTree code of the tumour, for every sample\n"
            "                                (a cBioPortal study gives each sample's)\n"
            "        --sample-sheet FILE     TSV: sample, tumour_type, tmb, msi, mmr, age, sex\n"
            "    -s, --samples LIST          comma-separated samples [##tumor_sample, else all]\n"
            "        --tmb X                 tumour mutational burden, mutations/Mb\n"
            "        --panel-size MB         compute TMB from the VCF, panel of MB megabases\n"
            "                                (a --tmb or sample-sheet value wins)\n"
            "        --msi high|stable       microsatellite status\n"
            "        --mmr deficient|proficient  mismatch-repair status (IHC)\n"
            "        --age N                 age in years\n"
            "        --sex female|male       sex\n"
            "Rules:\n"
            "    -r, --rules FILE|DIR        protocol file or folder, repeatable [bundled rules/]\n"
            "        --oncotree FILE         OncoTree release as TSV [bundled 2025-10-03]\n"
            "        --cohorts FILE          cohort states (TSV) laid over the rules' cohorts\n"
            "        --home-country CC       ISO 3166 code: rank that country's trials first,\n"
            "                                mark the others cross-border\n"
            "Input:\n"
            "        --annotation csq|ann|bcsq  annotation to read [VEP, else SnpEff, BCSQ]\n"
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

typedef struct match_options {
    const char *const *rule_paths;
    int n_rule_paths;
    const char *tumour_type, *sample_sheet, *samples, *oncotree, *output, *output_type, *date;
    cm_sample_profile facts; // --tmb, --msi, ... (name and tumour type unused)
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
    OPT_HOME_COUNTRY
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
        case OPT_TMB:
            if (cm_cli_parse_double(optarg, &opt->facts.tmb) < 0 || opt->facts.tmb < 0)
                return cm_cli_bad_value("match", "--tmb takes a non-negative number, not '%s'",
                                        optarg);
            break;
        case OPT_MSI:
            if (cm_msi_parse(optarg, &opt->facts.msi) < 0)
                return cm_cli_bad_value("match", "--msi takes 'high' or 'stable', not '%s'",
                                        optarg);
            break;
        case OPT_MMR:
            if (cm_mmr_parse(optarg, &opt->facts.mmr) < 0)
                return cm_cli_bad_value(
                    "match", "--mmr takes 'deficient' or 'proficient', not '%s'", optarg);
            break;
        case OPT_AGE:
            if (cm_cli_parse_double(optarg, &opt->facts.age) < 0 || opt->facts.age < 0)
                return cm_cli_bad_value("match", "--age takes a number of years, not '%s'", optarg);
            break;
        case OPT_SEX:
            if (cm_sex_parse(optarg, &opt->facts.sex) < 0)
                return cm_cli_bad_value("match", "--sex takes 'female' or 'male', not '%s'",
                                        optarg);
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
                return cm_cli_bad_value("match", "--annotation takes csq, ann or bcsq, not '%s'",
                                        optarg);
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
    if (optind + 1 < argc)
        return cm_cli_usage_error("match", "one VCF/BCF at a time, got %d", argc - optind);
    if (opt->output_type) {
        cm_report_format format;
        if (cm_report_format_parse(opt->output_type, &format) < 0)
            return cm_cli_bad_value("match", "-O takes text, tsv, json or html, not '%s'",
                                    opt->output_type);
    }
    return -1;
}

/// Builds one profile per selected sample: the sample sheet's row, else the command line's
/// facts; command-line facts fill what a row leaves empty.
static int build_profiles(const match_options *opt, const cm_vcf_reader *reader,
                          const cm_oncotree *tree, const cm_sample_sheet *sheet,
                          cm_sample_profile *profiles, cm_error *err)
{
    size_t n = cm_vcf_n_samples(reader);
    for (size_t i = 0; i < n; i++) {
        const char *name = cm_vcf_sample_name(reader, i);
        const cm_sample_profile *row = sheet->n ? cm_sample_sheet_find(sheet, name) : NULL;
        if (sheet->n && !row && !opt->tumour_type)
            return cm_error_set(err, opt->sample_sheet, 0, 0, "sample '%s' is not in the sheet",
                                name);
        if (row ? cm_profile_copy(&profiles[i], row) < 0 : cm_profile_init(&profiles[i], name) < 0)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
        cm_sample_profile *profile = &profiles[i];
        if (!profile->tumour_type &&
            cm_profile_set_tumour_type(profile, tree, opt->tumour_type, NULL, 0, err) < 0)
            return -1;
        if (isnan(profile->tmb))
            profile->tmb = opt->facts.tmb;
        if (profile->msi == CM_MSI_UNSET)
            profile->msi = opt->facts.msi;
        if (profile->mmr == CM_MMR_UNSET)
            profile->mmr = opt->facts.mmr;
        if (isnan(profile->age))
            profile->age = opt->facts.age;
        if (profile->sex == CM_SEX_UNSET)
            profile->sex = opt->facts.sex;
    }
    return 0;
}

/// Hands the reader the genes and `variant:` positions of the compiled rules, so that it can
/// skip records no rule can match before their full parse. A leaf that names neither a gene
/// nor a position can match any record: then nothing is skipped. Returns 0, or -1 when out
/// of memory.
static int set_gene_filter(cm_vcf_reader *reader, const cm_ruleset *rules)
{
    const char **genes;
    int64_t *positions;
    size_t n_genes, n_positions;
    int found = cm_cli_rule_genes(rules, &genes, &n_genes, &positions, &n_positions);
    if (found <= 0)
        return found;
    int status = cm_vcf_set_gene_filter(reader, genes, n_genes, positions, n_positions);
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

static void progress_show(progress *p, const cm_vcf_reader *reader, int is_last)
{
    double now = seconds_now();
    if (!is_last && now - p->last < 0.25)
        return;
    if (is_last && !p->printed)
        return;
    p->last = now;
    p->printed = 1;
    unsigned long long records = (unsigned long long)cm_vcf_get_stats(reader)->records;
    double elapsed = now - p->start, speed = elapsed > 0 ? (double)records / elapsed : 0.0;
    // At the end the reader has no current record: the last line has no position.
    char chrom[64];
    int64_t pos = is_last ? 0 : cm_vcf_position(reader, chrom, sizeof chrom);
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
static int check_cohort_options(const match_options *opt, cm_study_kind kind)
{
    const char *name = opt->samples              ? "--samples"
                       : !isnan(opt->panel_size) ? "--panel-size"
                       : opt->annotation         ? "--annotation"
                       : opt->genes_bed          ? "--genes"
                       : opt->fusion_tags        ? "--fusion-genes-tags"
                                                 : NULL;
    if (name)
        return cm_cli_usage_error("match", "%s applies to VCF input, not to a %s", name,
                                  kind == CM_STUDY_MAF ? "MAF" : "cBioPortal study");
    if (kind == CM_STUDY_MAF && !opt->tumour_type && !opt->sample_sheet)
        return cm_cli_usage_error(
            "match", "no tumour type for the MAF's samples: give -t CODE or --sample-sheet FILE");
    return -1;
}

/// match on a MAF or a cBioPortal study: every sample of the cohort, one report.
static int match_cohort(const match_options *opt, const char *input, const cm_oncotree *tree,
                        const cm_ruleset *rules, const cm_sample_sheet *sheet,
                        const char *command_line)
{
    cm_error err;
    cm_error_clear(&err);
    cm_study_options study_options = {tree, sheet, &opt->facts, opt->threads};
    cm_sample_profile facts = opt->facts;
    facts.tumour_type = (char *)opt->tumour_type;
    study_options.facts = &facts;
    const char *no_prefilter = getenv("COHORTMATCH_NO_PREFILTER");
    cm_cli_study_run run;
    cm_output out = {0};
    const cm_sample_result **results = NULL;
    int status = CM_EXIT_BAD_INPUT;
    if (cm_cli_run_study(&run, input, rules, &study_options, &opt->gates,
                         opt->no_prefilter || (no_prefilter && *no_prefilter),
                         opt->output_type && strcmp(opt->output_type, "html") == 0, opt->quiet,
                         &err) < 0)
        goto report_error;
    size_t n_samples = cm_study_n_samples(run.study);
    if (!(results = calloc(n_samples ? n_samples : 1, sizeof *results))) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    for (size_t i = 0; i < n_samples; i++)
        results[i] = cm_matcher_result(run.matcher, i);
    const cm_study_stats *stats = cm_study_get_stats(run.study);
    cm_report report = {.vcf_path = input,
                        .rules = rules,
                        .samples = results,
                        .n_samples = n_samples,
                        .records = (long)stats->rows,
                        .alterations = (long)stats->alterations,
                        .skipped = run.skipped,
                        .n_skipped = run.n_skipped,
                        .command_line = command_line,
                        .date = opt->date,
                        .gates = &opt->gates};
    cm_report_format format =
        isatty(STDOUT_FILENO) && !opt->output ? CM_REPORT_TEXT : CM_REPORT_TSV;
    if (opt->output_type)
        cm_report_format_parse(opt->output_type, &format);
    if (cm_output_open(&out, opt->output, &err) < 0)
        goto report_error;
    if (cm_report_write(&report, format, out.fp, &err) < 0) {
        cm_output_abort(&out);
        goto report_error;
    }
    if (cm_output_commit(&out, &err) < 0)
        goto report_error;
    status = CM_EXIT_OK;
    goto done;
report_error:
    cm_cli_report(&err);
done:
    free(results);
    cm_cli_study_run_free(&run);
    return status;
}

int main_match(int argc, char **argv)
{
    match_options opt;
    memset(&opt, 0, sizeof opt);
    cm_profile_init(&opt.facts, NULL);
    cm_gates_unset(&opt.gates);
    opt.panel_size = NAN;
    // Before getopt_long() permutes argv: the report shows the command as it was typed.
    kstring_t command = {0, 0, NULL};
    command_line(argc, argv, &command);
    int status = parse_options(argc, argv, &opt);
    if (status >= 0) {
        free((void *)opt.rule_paths);
        free(command.s);
        return status;
    }
    const char *input = argv[optind];
    hts_set_log_level(HTS_LOG_OFF);
    // A cohort (a MAF, a cBioPortal study folder) is told from a VCF by its content.
    cm_study_kind cohort = strcmp(input, "-") == 0 ? CM_STUDY_NONE : cm_study_detect(input);
    if (cohort != CM_STUDY_NONE)
        status = check_cohort_options(&opt, cohort);
    else if (!opt.tumour_type && !opt.sample_sheet)
        status = cm_cli_usage_error("match", "no tumour type: give -t CODE or --sample-sheet FILE");
    if (status >= 0) {
        free((void *)opt.rule_paths);
        free(command.s);
        return status;
    }

    cm_error err;
    cm_error_clear(&err);
    cm_oncotree *tree = NULL;
    cm_ruleset *rules = NULL;
    cm_vcf_reader *reader = NULL;
    cm_matcher *matcher = NULL;
    cm_tmb_counter *tmb = NULL;
    cm_sample_profile *profiles = NULL;
    size_t n_samples = 0;
    cm_sample_sheet sheet = {0};
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
    if (opt.tumour_type) {
        // Check -t before reading anything, so a typo fails fast.
        cm_sample_profile probe;
        cm_profile_init(&probe, NULL);
        int bad = cm_profile_set_tumour_type(&probe, tree, opt.tumour_type, NULL, 0, &err);
        cm_profile_clear(&probe);
        if (bad < 0)
            goto report_error;
    }
    if (!(rules = cm_ruleset_new(tree))) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    if (cm_cli_load_rules(rules, opt.n_rule_paths ? opt.rule_paths : &rules_dir,
                          opt.n_rule_paths ? opt.n_rule_paths : 1, 1) != 0)
        goto done;
    if (opt.cohorts && cm_ruleset_apply_cohort_states(rules, opt.cohorts, &err) < 0)
        goto report_error;
    if (opt.output && cm_same_file(opt.output, input)) {
        cm_error_set(&err, opt.output, 0, 0, "the output would overwrite the input");
        goto report_error;
    }
    if (cohort != CM_STUDY_NONE) {
        status = match_cohort(&opt, input, tree, rules, &sheet, command.s);
        goto done;
    }
    cm_vcf_options vcf_options = {0};
    vcf_options.samples = opt.samples;
    vcf_options.threads = opt.threads;
    vcf_options.annotation = opt.annotation;
    vcf_options.genes_bed = opt.genes_bed;
    vcf_options.fusion_tags = opt.fusion_tags;
    if (!(reader = cm_vcf_open(input, &vcf_options, &err)))
        goto report_error;
    if (!opt.quiet)
        warn_builds(rules, cm_vcf_genome_build(reader), input);
    n_samples = cm_vcf_n_samples(reader);
    profiles = calloc(n_samples ? n_samples : 1, sizeof *profiles);
    if (!profiles) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    if (build_profiles(&opt, reader, tree, &sheet, profiles, &err) < 0)
        goto report_error;
    if (!(matcher = cm_matcher_new(rules, profiles, n_samples, &opt.gates))) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    cm_matcher_set_genome_build(matcher, cm_vcf_genome_build(reader));
    // Only the HTML page shows every alteration in a rule gene: other formats keep less.
    cm_matcher_list_alterations(matcher, opt.output_type && strcmp(opt.output_type, "html") == 0);
    // TMB from the VCF with the command line's gates (else the built-in 0.05 VAF).
    if (!isnan(opt.panel_size) &&
        !(tmb = cm_tmb_new(n_samples, isnan(opt.gates.min_vaf) ? 0.05 : opt.gates.min_vaf,
                           opt.gates.min_depth))) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    const char *no_prefilter = getenv("COHORTMATCH_NO_PREFILTER");
    // Computing TMB needs every record, not only those of the rules' genes.
    if (!opt.no_prefilter && !(no_prefilter && *no_prefilter) && !tmb &&
        set_gene_filter(reader, rules) < 0) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    progress meter = {!opt.quiet && isatty(STDERR_FILENO), 0, 0, 0};
    meter.start = meter.last = seconds_now();

    const cm_alteration *alterations;
    size_t n_alterations;
    int got;
    while ((got = cm_vcf_next(reader, &alterations, &n_alterations, &err)) > 0) {
        for (size_t i = 0; i < n_alterations; i++)
            if (cm_matcher_add(matcher, &alterations[i]) < 0 ||
                (tmb && cm_tmb_add(tmb, &alterations[i]) < 0)) {
                cm_error_set(&err, NULL, 0, 0, "out of memory");
                goto report_error;
            }
        if (meter.is_on && (cm_vcf_get_stats(reader)->records & 0x3fff) == 0)
            progress_show(&meter, reader, 0);
    }
    if (meter.is_on)
        progress_show(&meter, reader, 1);
    if (got < 0)
        goto report_error;
    // A given TMB (--tmb, the sample sheet) wins over the computed one.
    for (size_t i = 0; tmb && i < n_samples; i++)
        if (isnan(profiles[i].tmb)) {
            profiles[i].tmb = cm_tmb_value(tmb, i, opt.panel_size);
            profiles[i].tmb_is_computed = 1;
        }
    if (cm_matcher_finish(matcher) < 0) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }

    cm_report_format format = isatty(STDOUT_FILENO) && !opt.output ? CM_REPORT_TEXT : CM_REPORT_TSV;
    if (opt.output_type)
        cm_report_format_parse(opt.output_type, &format);
    const cm_vcf_stats *stats = cm_vcf_get_stats(reader);
    cm_gate_counts gate_counts = cm_matcher_gate_counts(matcher);
    cm_count skipped[CM_VCF_SKIP_COUNT + 3];
    size_t n_skipped = 0;
    for (int cause = 0; cause < CM_VCF_SKIP_COUNT; cause++)
        skipped[n_skipped++] =
            (cm_count){cm_vcf_skip_name((cm_vcf_skip)cause), (long)stats->skipped[cause]};
    skipped[n_skipped++] = (cm_count){"filtered", gate_counts.filtered};
    skipped[n_skipped++] = (cm_count){"below_vaf", gate_counts.below_vaf};
    skipped[n_skipped++] = (cm_count){"below_depth", gate_counts.below_depth};
    const cm_sample_result **results = calloc(n_samples ? n_samples : 1, sizeof *results);
    if (!results) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    for (size_t i = 0; i < n_samples; i++)
        results[i] = cm_matcher_result(matcher, i);
    cm_report report = {.vcf_path = input,
                        .rules = rules,
                        .samples = results,
                        .n_samples = n_samples,
                        .records = (long)stats->records,
                        .alterations = (long)stats->alterations,
                        .skipped = skipped,
                        .n_skipped = n_skipped,
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

report_error:
    cm_cli_report(&err);
done:
    if (out_open)
        cm_output_abort(&out);
    cm_matcher_free(matcher);
    cm_tmb_free(tmb);
    for (size_t i = 0; profiles && i < n_samples; i++)
        cm_profile_clear(&profiles[i]);
    free(profiles);
    cm_vcf_close(reader);
    cm_sample_sheet_free(&sheet);
    cm_ruleset_free(rules);
    cm_oncotree_free(tree);
    cm_profile_clear(&opt.facts);
    free((void *)opt.rule_paths);
    free(command.s);
    return status;
}
