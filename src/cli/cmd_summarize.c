/*
 * cohortmatch summarize: many samples' results -> counts per protocol x arm x
 * cohort tumour type and the months until each cohort's current stage fills.
 * Reads `match -O json` files, or a cohort (MAF, cBioPortal study) as match
 * reads it (cm_cli_run_inputs(), run.c). Wires the stages (summary.h) and
 * nothing else.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts.h>

#include "cli.h"
#include "cohortmatch/cohorts.h"
#include "cohortmatch/profile.h"
#include "cohortmatch/rules.h"
#include "cohortmatch/input.h"
#include "cohortmatch/summary.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "\n"
            "About:   Per protocol, arm and cohort tumour type: eligible samples, samples ruled\n"
            "         out by reason, and the months until each cohort's stage fills.\n"
            "Usage:   cohortmatch summarize [options] <result.json>...\n"
            "         cohortmatch summarize [options] <cohort.maf[.gz]|cbioportal_study/>\n"
            "\n"
            "Forecast:\n"
            "        --patients-per-month N  patients screened a month\n"
            "        --span-months M         the inputs' samples were screened over M months\n"
            "                                (the rate is samples / M)\n"
            "Rules:\n"
            "    -r, --rules FILE|DIR        protocol file or folder, repeatable [bundled rules/]\n"
            "        --oncotree FILE         OncoTree release as TSV [bundled 2025-10-03]\n"
            "        --cohorts FILE          cohort states (TSV) laid over the rules' cohorts\n"
            "Cohort inputs (MAF, cBioPortal study), as for match:\n"
            "    -t, --tumour-type CODE      OncoTree code for every sample\n"
            "        --sample-sheet FILE     TSV: sample, tumour_type, tmb, msi, mmr, age, sex\n"
            "        --min-vaf X             minimum variant allele fraction\n"
            "        --min-depth N           minimum read depth\n"
            "        --include-filtered      count alterations whose FILTER is not PASS\n"
            "        --threads N             BGZF decompression threads [0]\n"
            "        --no-prefilter          parse every row in full (same results, slower)\n"
            "Output:\n"
            "    -O, --output-type text|tsv|json|html  [text on a terminal, else tsv]\n"
            "    -o, --output FILE           write here, atomically [stdout]\n"
            "        --date YYYY-MM-DD       date printed in the HTML page [none]\n"
            "    -q, --quiet                 no warnings on stderr\n"
            "    -h, --help                  this help\n"
            "\n"
            "Exit status: 0 ran, 1 bad input, 2 usage.\n"
            "\n");
}

typedef struct summarize_options {
    const char **rule_paths;
    int n_rule_paths;
    const char *oncotree, *tumour_type, *sample_sheet, *output, *output_type, *date, *cohorts;
    cm_summary_rate rate;
    cm_gates gates;
    int threads, quiet, no_prefilter;
} summarize_options;

enum {
    OPT_PER_MONTH = 1000,
    OPT_SPAN,
    OPT_ONCOTREE,
    OPT_SAMPLE_SHEET,
    OPT_MIN_VAF,
    OPT_MIN_DEPTH,
    OPT_INCLUDE_FILTERED,
    OPT_THREADS,
    OPT_NO_PREFILTER,
    OPT_DATE,
    OPT_COHORTS
};

static int parse_positive(const char *text, double *out)
{
    return cm_cli_parse_double(text, out) == 0 && *out > 0 ? 0 : -1;
}

/// Parses the options; returns -1 to continue, else an exit status.
static int parse_options(int argc, char **argv, summarize_options *opt)
{
    static const struct option long_options[] = {
        {"rules", required_argument, NULL, 'r'},
        {"tumour-type", required_argument, NULL, 't'},
        {"tumor-type", required_argument, NULL, 't'},
        {"output-type", required_argument, NULL, 'O'},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"patients-per-month", required_argument, NULL, OPT_PER_MONTH},
        {"span-months", required_argument, NULL, OPT_SPAN},
        {"oncotree", required_argument, NULL, OPT_ONCOTREE},
        {"sample-sheet", required_argument, NULL, OPT_SAMPLE_SHEET},
        {"min-vaf", required_argument, NULL, OPT_MIN_VAF},
        {"min-depth", required_argument, NULL, OPT_MIN_DEPTH},
        {"include-filtered", no_argument, NULL, OPT_INCLUDE_FILTERED},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"no-prefilter", no_argument, NULL, OPT_NO_PREFILTER},
        {"date", required_argument, NULL, OPT_DATE},
        {"cohorts", required_argument, NULL, OPT_COHORTS},
        {NULL, 0, NULL, 0}};
    int c, status;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:t:O:o:qh", long_options, NULL)) != -1) {
        switch (c) {
        case 'r':
            if ((status = cm_cli_rules_option("summarize", optarg, &opt->rule_paths,
                                              &opt->n_rule_paths)) >= 0)
                return status;
            break;
        case 't':
            opt->tumour_type = optarg;
            break;
        case 'O': {
            cm_summary_format format;
            if (cm_summary_format_parse(optarg, &format) < 0)
                return cm_cli_bad_value("summarize", "-O takes text, tsv, json or html, not '%s'",
                                        optarg);
            opt->output_type = optarg;
            break;
        }
        case 'o':
            opt->output = optarg;
            break;
        case 'q':
            opt->quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return CM_EXIT_OK;
        case OPT_PER_MONTH:
            if (parse_positive(optarg, &opt->rate.patients_per_month) < 0)
                return cm_cli_bad_value(
                    "summarize", "--patients-per-month takes a number above 0, not '%s'", optarg);
            break;
        case OPT_SPAN:
            if (parse_positive(optarg, &opt->rate.span_months) < 0)
                return cm_cli_bad_value("summarize",
                                        "--span-months takes a number above 0, not '%s'", optarg);
            break;
        case OPT_ONCOTREE:
            opt->oncotree = optarg;
            break;
        case OPT_SAMPLE_SHEET:
            opt->sample_sheet = optarg;
            break;
        case OPT_MIN_VAF:
            if (cm_cli_parse_double(optarg, &opt->gates.min_vaf) < 0 || opt->gates.min_vaf < 0 ||
                opt->gates.min_vaf > 1)
                return cm_cli_bad_value("summarize",
                                        "--min-vaf takes a number from 0 to 1, not '%s'", optarg);
            break;
        case OPT_MIN_DEPTH:
            if (cm_cli_parse_int(optarg, &opt->gates.min_depth) < 0)
                return cm_cli_bad_value("summarize", "--min-depth takes a whole number, not '%s'",
                                        optarg);
            break;
        case OPT_INCLUDE_FILTERED:
            opt->gates.pass_only = 0;
            break;
        case OPT_THREADS:
            if (cm_cli_parse_int(optarg, &opt->threads) < 0)
                return cm_cli_bad_value("summarize", "--threads takes a whole number, not '%s'",
                                        optarg);
            break;
        case OPT_NO_PREFILTER:
            opt->no_prefilter = 1;
            break;
        case OPT_DATE:
            if ((status = cm_cli_date_option("summarize", optarg, &opt->date)) >= 0)
                return status;
            break;
        case OPT_COHORTS:
            opt->cohorts = optarg;
            break;
        default:
            return cm_cli_option_error("summarize", c, argv);
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CM_EXIT_USAGE;
    }
    if (!isnan(opt->rate.patients_per_month) && !isnan(opt->rate.span_months))
        return cm_cli_usage_error("summarize",
                                  "give --patients-per-month or --span-months, not both");
    return -1;
}

/// Counts one cohort input (a MAF or a study), read as match reads it (cm_cli_run_inputs()).
/// Returns 0, -1 with err filled, or an exit status after printing a usage error.
static int summarize_cohort(const summarize_options *opt, char *path, const cm_ruleset *rules,
                            const cm_oncotree *tree, const cm_sample_sheet *sheet,
                            const cm_sample_profile *cli, cm_summary *summary, cm_error *err)
{
    cm_cli_run_options options;
    memset(&options, 0, sizeof options);
    options.command = "summarize";
    options.input.cohort = (cm_study_options){tree, sheet, cli, opt->threads};
    options.tree = tree;
    options.rules = rules;
    options.cli = cli;
    options.sheet = sheet;
    options.sheet_path = opt->sample_sheet;
    options.tumour_type = opt->tumour_type;
    options.gates = &opt->gates;
    options.panel_size = NAN;
    options.no_prefilter = opt->no_prefilter;
    options.quiet = opt->quiet;
    cm_cli_run run;
    int status = cm_cli_run_inputs(&run, &path, 1, &options, err);
    for (size_t i = 0; status == 0 && i < run.profiles.n; i++)
        status = cm_summary_add_result(summary, cm_matcher_result(run.matcher, i), err);
    if (status == 0 && cm_summary_add_input(summary, path) < 0)
        status = cm_error_set(err, NULL, 0, 0, "out of memory");
    cm_cli_run_free(&run);
    return status;
}

/// The cohort format of path (CM_INPUT_MAF, CM_INPUT_CBIOPORTAL) from its content, else
/// CM_INPUT_UNKNOWN: a `match -O json` result.
static cm_input_format cohort_format(const char *path)
{
    cm_input_format format;
    cm_error ignored;
    cm_error_clear(&ignored);
    if (cm_input_detect(path, &format, &ignored) < 0)
        return CM_INPUT_UNKNOWN; // reading it as a result says what is wrong
    return format == CM_INPUT_MAF || format == CM_INPUT_CBIOPORTAL ? format : CM_INPUT_UNKNOWN;
}

int main_summarize(int argc, char **argv)
{
    summarize_options opt;
    memset(&opt, 0, sizeof opt);
    opt.rate.patients_per_month = opt.rate.span_months = NAN;
    cm_gates_unset(&opt.gates);
    int status = parse_options(argc, argv, &opt);
    if (status >= 0) {
        free(opt.rule_paths);
        return status;
    }
    hts_set_log_level(HTS_LOG_OFF);
    // What each input is, from its content: a cohort, else a result file.
    int n_inputs = argc - optind;
    cm_input_format *kinds = calloc((size_t)n_inputs, sizeof *kinds);
    if (!kinds) {
        free(opt.rule_paths);
        return cm_cli_usage_error("summarize", "out of memory");
    }
    for (int i = 0; i < n_inputs && status < 0; i++) {
        kinds[i] = cohort_format(argv[optind + i]);
        if (kinds[i] == CM_INPUT_MAF && !opt.tumour_type && !opt.sample_sheet)
            status = cm_cli_usage_error("summarize",
                                        "no tumour type for the MAF's samples: give -t CODE or "
                                        "--sample-sheet FILE");
    }
    if (status >= 0) {
        free(kinds);
        free(opt.rule_paths);
        return status;
    }

    cm_error err;
    cm_error_clear(&err);
    cm_oncotree *tree = NULL;
    cm_ruleset *rules = NULL;
    cm_summary *summary = NULL;
    cm_sample_sheet sheet = {0};
    cm_output out = {0};
    cm_sample_profile cli; // -t, as match's command-line facts
    cm_profile_init(&cli, NULL);
    status = CM_EXIT_BAD_INPUT;
    tree =
        opt.oncotree ? cm_oncotree_load_file(opt.oncotree, &err) : cm_oncotree_load_bundled(&err);
    if (!tree)
        goto report_error;
    if (opt.sample_sheet && cm_sample_sheet_load(&sheet, opt.sample_sheet, tree, &err) < 0)
        goto report_error;
    if (opt.tumour_type && cm_profile_offer(&cli, tree, "tumour_type", opt.tumour_type,
                                            CM_ORIGIN_COMMAND_LINE, NULL, &err) < 0)
        goto report_error;
    if ((status = cm_cli_open_rules(tree, opt.rule_paths, opt.n_rule_paths, opt.cohorts, &rules,
                                    &err)) != 0) {
        if (status < 0) {
            status = CM_EXIT_BAD_INPUT;
            goto report_error;
        }
        goto done;
    }
    status = CM_EXIT_BAD_INPUT;
    if (!(summary = cm_summary_new(rules))) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    for (int i = 0; i < n_inputs; i++) {
        char *path = argv[optind + i];
        if (opt.output && cm_same_file(opt.output, path)) {
            cm_error_set(&err, opt.output, 0, 0, "the output would overwrite an input");
            goto report_error;
        }
        if (kinds[i] == CM_INPUT_UNKNOWN) {
            if (cm_summary_add_json(summary, path, &err) < 0)
                goto report_error;
            continue;
        }
        if ((status = summarize_cohort(&opt, path, rules, tree, &sheet, &cli, summary, &err)) !=
            0) {
            if (status < 0) {
                status = CM_EXIT_BAD_INPUT;
                goto report_error;
            }
            goto done;
        }
        status = CM_EXIT_BAD_INPUT;
    }
    cm_summary_forecast(summary, &opt.rate);
    cm_summary_format format =
        isatty(STDOUT_FILENO) && !opt.output ? CM_SUMMARY_TEXT : CM_SUMMARY_TSV;
    if (opt.output_type)
        cm_summary_format_parse(opt.output_type, &format);
    if (cm_output_open(&out, opt.output, &err) < 0)
        goto report_error;
    if (cm_summary_write(summary, format, opt.date, out.fp, &err) < 0) {
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
    cm_summary_free(summary);
    cm_sample_sheet_free(&sheet);
    cm_profile_clear(&cli);
    cm_ruleset_free(rules);
    cm_oncotree_free(tree);
    free(kinds);
    free(opt.rule_paths);
    return status;
}
