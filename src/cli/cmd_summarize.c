/*
 * cohortmatch summarize: many samples' results -> counts per protocol x arm x
 * cohort tumour type and the months until each cohort's current stage fills.
 * Reads `match -O json` files, or a cohort (MAF, cBioPortal study) through the
 * matcher. Wires the stages (summary.h, study.h) and nothing else.
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
#include "cohortmatch/study.h"
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
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:t:O:o:qh", long_options, NULL)) != -1) {
        switch (c) {
        case 'r': {
            const char **paths =
                realloc(opt->rule_paths, (size_t)(opt->n_rule_paths + 1) * sizeof *paths);
            if (!paths)
                return cm_cli_usage_error("summarize", "out of memory");
            opt->rule_paths = paths;
            paths[opt->n_rule_paths++] = optarg;
            break;
        }
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
            if (!cm_iso_date_is_valid(optarg))
                return cm_cli_bad_value(
                    "summarize", "--date takes a calendar date as YYYY-MM-DD, not '%s'", optarg);
            opt->date = optarg;
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

/// Counts one cohort input (a MAF or a study) through the matcher.
static int summarize_study(const summarize_options *opt, const char *path, const cm_ruleset *rules,
                           const cm_oncotree *tree, const cm_sample_sheet *sheet,
                           cm_summary *summary, cm_error *err)
{
    cm_sample_profile facts;
    cm_profile_init(&facts, NULL);
    facts.tumour_type = (char *)opt->tumour_type;
    cm_study_options options = {tree, sheet, &facts, opt->threads};
    const char *no_prefilter = getenv("COHORTMATCH_NO_PREFILTER");
    cm_cli_study_run run;
    int status =
        cm_cli_run_study(&run, path, rules, &options, &opt->gates,
                         opt->no_prefilter || (no_prefilter && *no_prefilter), 0, opt->quiet, err);
    for (size_t i = 0; status == 0 && i < cm_study_n_samples(run.study); i++)
        status = cm_summary_add_result(summary, cm_matcher_result(run.matcher, i), err);
    if (status == 0 && cm_summary_add_input(summary, path) < 0)
        status = cm_error_set(err, NULL, 0, 0, "out of memory");
    cm_cli_study_run_free(&run);
    return status;
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
    cm_study_kind *kinds = calloc((size_t)n_inputs, sizeof *kinds);
    if (!kinds) {
        free(opt.rule_paths);
        return cm_cli_usage_error("summarize", "out of memory");
    }
    for (int i = 0; i < n_inputs && status < 0; i++) {
        kinds[i] = cm_study_detect(argv[optind + i]);
        if (kinds[i] == CM_STUDY_MAF && !opt.tumour_type && !opt.sample_sheet)
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
    char rules_dir_buffer[4096];
    const char *rules_dir = cm_cli_bundled_rules_dir(rules_dir_buffer, sizeof rules_dir_buffer);
    status = CM_EXIT_BAD_INPUT;
    tree =
        opt.oncotree ? cm_oncotree_load_file(opt.oncotree, &err) : cm_oncotree_load_bundled(&err);
    if (!tree)
        goto report_error;
    if (opt.sample_sheet && cm_sample_sheet_load(&sheet, opt.sample_sheet, tree, &err) < 0)
        goto report_error;
    if (opt.tumour_type) {
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
    if (!(summary = cm_summary_new(rules))) {
        cm_error_set(&err, NULL, 0, 0, "out of memory");
        goto report_error;
    }
    for (int i = 0; i < n_inputs; i++) {
        const char *path = argv[optind + i];
        if (opt.output && cm_same_file(opt.output, path)) {
            cm_error_set(&err, opt.output, 0, 0, "the output would overwrite an input");
            goto report_error;
        }
        if (kinds[i] != CM_STUDY_NONE
                ? summarize_study(&opt, path, rules, tree, &sheet, summary, &err) < 0
                : cm_summary_add_json(summary, path, &err) < 0)
            goto report_error;
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
    cm_ruleset_free(rules);
    cm_oncotree_free(tree);
    free(kinds);
    free(opt.rule_paths);
    return status;
}
