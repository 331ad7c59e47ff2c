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

/// A fact given on the command line, as text (checked when parsed, offered to every sample).
typedef struct cli_fact {
    const char *name;
    char *value;
} cli_fact;

typedef struct match_options {
    const char **rule_paths;
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
    int c, status;
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
        case 'r':
            if ((status = cm_cli_rules_option("match", optarg, &opt->rule_paths,
                                              &opt->n_rule_paths)) >= 0)
                return status;
            break;
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
                return cm_cli_bad_input_format("match", optarg, 1);
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
            if ((status = cm_cli_date_option("match", optarg, &opt->date)) >= 0)
                return status;
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
    cm_cli_run run;
    memset(&run, 0, sizeof run);
    cm_sample_profile cli;
    cm_profile_init(&cli, NULL);
    cm_sample_sheet sheet = {0};
    cm_output out = {0};
    int out_open = 0;
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
    if ((status = cm_cli_open_rules(tree, opt.rule_paths, opt.n_rule_paths, opt.cohorts, &rules,
                                    &err)) != 0) {
        if (status < 0) {
            status = CM_EXIT_BAD_INPUT;
            goto report_error;
        }
        goto done;
    }
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
    cm_cli_run_options run_options;
    memset(&run_options, 0, sizeof run_options);
    run_options.command = "match";
    run_options.input.format = opt.input_format;
    run_options.input.vcf.samples = opt.samples;
    run_options.input.vcf.threads = opt.threads;
    run_options.input.vcf.annotation = opt.annotation;
    run_options.input.vcf.genes_bed = opt.genes_bed;
    run_options.input.vcf.fusion_tags = opt.fusion_tags;
    run_options.input.cohort = (cm_study_options){tree, &sheet, &cli, opt.threads};
    run_options.tree = tree;
    run_options.rules = rules;
    run_options.cli = &cli;
    run_options.sheet = &sheet;
    run_options.sheet_path = opt.sample_sheet;
    run_options.tumour_type = opt.tumour_type;
    run_options.sample_name = opt.sample_name;
    run_options.gates = &opt.gates;
    run_options.panel_size = opt.panel_size;
    run_options.no_prefilter = opt.no_prefilter;
    run_options.list_alterations = opt.output_type && strcmp(opt.output_type, "html") == 0;
    run_options.quiet = opt.quiet;
    run_options.show_progress = 1;
    if ((status = cm_cli_run_inputs(&run, files.paths, files.n, &run_options, &err)) != 0) {
        if (status < 0) {
            status = CM_EXIT_BAD_INPUT;
            goto report_error;
        }
        goto done;
    }
    status = CM_EXIT_BAD_INPUT;
    // The names a study folder does not read are listed with the folders' ignored files.
    for (size_t i = 0; i < run.n_inputs; i++) {
        const cm_study *study = cm_input_study(run.inputs[i]);
        if (study && cm_cli_add_study_ignored(&files, study, cm_input_path(run.inputs[i])) < 0)
            goto out_of_memory;
    }

    cm_report_format format = isatty(STDOUT_FILENO) && !opt.output ? CM_REPORT_TEXT : CM_REPORT_TSV;
    if (opt.output_type)
        cm_report_format_parse(opt.output_type, &format);
    const cm_sample_result **results = calloc(run.profiles.n ? run.profiles.n : 1, sizeof *results);
    if (!results)
        goto out_of_memory;
    for (size_t i = 0; i < run.profiles.n; i++)
        results[i] = cm_matcher_result(run.matcher, i);
    cm_report report = {.vcf_path = files.paths[0],
                        .inputs = run.listed,
                        .n_inputs = run.n_inputs,
                        .ignored = (const char *const *)files.ignored,
                        .n_ignored = files.n_ignored,
                        .rules = rules,
                        .samples = results,
                        .n_samples = run.profiles.n,
                        .records = run.records,
                        .alterations = run.alterations,
                        .skipped = run.skipped,
                        .n_skipped = run.n_skipped,
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
report_error:
    cm_cli_report(&err);
done:
    if (out_open)
        cm_output_abort(&out);
    cm_cli_run_free(&run);
    cm_cli_inputs_free(&files);
    cm_sample_sheet_free(&sheet);
    cm_profile_clear(&cli);
    cm_ruleset_free(rules);
    cm_oncotree_free(tree);
    free_options(&opt);
    free(command.s);
    return status;
}
